/**
 * Finds the actions that miscompile on the loaded LLVM: applies each action alone, and after
 * `mem2reg`, to every runnable benchmark given (default: embedded-v0), and semantically
 * validates the result (build, run, compare with the -O0 output). With `--sequences N` it also
 * validates N seeded random sequences of 30 actions per benchmark (an action can miscompile only
 * after others have run: an attributor sequence broke stringsearch on LLVM 22 although attributor
 * alone does not). A failing sequence is cut at the action that turns its longest correct prefix
 * into a wrong program (bisection on the prefix length) and reduced by dropping each earlier
 * action the failure does not need; it is blamed on the actions in it already known to
 * miscompile (alone in this run, or on another measured LLVM version), else on its last action. Prints JSON
 * `{llvm, benchmarks, checks, unsafe: {action: [failing "benchmark [prefix]" ...]}}`; `--write`
 * records the actions found in `env/actions/metadata/llvm-N.json` (`metadata.ts`).
 *
 *   node dist/scripts/bench/unsafe-actions.js [--space NAME] [--sequences N] [--write] [URI ...]
 */
import os from 'node:os';
import seedrandom from 'seedrandom';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { findLlvm } from '../../env/llvm/library';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';
import { ACTION_SPACE_NAMES, ActionSpaceName } from '../../env/actions/space';
import { metadataFiles, writeMeasurement } from '../../env/actions/metadata';
import { spellingsOf } from '../../env/actions/flags';
import type { LlvmEnv } from '../../env/env';

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .usage('$0 [--space NAME] [--write] [URI ...]')
    .option('space', { choices: ACTION_SPACE_NAMES, default: 'PassesWithLevels' as ActionSpaceName, describe: 'action space to check' })
    .option('write', { type: 'boolean', default: false, describe: 'record the result in env/actions/metadata/llvm-N.json' })
    .option('sequences', { type: 'number', default: 0, describe: 'also validate this many seeded random 30-action sequences per benchmark' })
    .check((argv) => {
      if (!Number.isInteger(argv.sequences) || argv.sequences < 0) throw new Error(`--sequences must be a whole number >= 0, got ${argv.sequences}`);
      return true;
    })
    .strictOptions()
    .parse();
  const uris = a._.length ? a._.map(String) : embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`);
  const pool = new WorkerPool({ maxWorkers: os.cpus().length });
  const unsafe: Record<string, string[]> = {};
  const jobs: Array<{ uri: string; actions: string[]; sequence?: number }> = [];
  const probe = await make('llvm-ic-v0', { pool, actionSpace: a.space });
  const space = probe.actionSpace;
  await probe.close();
  for (const uri of uris) for (const name of space.names) for (const prefix of [[], ['mem2reg']]) jobs.push({ uri, actions: [...prefix, name] });
  for (const uri of uris) {
    for (let k = 0; k < a.sequences; k++) {
      const rng = seedrandom(`unsafe-actions ${uri} ${k}`);
      jobs.push({ uri, sequence: k, actions: Array.from({ length: 30 }, () => space.names[Math.floor(rng() * space.n)]) });
    }
  }
  let checks = 0;
  const sequenceFailures: Array<{ program: string; sequence: number; reduced: string[]; error: string }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: pool.maxWorkers }, async () => {
      const env: LlvmEnv = await make('llvm-ic-v0', { pool, actionSpace: a.space });
      try {
        // The output check of `actions` on the job's program: null when correct (or when a
        // step crashed: crashes are handled by the pool, not a miscompilation), else the error.
        const wrong = async (uri: string, actions: string[]): Promise<string | null> => {
          checks++;
          await env.reset({ benchmark: uri });
          const r = await env.multistep(actions);
          if (r.info.error_type) return null;
          const v = await env.validate();
          return !v.ok && v.error && ['Miscompilation', 'RuntimeCrash', 'RuntimeTimeout'].includes(v.error.type) ? v.error.type : null;
        };
        for (let j = jobs[next++]; j; j = jobs[next++]) {
          const error = await wrong(j.uri, j.actions);
          if (error === null) continue;
          const program = j.uri.replace('benchmark://', '');
          if (j.sequence === undefined) {
            const last = j.actions[j.actions.length - 1];
            (unsafe[last] ??= []).push(`${program}${j.actions.length > 1 ? ' after mem2reg' : ''}: ${error}`);
            continue;
          }
          // Bisect: prefix `lo` is correct, prefix `hi` is wrong; the action hi-1 breaks it.
          let lo = 0;
          let hi = j.actions.length;
          let hiError = error;
          while (hi - lo > 1) {
            const mid = (lo + hi) >> 1;
            const e = await wrong(j.uri, j.actions.slice(0, mid));
            if (e === null) lo = mid;
            else [hi, hiError] = [mid, e];
          }
          // Reduce the failing prefix: drop each earlier action that the failure does not need.
          let reduced = j.actions.slice(0, hi);
          for (let i = reduced.length - 2; i >= 0; i--) {
            const without = [...reduced.slice(0, i), ...reduced.slice(i + 1)];
            if ((await wrong(j.uri, without)) !== null) reduced = without;
          }
          sequenceFailures.push({ program, sequence: j.sequence, reduced, error: hiError });
        }
      } finally {
        await env.close();
      }
    }),
  );
  pool.close();
  // A reduced failing sequence is blamed on the actions in it already known to miscompile (alone
  // here, or on any measured LLVM version), else on its last action, the one that changed the
  // output. (gvn,attributor,dse breaks stringsearch on LLVM 22: dse trusts what attributor
  // inferred, and attributor miscompiles alone on LLVM 14.)
  // Known: found alone in this run, or on another LLVM version (matched through the flag's
  // spellings); not this version's previous record, so that a rerun can clear a finding.
  const llvmMajor = findLlvm().major;
  const known = new Set([
    ...Object.keys(unsafe),
    ...[...metadataFiles().entries()].filter(([major]) => major !== llvmMajor).flatMap(([, f]) => f.miscompile?.found ?? []),
  ]);
  for (const f of sequenceFailures) {
    const blamed = f.reduced.filter((x) => spellingsOf(x).some((p) => known.has(p)));
    for (const culprit of blamed.length ? blamed : [f.reduced[f.reduced.length - 1]]) {
      (unsafe[culprit] ??= []).push(`${f.program} random sequence ${f.sequence}, reduced to ${f.reduced.join(',')}: ${f.error}`);
    }
  }
  const llvm = findLlvm();
  console.log(JSON.stringify({ llvm: llvm.version, benchmarks: uris.length, checks, unsafe }, null, 1));
  if (a.write) {
    const sequences = a.sequences ? `, and ${a.sequences} seeded random 30-action sequences per program (a failing one cut at the action that breaks its longest correct prefix, reduced, and blamed on the actions in it already known to miscompile, else on that action)` : '';
    const file = writeMeasurement(llvm.major, llvm.version, 'miscompile', {
      command: `node dist/scripts/bench/unsafe-actions.js --space ${a.space}${a.sequences ? ` --sequences ${a.sequences}` : ''} --write${a._.length ? ` ${uris.join(' ')}` : ''}`,
      summary: `${checks} checks: every action alone and after mem2reg on ${uris.length} programs${sequences}, each result built, run and compared with its -O0 output`,
      actionSpaceVersion: space.version,
      covered: [...space.names],
      found: Object.keys(unsafe).sort(),
      evidence: unsafe,
    });
    console.error(`wrote ${file}`);
  }
}

void main();
