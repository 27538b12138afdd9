/**
 * Beam search of width k: each round expands every action from each of the k states of the
 * beam (in parallel over the lanes), keeps the k best distinct states among the beam and its
 * children (by IR hash, so transpositions and no-ops collapse), and remembers the best state
 * seen. It stops when the budget is spent, when `patience` rounds pass without a new best, or at
 * `maxLength`.
 */
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { Evaluator, SearchNode } from './evaluator';

const EPS = 1e-9;

/**
 * Options: `width` (k, default 4), `patience` (rounds without a new best before stopping,
 * default 2), `maxLength` (default 200), `allowUnsafe` (also try the actions known to miscompile,
 * default false).
 * @throws Error for an unknown or out-of-range option.
 */
export function beamAgent(options: AgentOptions): Agent {
  checkOptionKeys('beam', options, ['width', 'patience', 'maxLength', 'allowUnsafe']);
  const allowUnsafe = options.allowUnsafe === true;
  const width = numberOption(options, 'width', 4, 1, 1024);
  const patience = numberOption(options, 'patience', 2, 1);
  const maxLength = numberOption(options, 'maxLength', 200, 1);
  return {
    name: 'beam',
    async run(context: AgentContext): Promise<AgentResult> {
      const ev = await Evaluator.open(context);
      const actions = ev.searchActions(allowUnsafe);
      try {
        let beam: SearchNode[] = [ev.root];
        let best = ev.root;
        let stale = 0;
        let rounds = 0;
        while (!ev.outOfBudget() && beam.some((n) => n.actions.length < maxLength)) {
          rounds++;
          const pairs = beam.filter((n) => n.actions.length < maxLength).flatMap((node) => actions.map((action) => ({ node, action })));
          const edges = await ev.expand(pairs);
          const pool = new Map<string, SearchNode>(beam.map((n) => [n.hash, n]));
          for (const e of edges) if (e.child && !pool.has(e.child.hash)) pool.set(e.child.hash, e.child);
          const next = [...pool.values()].sort((a, b) => b.value - a.value || a.actions.length - b.actions.length).slice(0, width);
          const top = next[0];
          if (top.value > best.value + EPS) {
            best = top;
            stale = 0;
          } else if (++stale >= patience) break;
          if (next.every((n) => beam.some((b) => b.hash === n.hash))) break; // the beam did not move
          beam = next;
        }
        return { actions: [...best.actions], steps: ev.stats.compilations, stats: { ...ev.summary(), rounds, width } };
      } finally {
        await ev.close();
      }
    },
  };
}
