/**
 * The statistics of the search tree and PUCT selection.
 *
 * Nodes are states identified by IR hash, so the "tree" is a graph: two sequences that reach the
 * same IR share one node and its statistics (a transposition). Each node has one edge per
 * action with the prior P(s,a), the visit count N(s,a) and the backed-up value.
 *
 * PUCT (Silver et al. 2017, "Mastering the game of Go without human knowledge", Methods):
 *   a* = argmax_a  Q(s,a) + c · P(s,a) · √N(s) / (1 + N(s,a))
 * Q is normalised to [0, 1] by the least and greatest values backed up so far (MuZero's
 * normalisation, Schrittwieser et al. 2020, Appendix B), because episode rewards of pass
 * sequences differ by hundredths. An edge never visited takes its state's own value as Q (the
 * pass is assumed to change nothing: "first-play urgency" at the parent's value), so unvisited
 * edges are ordered by P, and an edge is tried again only while its value or prior earn it.
 */
import type { SearchNode } from '../search/evaluator';

/** How an edge's Q is computed from the values backed up through it. */
export type Backup = 'mean' | 'max';

/** One action out of a state. */
export interface TreeEdge {
  readonly action: number;
  /** P(s,a). */
  p: number;
  /** N(s,a), including virtual visits of simulations in flight. */
  n: number;
  /** Sum of backed-up values (including virtual losses in flight). */
  w: number;
  /** Greatest backed-up value (-Infinity before the first). */
  best: number;
  /** Child IR hash; undefined until evaluated. */
  child: string | undefined;
  /** Never select again: the pass failed, changed nothing, led back onto the path or to a dead end. */
  pruned: boolean;
  /** Being evaluated by a simulation of the current batch. */
  pending: boolean;
}

/** Search statistics of one state. */
export class TreeNode {
  /** N(s), including virtual visits. */
  n = 0;
  /** Edges, indexed by action; null until the prior has been asked. */
  edges: TreeEdge[] | null = null;
  /** Action sequences to expand before PUCT takes over, first first. */
  readonly proposals: number[][] = [];
  /** Rest of the proposal sequence each pending edge started (action -> rest). */
  readonly continuations = new Map<number, number[]>();

  /**
   * @param tiebreak per-action numbers in [0, 1) that order equal scores: a seeded shuffle of
   *   this state's own, so that states do not all try untried actions in one order.
   */
  constructor(
    readonly state: SearchNode,
    readonly tiebreak: ArrayLike<number>,
  ) {}

  /** Creates the edges from a prior. */
  setPrior(p: ArrayLike<number>): void {
    this.edges = Array.from({ length: p.length }, (_, action) => ({
      action, p: p[action], n: 0, w: 0, best: -Infinity, child: undefined, pruned: false, pending: false,
    }));
  }

  /** True when every edge is pruned (nothing is left to try from this state). */
  get dead(): boolean {
    return this.edges !== null && this.edges.every((e) => e.pruned);
  }
}

/** Least and greatest values seen, for normalising Q to [0, 1]. */
export class ValueBounds {
  min = Infinity;
  max = -Infinity;

  update(v: number): void {
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** (v - min) / (max - min), or 0.5 while all values are equal. */
  normalise(v: number): number {
    return this.max > this.min ? (v - this.min) / (this.max - this.min) : 0.5;
  }
}

/** Q(s,a) before normalisation: the mean or the greatest backed-up value, or `fallback` when unvisited. */
export function edgeValue(edge: TreeEdge, backup: Backup, fallback: number): number {
  if (edge.n === 0 || edge.best === -Infinity) return fallback;
  return backup === 'max' ? edge.best : edge.w / edge.n;
}

/**
 * The PUCT choice at `node` among edges neither pruned nor pending, or null when there is none.
 * @param c exploration constant of PUCT.
 */
export function selectPuct(node: TreeNode, c: number, backup: Backup, bounds: ValueBounds): TreeEdge | null {
  if (!node.edges) throw new Error('selectPuct: the node has no prior yet');
  const sqrtN = Math.sqrt(Math.max(node.n, 1));
  const own = node.state.value;
  let best: TreeEdge | null = null;
  let bestScore = -Infinity;
  for (const e of node.edges) {
    if (e.pruned || e.pending) continue;
    const q = bounds.normalise(edgeValue(e, backup, own));
    const score = q + (c * e.p * sqrtN) / (1 + e.n) + node.tiebreak[e.action] * 1e-9;
    if (score > bestScore) {
      bestScore = score;
      best = e;
    }
  }
  return best;
}
