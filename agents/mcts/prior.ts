/**
 * Priors of the tree search: P(a|s), the probability the search gives to trying action `a` in
 * state `s` before it has any value for it (the `P` of PUCT). A prior may also propose action
 * sequences, which the search expands before anything else at that state (the Reasoning
 * Compiler's "LLM proposals inside MCTS").
 *
 * Three priors exist: `uniform` (here), `policy` (a trained PPO policy, `policy-prior.ts`) and
 * `llm` (a language model, `agents/llm-prior/`).
 */
import type { ObservationValue } from '../../env/observations';
import type { SearchNode } from '../search/evaluator';

/** One step of the path from the benchmark's start to a state. */
export interface HistoryStep {
  /** Action index. */
  action: number;
  /** Reward of that step (IrInstructionCountOz by default: change of the episode reward). */
  reward: number;
}

/** What a prior is asked about. */
export interface PriorRequest {
  /** The state. `node.actions` is the sequence that first reached it. */
  readonly node: SearchNode;
  /** `node.actions` with the reward each step gave. */
  readonly history: readonly HistoryStep[];
  /** The best state found so far (its sequence and episode reward). */
  readonly best: SearchNode;
  /** Benchmark URI. */
  readonly benchmark: string;
  /** Names of the actions (pipeline elements), indexed like the action space. */
  readonly actionNames: readonly string[];
  /** Reads an observation space (`Autophase`, `InstCount`, `Ir`, ...) at the state. */
  observe(space: string): Promise<ObservationValue>;
}

/** A prior's answer. */
export interface PriorResult {
  /** P(a|s) for every action: non-negative, sums to 1. */
  readonly p: Float64Array;
  /** Sequences of action indices to expand first, most promising first (may be empty). */
  readonly proposals: readonly (readonly number[])[];
}

/** A source of P(a|s). */
export interface Prior {
  /** `uniform`, `policy`, `llm`. */
  readonly name: string;
  /** The prior of one state. A prior never throws for a bad answer of its own: it falls back to uniform and counts it. */
  prior(request: PriorRequest): Promise<PriorResult>;
  /** Figures for `AgentResult.stats` (calls, tokens, fallbacks, ...). */
  stats(): Record<string, number | string>;
  /** Frees models and connections. */
  close?(): Promise<void>;
}

/** The uniform distribution over `n` actions. */
export function uniform(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

/**
 * Mixes a distribution with the uniform one so that every action keeps at least `floor / n`:
 * `(1 - floor) · p + floor / n`, after normalising `p` (AlphaZero mixes noise into its root prior
 * the same way). A `p` without mass gives the uniform distribution.
 * @param weights non-negative weights over the actions (normalised here).
 * @param floor share of the uniform distribution, in [0, 1].
 * @throws RangeError for a negative or non-finite weight or a floor outside [0, 1].
 */
export function withFloor(weights: ArrayLike<number>, floor: number): Float64Array {
  if (!(floor >= 0 && floor <= 1)) throw new RangeError(`prior floor ${floor} must be in [0, 1]`);
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`prior weight ${w} of action ${i} is not a non-negative number`);
    total += w;
  }
  if (total === 0) return uniform(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = (1 - floor) * (weights[i] / total) + floor / n;
  return p;
}

/** The prior that knows nothing: P(a|s) = 1/|A|, no proposals. */
export function uniformPrior(): Prior {
  let calls = 0;
  return {
    name: 'uniform',
    async prior(request) {
      calls++;
      return { p: uniform(request.actionNames.length), proposals: [] };
    },
    stats: () => ({ priorCalls: calls }),
  };
}
