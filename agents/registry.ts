/**
 * Agents by name, for `passgym search --agent NAME` and `passgym leaderboard run --agent NAME`.
 * Each entry builds an agent from its options; `python:FILE` (a Python agent driving a server)
 * is resolved by the leaderboard harness, not here.
 */
import type { Agent, AgentFactory, AgentOptions } from './agent';
export { parseAgentOptions } from './options';
import { randomAgent } from './search/random-agent';
import { greedyAgent } from './search/greedy';
import { beamAgent } from './search/beam';
import { levelAgent } from './search/levels';
import { ppoAgent } from './ppo/agent';
import { mctsAgent } from './mcts/agent';
import { coresetAgent } from './coreset/agent';

const FACTORIES: Record<string, { describe: string; factory: AgentFactory }> = {
  random: { describe: "random search with patience (CompilerGym's random_search.py)", factory: randomAgent },
  greedy: { describe: 'greedy: try every action, take the best, stop when none improves (epsilon=ε for ε-greedy)', factory: greedyAgent },
  oz: { describe: "LLVM's -Oz pipeline (default<Oz>), the reference row", factory: levelAgent('Oz') },
  o3: { describe: "LLVM's -O3 pipeline (default<O3>)", factory: levelAgent('O3') },
  beam: { describe: 'beam search of width k (width=k), states deduplicated by IR hash', factory: beamAgent },
  ppo: { describe: 'PPO policy (checkpoint=DIR, default the committed one): k=1 greedy rollout, k=K best of K policy rollouts', factory: ppoAgent },
  coreset: { describe: 'best of a coreset of pass sequences built on the train splits, then local search (coreset=FILE, size=k, localSearch, validate; docs/coreset.md)', factory: coresetAgent },
  mcts: { describe: 'Monte Carlo tree search with PUCT; prior=uniform|policy:CHECKPOINT|llm (docs/mcts.md)', factory: mctsAgent },
};

/** Registered agent names with a one-line description each. */
export function agentNames(): Array<{ name: string; describe: string }> {
  return Object.entries(FACTORIES).map(([name, f]) => ({ name, describe: f.describe }));
}

/**
 * Builds the named agent.
 * @throws Error `unknown agent "X" (known: ...)`, or the factory's error for a bad option.
 */
export async function createAgent(name: string, options: AgentOptions = {}): Promise<Agent> {
  const entry = FACTORIES[name];
  if (!entry) throw new Error(`unknown agent "${name}" (known: ${Object.keys(FACTORIES).join(', ')}, python:FILE)`);
  return entry.factory(options);
}
