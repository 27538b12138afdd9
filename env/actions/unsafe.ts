/**
 * Actions a search should not pick on a given LLVM major version, for one of two reasons. Search
 * agents leave them out unless told otherwise (`allowUnsafe=true`); the action space itself keeps
 * them, so that its version and indices do not change.
 *
 * - Miscompiles: applied alone (or after `mem2reg`) to a runnable benchmark, the program's output
 *   differs from its -O0 output. Measured with `node dist/scripts/bench/unsafe-actions.js` (every
 *   action alone and after mem2reg on the 8 embedded-v0 programs, each result built and run): on
 *   LLVM 14.0.6, 1,920 checks, `attributor` miscompiled 6 of 8 programs (11 of 16 checks); no
 *   other action did.
 * - Not reproducible: the same action on the same IR can give different code in two copies of
 *   a module in one process (the result depends on heap addresses), so a PassGym worker can
 *   disagree with stock `opt`. Measured with `node dist/scripts/bench/nondeterministic-actions.js
 *   --sequences 40` (320 random 30-action sequences on two copies of each embedded-v0 program,
 *   stepped in turn): on LLVM 14.0.6 the copies first differed at an `attributor` step in 3
 *   sequences and never at any other action. (`gvn-sink`, which behaves this way too, is not in
 *   the action space: CompilerGym left it out for that reason.)
 */
import type { ActionSpace } from './space';

/** Unsafe pipeline elements by LLVM major version (`attributor` miscompiles and is not reproducible). */
export const UNSAFE_ACTIONS: Readonly<Record<number, readonly string[]>> = {
  14: ['attributor'],
};

/**
 * Indices of `space`'s actions that are not known to miscompile or to be irreproducible on the
 * space's LLVM version (all of them when `allowUnsafe`).
 */
export function safeActionIndices(space: ActionSpace, allowUnsafe = false): number[] {
  const unsafe = new Set(allowUnsafe ? [] : (UNSAFE_ACTIONS[space.llvmMajor] ?? []));
  return space.names.map((_, i) => i).filter((i) => !unsafe.has(space.names[i]));
}
