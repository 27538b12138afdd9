/**
 * The observation registry: every observation space of the LLVM environment, keyed by name, each
 * with its specification and its computation side by side (`spec.ts`). CompilerGym's names,
 * shapes and meanings (CompilerGym v0.2.5, `compiler_gym/envs/llvm/service/ObservationSpaces.h`
 * and the LLVM environment's documentation); each space says whether it is deterministic (the
 * same state always gives the same value) and platform-dependent (the value depends on the host).
 *
 * Values are computed in the worker process that holds the module (`session/worker.ts` calls
 * `compute`). To add a space: add an entry to one of the family modules below (or a new module
 * listed in SPECS), and give its value a wire encoding in `service/proto.ts` if it is of a new
 * kind (docs/architecture.md, "Adding an observation space").
 */
import { UnknownSpaceError } from '../errors';
import { IR_SPACES } from './ir';
import { FEATURE_SPACES } from './features';
import { CODE_SIZE_SPACES } from './code-size';
import { PROGRAM_SPACES } from './program';
import { PROGRAML_SPACES } from './programl';
import { LEXED_SPACES } from './lexed';
import { CPU_INFO_SPACES } from './cpu-info';
import { INST2VEC_SPACES } from './inst2vec';
import type { ObservationSpaceSpec } from './spec';

export { INSTCOUNT_NAMES, AUTOPHASE_NAMES } from './features';
export type { ObservationValue, ObservationSpaceSpec, ObserveContext, BaselineLevel, JsonObject } from './spec';
export { isNumberArray } from './spec';

const SPECS: ObservationSpaceSpec[] = [
  ...IR_SPACES,
  ...FEATURE_SPACES,
  ...CODE_SIZE_SPACES,
  ...PROGRAM_SPACES,
  ...PROGRAML_SPACES,
  ...LEXED_SPACES,
  ...INST2VEC_SPACES,
  ...CPU_INFO_SPACES,
];

/** All observation spaces, by name. */
export const OBSERVATION_SPACES: ReadonlyMap<string, ObservationSpaceSpec> = new Map(SPECS.map((s) => [s.name, s]));

/**
 * The observation space called `name`.
 * @throws UnknownSpaceError listing the valid names.
 */
export function observationSpace(name: string): ObservationSpaceSpec {
  const spec = OBSERVATION_SPACES.get(name);
  if (!spec) {
    throw new UnknownSpaceError(
      `unknown observation space '${name}'; valid: ${[...OBSERVATION_SPACES.keys()].join(', ')}`,
    );
  }
  return spec;
}
