/**
 * The reference rows of the leaderboard as agents: `-Oz` and `-O3` are one action each in the
 * PassesWithLevels action space (`default<Oz>`, `default<O3>`), so their results are state CSV
 * rows that replay and validate like any agent's.
 */
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys } from '../options';

/** An agent that applies the LLVM pipeline `default<LEVEL>` once. */
export function levelAgent(level: 'O1' | 'O2' | 'O3' | 'Os' | 'Oz'): (options: AgentOptions) => Agent {
  return (options) => {
    checkOptionKeys(`-${level}`, options, []);
    return {
      name: level.toLowerCase(),
      actionSpace: 'PassesWithLevels',
      async run(context: AgentContext): Promise<AgentResult> {
        const env = await context.makeEnv();
        try {
          return { actions: [env.actionSpace.index(`default<${level}>`)], steps: 1 };
        } finally {
          await env.close();
        }
      },
    };
  };
}
