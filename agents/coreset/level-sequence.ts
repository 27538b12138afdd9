/**
 * An optimization level's pipeline as a sequence of the action space: `opt -passes='default<Oz>'
 * -print-pipeline-passes` lists the passes LLVM's pass builder runs for the level; each pass that
 * is an action (by name, with its parameters or without) becomes that action, in order, and the
 * rest (adaptors, analyses, `require<…>`, passes outside the space) are left out. The coreset
 * build seeds its search with it: a known-good ordering from LLVM itself, not a result.
 */
import { execFileSync } from 'node:child_process';
import type { ActionSpace } from '../../env/actions/space';

/** Pass names (with their `<params>`) in the order a printed pipeline runs them. */
export function pipelinePasses(printed: string): string[] {
  return [...printed.matchAll(/([a-z0-9][a-z0-9.-]*)(<[^()]*?>)?(?=[,()]|$)/g)].map((m) => m[1] + (m[2] ?? ''));
}

/**
 * The actions of `space` that make up `level`'s pipeline on the LLVM whose `opt` is given.
 * @param allowed the actions that may be used (e.g. the safe ones); others are left out.
 * @throws Error when `opt` fails (naming the command).
 */
export function levelAsActions(space: ActionSpace, opt: string, level: 'O1' | 'O2' | 'O3' | 'Os' | 'Oz', allowed: ReadonlySet<number>): number[] {
  let printed: string;
  try {
    printed = execFileSync(opt, [`-passes=default<${level}>`, '-print-pipeline-passes', '-disable-output', '-'], { input: '', encoding: 'utf8' });
  } catch (e) {
    throw new Error(`${opt} -passes='default<${level}>' -print-pipeline-passes failed: ${(e as Error).message}`);
  }
  const out: number[] = [];
  for (const pass of pipelinePasses(printed.trim())) {
    const k = [pass, pass.replace(/<.*$/, '')].map((n) => space.names.indexOf(n) >= 0 ? space.names.indexOf(n) : tryIndex(space, n)).find((i) => i !== null);
    if (k !== undefined && k !== null && allowed.has(k)) out.push(k);
  }
  return out;
}

function tryIndex(space: ActionSpace, name: string): number | null {
  try {
    return space.index(name);
  } catch {
    return null;
  }
}
