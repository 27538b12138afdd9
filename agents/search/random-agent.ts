/**
 * Random search as a leaderboard agent: `context.parallelism` independent lanes of
 * `randomSearch` (one environment each, so one per worker), each with its own seed and an equal
 * share of the step budget (which they spend exactly, together); the best sequence over all lanes
 * wins.
 */
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { randomSearch, SearchResult } from './random';
import { safeActionIndices } from '../../env/actions/unsafe';

/**
 * Options: `patience` (steps without improvement before a restart, default |A|, CompilerGym's
 * patience 1 × |A|), `maxEpisodeLength` (default 200), `allowUnsafe` (also use the actions known
 * to miscompile, `env/actions/unsafe.ts`; default false).
 * @throws Error for an unknown or out-of-range option.
 */
export function randomAgent(options: AgentOptions): Agent {
  checkOptionKeys('random', options, ['patience', 'maxEpisodeLength', 'allowUnsafe']);
  const allowUnsafe = options.allowUnsafe === true;
  const patience = options.patience === undefined ? undefined : numberOption(options, 'patience', 0, 1);
  const maxEpisodeLength = numberOption(options, 'maxEpisodeLength', 200, 1);
  return {
    name: 'random',
    async run(context: AgentContext): Promise<AgentResult> {
      // The step budget is dealt out whole: lanes get floor(steps / lanes), the first ones one more.
      const steps = context.budget.steps;
      const lanes = Math.max(1, Math.min(context.parallelism, steps ?? Infinity));
      const share = (lane: number) => (steps === undefined ? undefined : Math.floor(steps / lanes) + (lane < steps % lanes ? 1 : 0));
      const results: SearchResult[] = await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          const env = await context.makeEnv();
          try {
            await env.reset({ seed: context.seed * 1000 + lane });
            const actions = safeActionIndices(env.actionSpace, allowUnsafe);
            return await randomSearch(env, { budgetSeconds: context.budget.seconds, budgetSteps: share(lane), patience, maxEpisodeLength, actions });
          } finally {
            await env.close();
          }
        }),
      );
      const best = results.reduce((a, b) => (b.bestReward > a.bestReward ? b : a));
      return {
        actions: best.bestActions,
        steps: results.reduce((s, r) => s + r.steps, 0),
        stats: { episodes: results.reduce((s, r) => s + r.episodes, 0), lanes },
      };
    },
  };
}
