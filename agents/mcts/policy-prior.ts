/**
 * The AlphaZero-style prior: P(a|s) is a trained policy's action distribution at the state
 * (Silver et al., 2017: the policy network's output is PUCT's prior). The policy is any object
 * with the `PolicyLike` shape; `loadPolicyPrior` loads a PPO checkpoint through
 * `agents/ppo/policy.ts` (`loadPolicy(dir)`), e.g. the committed `agents/ppo/pretrained`.
 */
import { loadPolicy } from '../ppo/policy';
import { withFloor, type Prior } from './prior';
import { isNumberArray } from '../../env/observations';

/** What the policy prior needs from a policy (the PPO policy of `agents/ppo/policy.ts` has this shape). */
export interface PolicyLike {
  /** Observation space the policy reads, e.g. `Autophase`. */
  readonly observationSpace: string;
  /** `ActionSpace.version` the policy was trained on, e.g. `PassesAll-llvm14-2f985c44`. */
  readonly actionSpaceVersion: string;
  /** Softmax over the |A| actions for an observation and the actions applied so far. */
  probabilities(observation: readonly number[], history: readonly number[]): Promise<Float32Array>;
  dispose(): void;
}

/** The checkpoint's action space does not match the environment's. */
export class PolicyMismatchError extends Error {
  readonly code = 'PolicyMismatch';
}

/**
 * What to say when a policy trained on `policyVersion` meets an environment of `envVersion`
 * (`ActionSpace.version`, `NAME-llvmN-hash`): the two versions, and the remedy, which names
 * the LLVM the policy was trained on when only the LLVM differs.
 */
export function policyMismatchMessage(policyVersion: string, envVersion: string, what = 'the policy'): string {
  const llvmOf = (v: string) => /-llvm(\d+)-/.exec(v)?.[1];
  const trained = llvmOf(policyVersion);
  const loaded = llvmOf(envVersion);
  const remedy =
    trained && loaded && trained !== loaded
      ? `it was trained on LLVM ${trained} and LLVM ${loaded} is loaded: run with PASSGYM_LLVM=${trained}, or train a policy for LLVM ${loaded} ` +
        '(passgym train ppo --out DIR, see docs/ppo.md) and pass it as the checkpoint'
      : 'train a policy on this action space (passgym train ppo --out DIR, see docs/ppo.md)';
  return `${what} was trained on action space ${policyVersion}, but the environment's is ${envVersion}; ${remedy}`;
}

/**
 * A prior from `policy`, mixed with `floor` of the uniform distribution.
 * @param actionSpaceVersion the environment's `actionSpace.version`.
 * @throws PolicyMismatchError when the policy was trained on another action space.
 */
export function policyPrior(policy: PolicyLike, actionSpaceVersion: string, floor: number): Prior {
  if (policy.actionSpaceVersion !== actionSpaceVersion) {
    throw new PolicyMismatchError(`${policyMismatchMessage(policy.actionSpaceVersion, actionSpaceVersion)}, or use the uniform prior (--prior uniform, or prior=uniform in --agent-options)`);
  }
  let calls = 0;
  return {
    name: 'policy',
    async prior(request) {
      calls++;
      const obs = await request.observe(policy.observationSpace);
      if (!isNumberArray(obs)) throw new TypeError(`the policy reads ${policy.observationSpace}, which is not a vector observation`);
      const probs = await policy.probabilities(obs, request.node.actions);
      if (probs.length !== request.actionNames.length) {
        throw new PolicyMismatchError(`the policy gave ${probs.length} probabilities for ${request.actionNames.length} actions`);
      }
      return { p: withFloor(probs, floor), proposals: [] };
    },
    stats: () => ({ priorCalls: calls, policyObservation: policy.observationSpace }),
    close: async () => policy.dispose(),
  };
}

/**
 * Loads a PPO checkpoint folder with `loadPolicy` (`agents/ppo/policy.ts`) and makes it a prior.
 * @throws Error when the checkpoint cannot be loaded (naming the folder); PolicyMismatchError
 *   when its action space differs from `actionSpaceVersion`.
 */
export async function loadPolicyPrior(checkpointDir: string, actionSpaceVersion: string, floor: number): Promise<Prior> {
  let policy: PolicyLike;
  try {
    policy = await loadPolicy(checkpointDir);
  } catch (e) {
    throw new Error(`--prior policy:${checkpointDir}: cannot load the PPO checkpoint: ${(e as Error).message}`);
  }
  try {
    return policyPrior(policy, actionSpaceVersion, floor);
  } catch (e) {
    policy.dispose();
    throw e;
  }
}
