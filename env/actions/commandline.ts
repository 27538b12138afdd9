/**
 * Command lines: writing an `opt -passes='module(…)'` line for a list of pipeline elements,
 * and reading one back, in the new-PM form that PassGym writes or in CompilerGym's legacy form
 * (`opt -adce -gvn input.bc -o output.bc`) so that published sequences replay.
 */
import { StateFormatError } from '../errors';
import type { ActionSpace } from './space';

/**
 * Separates actions inside one pipeline. A new-PM pipeline keeps analyses (DominatorTree,
 * LoopInfo, SCEV…) from one pass to the next, and in LLVM 14 that changes the output of some
 * sequences: 8 of 400 random `module(a,b,c,…)` pipelines gave different IR from the same actions
 * run one `opt` process at a time. With `invalidate<all>` between actions all 400 matched
 * (measured with opt-14 on llvm-stress modules). PassGym steps run one `LLVMRunPasses` call per
 * action, each with fresh analyses, so every pipeline that must reproduce steps (command lines,
 * replays, multistep) puts this between actions.
 */
export const ACTION_SEPARATOR = 'invalidate<all>';

/** `module(a,invalidate<all>,b,…)`: one pipeline equivalent to applying the actions one step each. */
export function stepsPipeline(pipelineElements: readonly string[]): string {
  return `module(${pipelineElements.join(`,${ACTION_SEPARATOR},`)})`;
}

/** `opt-N -passes='module(a,invalidate<all>,b)' input.bc -o output.bc` (`opt-N input.bc -o output.bc` for none). */
export function formatCommandline(opt: string, pipelineElements: readonly string[]): string {
  if (pipelineElements.length === 0) return `${opt} input.bc -o output.bc`;
  return `${opt} -passes='${stepsPipeline(pipelineElements)}' input.bc -o output.bc`;
}

/** Splits a pipeline at top-level commas, respecting (…) and <…> nesting. */
export function splitPipeline(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '<') depth++;
    if (ch === ')' || ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
    if (depth < 0) throw new StateFormatError(`unbalanced brackets in pipeline '${text}'`);
  }
  if (depth !== 0) throw new StateFormatError(`unbalanced brackets in pipeline '${text}'`);
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const LEGACY_LEVELS: Record<string, string> = {
  '-O1': 'default<O1>',
  '-O2': 'default<O2>',
  '-O3': 'default<O3>',
  '-Os': 'default<Os>',
  '-Oz': 'default<Oz>',
};

/**
 * The pipeline elements (pass names) of a command line, in order, without the `invalidate<all>`
 * separators; CompilerGym's legacy flags become their names (`-O3` → `default<O3>`, `-gvn` stays `-gvn`).
 * @throws StateFormatError for a line that is not an opt command line.
 */
export function commandlineElements(line: string): string[] {
  const words = line.trim().match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
  if (!/(^|\/)opt(-\d+)?$/.test(words[0] ?? '')) {
    throw new StateFormatError(`not an opt command line: '${line}'`);
  }
  const elements: string[] = [];
  for (let k = 1; k < words.length; k++) {
    const w = words[k].replace(/^['"]|['"]$/g, '');
    if (w === '-o') {
      k++;
      continue;
    }
    const m = /^--?passes=(.*)$/.exec(w);
    if (m) {
      let text = m[1].replace(/^['"]|['"]$/g, '').trim();
      const inner = /^module\((.*)\)$/.exec(text);
      if (inner) text = inner[1];
      for (const el of splitPipeline(text)) if (el !== ACTION_SEPARATOR) elements.push(el);
      continue;
    }
    if (w.startsWith('-')) elements.push(LEGACY_LEVELS[w] ?? w);
  }
  return elements;
}

/**
 * Reads the action indices of a command line (`invalidate<all>` separators are skipped).
 * @throws StateFormatError for a line that is not an opt command line; UnknownActionError for a
 *   pass that is not in `space` (naming it).
 */
export function parseCommandline(line: string, space: ActionSpace): number[] {
  return commandlineElements(line).map((el) => space.index(el));
}
