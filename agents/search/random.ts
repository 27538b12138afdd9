/**
 * Random search with patience, as CompilerGym's `compiler_gym/random_search.py`: run episodes of
 * uniformly random actions; an episode stops after `patience` consecutive steps that do not
 * improve its best episode reward; keep the best prefix over all episodes until the budget runs out.
 * The budget is checked between steps, and a step gets at most the time the budget has left plus a
 * grace (`stepTimeoutSeconds`).
 */
import type { Env } from '../../env/core';
import { stepTimeoutSeconds } from './step-deadline';

/** Options of `randomSearch`. */
export interface RandomSearchOptions {
  /** Wall-clock budget in seconds. */
  budgetSeconds?: number;
  /** Budget in environment steps (compilations). */
  budgetSteps?: number;
  /** Steps without improvement before an episode restarts (default: the action count, CompilerGym's patience 1 × |A|). */
  patience?: number;
  /** Longest episode, in steps (default 200). */
  maxEpisodeLength?: number;
  /** Actions to sample from (default: all of the action space). */
  actions?: readonly number[];
}

/** The best sequence found. */
export interface SearchResult {
  benchmark: string;
  /** Best episode reward (for IrInstructionCountOz: 1.0 matches -Oz). */
  bestReward: number;
  /** Action indices of the best sequence. */
  bestActions: number[];
  /** Steps (compilations) spent. */
  steps: number;
  episodes: number;
  seconds: number;
}

/**
 * Runs random search on `env`'s current benchmark (call `reset()` with the benchmark and a seed first).
 * @throws Error when the environment has no reward space.
 */
export async function randomSearch(env: Env, options: RandomSearchOptions = {}): Promise<SearchResult> {
  if (env.rewardSpaceName === null) throw new Error('randomSearch needs an environment with a reward space');
  const budgetMs = (options.budgetSeconds ?? Infinity) * 1000;
  const budgetSteps = options.budgetSteps ?? Infinity;
  if (!Number.isFinite(budgetMs) && !Number.isFinite(budgetSteps)) throw new Error('randomSearch needs budgetSeconds or budgetSteps');
  const patience = options.patience ?? env.actionSpace.n;
  const maxLength = options.maxEpisodeLength ?? 200;
  const t0 = performance.now();
  const result: SearchResult = { benchmark: env.benchmark, bestReward: 0, bestActions: [], steps: 0, episodes: 0, seconds: 0 };
  const outOfBudget = () => result.steps >= budgetSteps || performance.now() - t0 >= budgetMs;
  while (!outOfBudget()) {
    if (result.episodes > 0) await env.reset();
    result.episodes++;
    let episodeBest = 0;
    let sinceImprovement = 0;
    while (sinceImprovement < patience && env.actions.length < maxLength && !outOfBudget()) {
      const choices = options.actions;
      const action = choices ? choices[Math.floor(env.rng() * choices.length)] : env.actionSpace.sample(env.rng);
      // A step gets at most the budget's time left and a grace (then fails as a StepTimeout, counted).
      await (Number.isFinite(budgetMs) ? env.multistep([action], { timeoutSeconds: stepTimeoutSeconds(budgetMs / 1000, (performance.now() - t0) / 1000) }) : env.step(action));
      result.steps++;
      const r = env.episodeReward ?? 0;
      if (r > episodeBest) {
        episodeBest = r;
        sinceImprovement = 0;
        if (r > result.bestReward) {
          result.bestReward = r;
          result.bestActions = [...env.actions];
        }
      } else sinceImprovement++;
    }
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}
