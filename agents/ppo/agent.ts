/**
 * The PPO policy as a leaderboard agent (`ppo`):
 * - `k=1` (default), greedy rollout: from the benchmark's start take the policy's most probable
 *   action for the policy's horizon (no search); return the best prefix of that sequence.
 * - `k=K>1`, policy-guided search: K rollouts of the horizon, the first greedy and the other K−1
 *   sampled from the policy (each with its own seeded stream), spread over
 *   `context.parallelism` environments; return the best prefix of all of them. The sampled
 *   rollouts draw from the policy at temperature `temperature` (default 1: the policy as trained;
 *   below 1 the draws stay closer to the greedy rollout).
 * - `length=L` makes each rollout L steps long (default: the policy's horizon H). Past the horizon
 *   the policy starts a new episode on the module the rollout has reached: its step fraction and
 *   action history count from step H, 2H, … (`policyHistory`), as if the optimised module were a
 *   fresh benchmark.
 * Compilations (`steps`) are the environment steps taken; the budget stops it early. Actions
 * known to miscompile (`env/actions/unsafe.ts`) get probability 0 (the rest renormalised) unless
 * `allowUnsafe=true`.
 */
import { PolicyMismatchError, policyMismatchMessage } from '../mcts/policy-prior';
import path from 'node:path';
import seedrandom from 'seedrandom';
import type { Env } from '../../env/core';
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { safeActionIndices } from '../../env/actions/unsafe';
import { loadPolicy, PpoPolicy } from './policy';

/** The committed checkpoint, `agents/ppo/pretrained/` (this file runs from dist/agents/ppo/). */
export const PRETRAINED_DIR = path.resolve(__dirname, '..', '..', '..', 'agents', 'ppo', 'pretrained');

/** Index of the largest entry (the first on ties). */
function argmax(p: Float32Array): number {
  let best = 0;
  for (let a = 1; a < p.length; a++) if (p[a] > p[best]) best = a;
  return best;
}

/** Index drawn from the distribution `p` with `u` uniform in [0, 1). */
function sample(p: Float32Array, u: number): number {
  let c = 0;
  for (let a = 0; a < p.length; a++) {
    c += p[a];
    if (u < c) return a;
  }
  return p.length - 1;
}

/** `p` with the entries outside `allowed` set to 0 and the rest renormalised (in place). */
function restrict(p: Float32Array, allowed: ReadonlySet<number>): Float32Array {
  let sum = 0;
  for (let a = 0; a < p.length; a++) {
    if (!allowed.has(a)) p[a] = 0;
    sum += p[a];
  }
  for (let a = 0; a < p.length; a++) p[a] /= sum || 1;
  return p;
}

/**
 * `p` at temperature `t`: p_a^(1/t) renormalised (in place); `t` = 1 leaves `p` as it is.
 * Computed in log space from the largest entry, so small `t` does not underflow to all zeros.
 */
export function withTemperature(p: Float32Array, t: number): Float32Array {
  if (t === 1) return p;
  let max = 0;
  for (const v of p) if (v > max) max = v;
  if (max === 0) return p;
  let sum = 0;
  for (let a = 0; a < p.length; a++) {
    p[a] = p[a] > 0 ? Math.exp(Math.log(p[a] / max) / t) : 0;
    sum += p[a];
  }
  for (let a = 0; a < p.length; a++) p[a] /= sum;
  return p;
}

/**
 * The history the policy sees at step `t = actions.length` of a rollout chained from episodes of
 * `horizon` steps: the actions since the current episode began (step ⌊t/H⌋·H).
 */
export function policyHistory(actions: readonly number[], horizon: number): readonly number[] {
  return actions.slice(actions.length - (actions.length % horizon));
}

