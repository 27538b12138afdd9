/**
 * The actions a search picks from: a search agent leaves out the actions that are not
 * deterministic or are known to miscompile on the space's LLVM (`ActionSpace.metadata`, measured
 * as `metadata.ts` says) unless told otherwise (`allowUnsafe=true`). The action space itself
 * keeps them, so that its version and indices do not change.
 */
import type { ActionSpace } from './space';

/** Indices of `space`'s safe actions (`ActionSpace.safeIndices`), or all of them when `allowUnsafe`. */
export function safeActionIndices(space: ActionSpace, allowUnsafe = false): number[] {
  return allowUnsafe ? space.names.map((_, k) => k) : space.safeIndices();
}
