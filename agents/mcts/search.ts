/**
 * Monte Carlo tree search over pass sequences with PUCT selection and a pluggable prior.
 *
 * One iteration runs a batch of simulations (the lanes' width by default, so every worker
 * compiles at once):
 *  1. **Select**: from the start state, follow PUCT (`tree.ts`) to an edge not yet compiled. A
 *     state met for the first time asks the prior for P(a|s) and its proposals; proposed
 *     sequences are expanded before PUCT chooses at that state, one action per simulation, and
 *     the rest of a sequence continues at the child. Edges chosen by simulations still in flight
 *     carry a virtual loss so that the batch spreads out.
 *  2. **Expand/evaluate**: the batch's edges are compiled in parallel by the `Evaluator`
 *     (transposition table by IR hash; an edge is compiled once).
 *  3. **Value**: the child's episode reward (IrInstructionCountOz by default: the value of a
 *     state is `(n_O0 - n)/(n_O0 - n_Oz)`), or with `rollouts` = L the best episode reward along
 *     L further random passes (each one a compilation).
 *  4. **Backup**: each edge on the path adds the value (Q = the greatest value backed up through
 *     it, or the mean with `backup: 'mean'`; pass ordering is deterministic, so the best value
 *     found below an edge is what the edge is worth).
 * Edges whose pass failed, changed nothing, or led back to a state on the path are pruned; their
 * simulation backs up the state's own value, so that compilations spent on them count as visits.
 * The result is the best state seen by any evaluation (rollouts included).
 */
import seedrandom from 'seedrandom';
import type { Evaluator, SearchNode } from '../search/evaluator';
import type { HistoryStep, Prior } from './prior';
import { Backup, selectPuct, TreeEdge, TreeNode, ValueBounds } from './tree';

/** Options of `mctsSearch`. */
export interface MctsOptions {
  /** PUCT exploration constant c (default 0.1). */
  c?: number;
  /** Random passes after each new state, 0 for none (default 0). */
  rollouts?: number;
  /** Simulations per batch (default: the evaluator's width). */
  batch?: number;
  /** Longest sequence (default 200). */
  maxLength?: number;
  /** Q as the greatest (default) or the mean backed-up value. */
  backup?: Backup;
  /** Seed of the tie-breaks and rollouts. */
  seed?: number;
  /** Benchmark URI, given to the prior. */
  benchmark: string;
  /** Action names, indexed like the action space. */
  actionNames: readonly string[];
  /** Actions the search may take (default: all); the others' edges are pruned. */
  actions?: readonly number[];
}

/** The result of a search. */
export interface MctsResult {
  /** Best state found. */
  best: SearchNode;
  /** Best episode reward after each improvement, with the compilations spent when it was found. */
  trace: Array<{ compilations: number; value: number }>;
  simulations: number;
  /** Distinct states with statistics (the tree's size). */
  treeNodes: number;
  /** Greatest depth selected. */
  maxDepth: number;
}

interface Simulation {
  path: Array<{ node: TreeNode; edge: TreeEdge }>;
  /** Virtual loss added to each edge of the path while the simulation is in flight. */
  virtual: number;
  /** Value when the simulation ended without a new edge to compile (a terminal state). */
  terminalValue?: number;
}

/** Simulations in a row that may end without compiling anything before the search gives up. */
const MAX_IDLE_SIMULATIONS = 10_000;

/**
 * Runs MCTS until the evaluator's budget is spent or nothing is left to try.
 * @throws whatever the prior throws for a real failure (a policy that cannot run), or the
 *   evaluator for a state that cannot be rebuilt.
 */