/**
 * Options: `checkpoint` (a run folder of `passgym train ppo`; default the committed
 * `agents/ppo/pretrained/`), `k` (rollouts, default 1 = greedy rollout), `temperature` (of the
 * sampled rollouts, in (0, 10], default 1), `length` (steps per rollout, an integer ≥ 1, default
 * the policy's horizon), `allowUnsafe` (default false).
 * @throws Error for an unknown or out-of-range option.
 */
export function ppoAgent(options: AgentOptions): Agent {
  checkOptionKeys('ppo', options, ['checkpoint', 'k', 'temperature', 'length', 'allowUnsafe']);
  const allowUnsafe = options.allowUnsafe === true;
  const k = numberOption(options, 'k', 1, 1);
  if (!Number.isInteger(k)) throw new Error(`agent option k=${k} must be an integer`);
  const temperature = numberOption(options, 'temperature', 1, 0, 10);
  if (temperature === 0) throw new Error('agent option temperature=0 is the greedy rollout: use k=1');
  const length = options.length === undefined ? undefined : numberOption(options, 'length', 0, 1);
  if (length !== undefined && !Number.isInteger(length)) throw new Error(`agent option length=${length} must be an integer`);
  const checkpoint = options.checkpoint === undefined ? PRETRAINED_DIR : String(options.checkpoint);
  let policy: Promise<PpoPolicy> | null = null;
  return {
    name: 'ppo',
    async run(context: AgentContext): Promise<AgentResult> {
      policy ??= loadPolicy(checkpoint);
      const pi = await policy;
      if (context.actionSpace !== pi.meta.actionSpace) throw new Error(`the policy in ${checkpoint} was trained on ${pi.meta.actionSpace}, the run uses ${context.actionSpace}`);
      const t0 = performance.now();
      const budgetSteps = context.budget.steps ?? Infinity;
      const budgetMs = (context.budget.seconds ?? Infinity) * 1000;
      let steps = 0;
      const outOfBudget = () => steps >= budgetSteps || performance.now() - t0 >= budgetMs;
      let best = { reward: 0, actions: [] as number[] };
      let next = 0;
      let rollouts = 0;
      const rolloutLength = length ?? pi.horizon;
      const rollout = async (env: Env, index: number, allowed: ReadonlySet<number>) => {
        const rng = seedrandom(`ppo:${context.seed}:${index}`);
        let observation = (await env.observe(pi.observationSpace)) as number[];
        for (let t = 0; t < rolloutLength && !outOfBudget(); t++) {
          const p = restrict(await pi.probabilities(observation, policyHistory(env.actions, pi.horizon)), allowed);
          const a = index === 0 ? argmax(p) : sample(withTemperature(p, temperature), rng());
          const r = await env.step(a);
          steps++;
          if (!r.info.error_type) observation = r.observation as number[];
          const reward = env.episodeReward ?? 0;
          if (reward > best.reward) best = { reward, actions: [...env.actions] };
        }
        rollouts++;
      };
      const lanes = Math.max(1, Math.min(k, context.parallelism));
      await Promise.all(
        Array.from({ length: lanes }, async () => {
          const env = await context.makeEnv({ observationSpace: pi.observationSpace });
          try {
            if (env.actionSpace.version !== pi.actionSpaceVersion) {
              throw new PolicyMismatchError(policyMismatchMessage(pi.actionSpaceVersion, env.actionSpace.version, `the policy in ${checkpoint}`));
            }
            const allowed = new Set(safeActionIndices(env.actionSpace, allowUnsafe));
            for (let first = true; !outOfBudget(); first = false) {
              const index = next++;
              if (index >= k) break;
              if (!first) await env.reset();
              await rollout(env, index, allowed);
            }
          } finally {
            await env.close();
          }
        }),
      );
      return { actions: best.actions, steps, stats: { rollouts, k, temperature, length: rolloutLength, bestReward: Number(best.reward.toFixed(6)), horizon: pi.horizon } };
    },
    async close() {
      if (policy) (await policy).dispose();
      policy = null;
    },
  };
}
