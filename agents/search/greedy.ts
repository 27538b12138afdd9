/**
 * Greedy search, as CompilerGym's `examples/...greedy` baseline: from the current state try every
 * action (each on a fork, in parallel over the lanes), move to the best child, and stop when no
 * action improves the reward. With `epsilon` > 0 it is ε-greedy: with probability ε it moves to a
 * random child that changes the IR instead of the best, and it stops only after `patience`
 * consecutive rounds without a new best.
 */
import seedrandom from 'seedrandom';
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { Evaluator, SearchNode } from './evaluator';

/** Reward differences below this count as no improvement (rewards are ratios of instruction counts). */
const EPS = 1e-9;

/**
 * Options: `epsilon` (default 0), `patience` (rounds without a new best before stopping when
 * ε > 0, default 3), `maxLength` (longest sequence, default 200), `allowUnsafe` (also try the actions known to
 * miscompile, default false).
 * @throws Error for an unknown or out-of-range option.
 */
export function greedyAgent(options: AgentOptions): Agent {
  checkOptionKeys('greedy', options, ['epsilon', 'patience', 'maxLength', 'allowUnsafe']);
  const allowUnsafe = options.allowUnsafe === true;
  const epsilon = numberOption(options, 'epsilon', 0, 0, 1);
  const patience = numberOption(options, 'patience', 3, 1);
  const maxLength = numberOption(options, 'maxLength', 200, 1);
  return {
    name: 'greedy',
    async run(context: AgentContext): Promise<AgentResult> {
      const rng = seedrandom(`greedy:${context.seed}`);
      const ev = await Evaluator.open(context);
      const actions = ev.searchActions(allowUnsafe);
      try {
        let current: SearchNode = ev.root;
        let best: SearchNode = ev.root;
        let stale = 0;
        let rounds = 0;
        while (!ev.outOfBudget() && current.actions.length < maxLength) {
          rounds++;
          const edges = await ev.expand(actions.map((action) => ({ node: current, action })));
          const moves = edges.filter((e) => e.child !== null && e.child.hash !== current.hash);
          if (moves.length === 0) break;
          const top = moves.reduce((a, b) => (b.child!.value > a.child!.value ? b : a));
          const improves = top.child!.value > current.value + EPS;
          if (epsilon === 0) {
            if (!improves) break;
            current = top.child!;
          } else {
            current = rng() < epsilon ? moves[Math.floor(rng() * moves.length)].child! : top.child!;
          }
          if (current.value > best.value + EPS) {
            best = current;
            stale = 0;
          } else if (++stale >= patience) break;
        }
        return { actions: [...best.actions], steps: ev.stats.compilations, stats: { ...ev.summary(), rounds } };
      } finally {
        await ev.close();
      }
    },
  };
}