export async function mctsSearch(ev: Evaluator, prior: Prior, options: MctsOptions): Promise<MctsResult> {
  const c = options.c ?? 0.1;
  const rollouts = options.rollouts ?? 0;
  const batch = Math.max(1, options.batch ?? ev.width);
  const maxLength = options.maxLength ?? 200;
  const backup: Backup = options.backup ?? 'max';
  const rng = seedrandom(`mcts:${options.seed ?? 0}`);
  const nActions = ev.actionCount;
  const allowed = options.actions ?? Array.from({ length: nActions }, (_, a) => a);
  const allowedSet = new Set(allowed);
  const tree = new Map<string, TreeNode>();
  const bounds = new ValueBounds();
  const result: MctsResult = { best: ev.root, trace: [], simulations: 0, treeNodes: 0, maxDepth: 0 };
  bounds.update(ev.root.value);

  const treeNode = (state: SearchNode): TreeNode => {
    let t = tree.get(state.hash);
    if (!t) tree.set(state.hash, (t = new TreeNode(state, Float64Array.from({ length: nActions }, () => rng()))));
    return t;
  };
  const seen = (state: SearchNode): void => {
    bounds.update(state.value);
    if (state.value > result.best.value || (state.value === result.best.value && state.actions.length < result.best.actions.length)) {
      const improved = state.value > result.best.value;
      result.best = state;
      if (improved) result.trace.push({ compilations: ev.stats.compilations, value: state.value });
    }
  };
  const history = (state: SearchNode): HistoryStep[] => {
    const steps: HistoryStep[] = [];
    for (let s: SearchNode | null = state; s && s.parent; s = s.parent) {
      steps.push({ action: s.actions[s.actions.length - 1], reward: s.value - s.parent.value });
    }
    return steps.reverse();
  };
  const initialise = async (node: TreeNode): Promise<void> => {
    const answer = await prior.prior({
      node: node.state,
      history: history(node.state),
      best: result.best,
      benchmark: options.benchmark,
      actionNames: options.actionNames,
      observe: async (space) => (await ev.observe(node.state, [space]))[space],
    });
    node.setPrior(answer.p);
    for (const e of node.edges!) if (!allowedSet.has(e.action)) e.pruned = true;
    for (const seq of answer.proposals) if (seq.length > 0) node.proposals.push([...seq]);
  };

  /** The next proposed edge at `node` that is still to compile, or null. Sequences whose first edge is known continue at its child. */
  const nextProposal = (node: TreeNode): TreeEdge | null => {
    while (node.proposals.length > 0) {
      const seq = node.proposals.shift()!;
      const edge = node.edges![seq[0]];
      if (edge.pruned || edge.pending) continue;
      if (edge.child === undefined) {
        if (seq.length > 1) node.continuations.set(edge.action, seq.slice(1));
        return edge;
      }
      const child = ev.node(edge.child);
      if (child && seq.length > 1) treeNode(child).proposals.unshift(seq.slice(1));
    }
    return null;
  };

  /** Virtual loss: a visit worth the least value seen, so that the batch's other simulations look elsewhere. */
  const addVirtual = (sim: Simulation): void => {
    for (const { node, edge } of sim.path) {
      node.n++;
      edge.n++;
      edge.w += sim.virtual;
    }
  };
  const removeVirtual = (sim: Simulation): void => {
    for (const { node, edge } of sim.path) {
      node.n--;
      edge.n--;
      edge.w -= sim.virtual;
    }
  };

  /** One selection from the start; null when every edge is pruned or pending. */
  const select = async (): Promise<Simulation | null> => {
    const path: Simulation['path'] = [];
    const onPath = new Set<string>();
    let node = treeNode(ev.root);
    for (;;) {
      onPath.add(node.state.hash);
      if (node.edges === null) await initialise(node);
      if (node.state.actions.length >= maxLength) return finish(path, { terminalValue: node.state.value });
      const edge = nextProposal(node) ?? selectPuct(node, c, backup, bounds);
      if (edge === null) {
        if (node.dead && path.length > 0) {
          // Nothing left below: prune the edge into this state and start again from the top.
          path[path.length - 1].edge.pruned = true;
          return select();
        }
        return path.length > 0 ? finish(path, { terminalValue: node.state.value }) : null;
      }
      path.push({ node, edge });
      result.maxDepth = Math.max(result.maxDepth, path.length);
      if (edge.child === undefined) {
        edge.pending = true;
        return finish(path);
      }
      const child = ev.node(edge.child)!;
      if (onPath.has(child.hash)) {
        edge.pruned = true;
        path.pop();
        return path.length > 0 ? finish(path, { terminalValue: node.state.value }) : select();
      }
      node = treeNode(child);
    }
  };
  const finish = (path: Simulation['path'], end: { terminalValue?: number } = {}): Simulation => {
    const sim: Simulation = { path, virtual: bounds.min, ...end };
    addVirtual(sim);
    return sim;
  };

  const backupValue = (sim: Simulation, value: number): void => {
    removeVirtual(sim);
    for (const { node, edge } of sim.path) {
      node.n++;
      edge.n++;
      edge.w += value;
      if (value > edge.best) edge.best = value;
    }
  };

  /** Random passes from each start; returns the best value along each rollout. */
  const rollout = async (starts: SearchNode[]): Promise<number[]> => {
    const best = starts.map((s) => s.value);
    const at = [...starts];
    for (let step = 0; step < rollouts && !ev.outOfBudget(); step++) {
      const live = at.map((s, i) => ({ s, i, action: allowed[Math.floor(rng() * allowed.length)] })).filter(({ s }) => s.actions.length < maxLength);
      if (live.length === 0) break;
      // Pairs the budget cut off are absent from the answer: match the rest by (state, action).
      const edges = new Map((await ev.expand(live.map(({ s, action }) => ({ node: s, action })))).map((e) => [`${e.parent.hash}|${e.action}`, e]));
      for (const { s, i, action } of live) {
        const child = edges.get(`${s.hash}|${action}`)?.child;
        if (!child) continue;
        seen(child);
        at[i] = child;
        if (child.value > best[i]) best[i] = child.value;
      }
    }
    return best;
  };

  let idle = 0;
  while (!ev.outOfBudget() && idle < MAX_IDLE_SIMULATIONS) {
    const sims: Simulation[] = [];
    for (let b = 0; b < batch; b++) {
      const sim = await select();
      if (!sim) break;
      sims.push(sim);
    }
    if (sims.length === 0) break;
    const leaves = sims.filter((s) => s.terminalValue === undefined);
    idle = leaves.length === 0 ? idle + sims.length : 0;
    const edges = await ev.expand(leaves.map((s) => ({ node: s.path[s.path.length - 1].node.state, action: s.path[s.path.length - 1].edge.action })));
    const byKey = new Map(edges.map((e) => [`${e.parent.hash}|${e.action}`, e]));
    const fresh: Array<{ sim: Simulation; child: SearchNode }> = [];
    for (const sim of sims) {
      result.simulations++;
      if (sim.terminalValue !== undefined) {
        backupValue(sim, sim.terminalValue);
        continue;
      }
      const { node, edge } = sim.path[sim.path.length - 1];
      edge.pending = false;
      const e = byKey.get(`${node.state.hash}|${edge.action}`);
      const rest = node.continuations.get(edge.action);
      node.continuations.delete(edge.action);
      if (!e) {
        // The budget ran out before this edge was compiled.
        removeVirtual(sim);
        continue;
      }
      if (!e.child || e.child.hash === node.state.hash || sim.path.some((p) => p.node.state.hash === e.child!.hash)) {
        // A failed pass, a no-op or a step back: the simulation still counts, at the state's own value.
        edge.pruned = true;
        if (e.child) edge.child = e.child.hash;
        backupValue(sim, node.state.value);
        continue;
      }
      edge.child = e.child.hash;
      seen(e.child);
      if (rest && rest.length > 0) treeNode(e.child).proposals.unshift(rest);
      fresh.push({ sim, child: e.child });
    }
    const values = rollouts > 0 ? await rollout(fresh.map((f) => f.child)) : fresh.map((f) => f.child.value);
    fresh.forEach((f, i) => backupValue(f.sim, values[i]));
  }
  result.treeNodes = tree.size;
  return result;
}
