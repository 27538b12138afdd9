/**
 * Actions known to miscompile on a given LLVM major version: applied alone (or after `mem2reg`)
 * to a runnable benchmark, the program's output differs from its -O0 output. Search agents leave
 * them out unless told otherwise (`allowUnsafe=true`); the action space itself keeps them, so
 * that its version and indices do not change.
 *
 * Measured with `node dist/scripts/bench/unsafe-actions.js` (every action alone and after
 * mem2reg on the 8 embedded-v0 programs, each result built and run): on LLVM 14.0.6, 1,920
 * checks, `attributor` miscompiled 6 of 8 programs (11 of 16 checks); no other action did.
 */
import type { ActionSpace } from './space';

/** Unsafe pipeline elements by LLVM major version. */
export const UNSAFE_ACTIONS: Readonly<Record<number, readonly string[]>> = {
  14: ['attributor'],
};

/**
 * Indices of `space`'s actions that are not known to miscompile on the space's LLVM version (all
 * of them when `allowUnsafe`).
 */
export function safeActionIndices(space: ActionSpace, allowUnsafe = false): number[] {
  const unsafe = new Set(allowUnsafe ? [] : (UNSAFE_ACTIONS[space.llvmMajor] ?? []));
  return space.names.map((_, i) => i).filter((i) => !unsafe.has(space.names[i]));
}
