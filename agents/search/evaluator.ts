/**
 * Parallel evaluation of search nodes with a transposition table, shared by greedy, beam search
 * and tree search.
 *
 * A node is a state reached by an action sequence; its identity is the IR hash (the `IrSha1`
 * observation), so states reached by different sequences are one node (a transposition). To
 * evaluate "node + action" the evaluator forks an environment that holds the node's state, steps
 * the action, and reads the reward (IrInstructionCountOz by default: the value of a state is the
 * episode reward of reaching it from the benchmark's start, `(n_O0 - n) / (n_O0 - n_Oz)`) and the
 * new IR hash in the same round trip.
 *
 * Parallelism: one lane per worker (`context.parallelism`), each with its own environment at the
 * benchmark's start and a small set of environments at recently evaluated states. A lane that
 * lacks a node's state rebuilds it from the node's parent (fork + one step) or from the start
 * (one multistep of the whole sequence); such replays are counted apart from evaluations.
 *
 * The edge table `(state hash, action) -> child` means an edge is compiled once: asking again
 * costs nothing and counts as a cache hit.
 */
import type { Env } from '../../env/core';
import type { ObservationValue } from '../../env/observations';
import type { AgentContext } from '../agent';
import type { ActionSpace } from '../../env/actions/space';
import { safeActionIndices } from '../../env/actions/unsafe';
import { stepTimeoutSeconds } from './step-deadline';

/** A state in the search. */
export interface SearchNode {
  /** IrSha1 of the state's module. */
  readonly hash: string;
  /** Action indices from the benchmark's start (the first sequence that reached the state). */
  readonly actions: readonly number[];
  /** Episode reward of the state (cumulative from the start). */
  readonly value: number;
  /** The node this one was first reached from (null for the start). */
  readonly parent: SearchNode | null;
}

/** A child produced by `expand`. */
export interface Edge {
  readonly parent: SearchNode;
  readonly action: number;
  /** The child state, or null when the step failed (the pass crashed LLVM or timed out). */
  readonly child: SearchNode | null;
  /** True when the child's IR equals a state already in the table (or the parent: a no-op). */
  readonly transposition: boolean;
  /** True when the edge came from the edge table without compiling. */
  readonly cached: boolean;
}

/** Counters of an evaluator. */
export interface EvaluatorStats {
  /** Edges asked for. */
  requested: number;
  /** Edges answered from the edge table. */
  cacheHits: number;
  /** Edges compiled (environment steps that ran passes): the compilations the budget counts. */
  compilations: number;
  /** Compiled edges whose child IR was already known. */
  transpositions: number;
  /** Distinct states in the table. */
  states: number;
  /** Steps spent rebuilding a node's state on another lane (not counted as compilations). */
  replays: number;
  /** Failed steps (crash or timeout). */
  failures: number;
}

interface Lane {
  root: Env;
  /** Environments at states, by hash, in least-recently-used order. */
  held: Map<string, Env>;
}

/** Options of `Evaluator.open`. */
export interface EvaluatorOptions {
  /** Reward space that gives a state's value (default IrInstructionCountOz). */
  rewardSpace?: string;
  /** Environments kept per lane at evaluated states (default 16). */
  heldPerLane?: number;
  /**
   * Give each lane the pairs whose state it already holds before the others (default false:
   * pairs are dealt in request order). Saves replays when successive batches come back to
   * the same states, as tree search does; results are the same either way.
   */
  affinity?: boolean;
}

/** See the module TSDoc. Call `close()` when done. */
export class Evaluator {
  readonly stats: EvaluatorStats = { requested: 0, cacheHits: 0, compilations: 0, transpositions: 0, states: 0, replays: 0, failures: 0 };
  /** The benchmark's start state. */
  readonly root: SearchNode;
  private readonly nodes = new Map<string, SearchNode>();
  private readonly edges = new Map<string, string | null>();
  /** Lane that serves the next `observe` call (round-robin). */
  private nextObserveLane = 0;

  private constructor(
    private readonly context: AgentContext,
    private readonly lanes: Lane[],
    rootHash: string,
    private readonly heldPerLane: number,
    /** performance.now() when `open` began: the budget clock includes opening the lanes. */
    private readonly t0: number,
    private readonly affinity: boolean,
  ) {
    this.root = { hash: rootHash, actions: [], value: 0, parent: null };
    this.nodes.set(rootHash, this.root);
    this.stats.states = 1;
  }

  /**
   * Opens `context.parallelism` lanes on the context's benchmark.
   * @throws whatever `context.makeEnv` throws (unknown benchmark, ...).
   */
  static async open(context: AgentContext, options: EvaluatorOptions = {}): Promise<Evaluator> {
    const t0 = performance.now();
    const n = Math.max(1, context.parallelism);
    const envs: Env[] = [];
    try {
      for (let i = 0; i < n; i++) {
        envs.push(await context.makeEnv({ observationSpace: 'IrSha1', rewardSpace: options.rewardSpace ?? 'IrInstructionCountOz' }));
      }
      const hash = String(await envs[0].observe('IrSha1'));
      return new Evaluator(context, envs.map((root) => ({ root, held: new Map() })), hash, options.heldPerLane ?? 16, t0, options.affinity ?? false);
    } catch (e) {
      await Promise.all(envs.map((e2) => e2.close().catch(() => undefined)));
      throw e;
    }
  }

  /** |A|: the number of actions of the lanes' action space. */
  get actionCount(): number {
    return this.actionSpace.n;
  }

  /** The lanes' action space. */
  get actionSpace(): ActionSpace {
    return this.lanes[0].root.actionSpace;
  }

  /** The actions a search should try: all but those known to miscompile unless `allowUnsafe`. */
  searchActions(allowUnsafe = false): number[] {
    return safeActionIndices(this.actionSpace, allowUnsafe);
  }

  /** Number of lanes (evaluations in flight at once). */
  get width(): number {
    return this.lanes.length;
  }

  /** Evaluations started and not finished on any lane (each may become a compilation). */
  private inFlight = 0;

  /** True when the context's budget (compilations or seconds) is spent. */
  outOfBudget(): boolean {
    const b = this.context.budget;
    return (b.steps !== undefined && this.stats.compilations >= b.steps) || (b.seconds !== undefined && performance.now() - this.t0 >= b.seconds * 1000);
  }

  /**
   * True when one more compilation fits the budget: the compilations in flight on other lanes
   * count against a compilation budget, so that lanes together never exceed it.
   */
  private roomForOne(): boolean {
    const b = this.context.budget;
    return !this.outOfBudget() && (b.steps === undefined || this.stats.compilations + this.inFlight < b.steps);
  }

  /** The most a step may take under a time budget (`stepTimeoutSeconds`), undefined without one. */
  private stepSeconds(): number | undefined {
    const b = this.context.budget;
    return b.seconds === undefined ? undefined : stepTimeoutSeconds(b.seconds, (performance.now() - this.t0) / 1000);
  }

  /** Seconds since the evaluator opened. */
  get elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** The node of a known state, or undefined. */
  node(hash: string): SearchNode | undefined {
    return this.nodes.get(hash);
  }

  /** Share of requested edges that needed no new node: edge-table hits plus transpositions. */
  get hitRate(): number {
    return this.stats.requested ? (this.stats.cacheHits + this.stats.transpositions) / this.stats.requested : 0;
  }

  /**
   * Evaluates each `(node, action)` pair, spreading them over the lanes, until the budget runs
   * out. Pairs not evaluated because the budget ran out are absent from the result; the others
   * come back in request order.
   */
  async expand(pairs: ReadonlyArray<{ node: SearchNode; action: number }>): Promise<Edge[]> {
    const results: Array<Edge | undefined> = new Array(pairs.length);
    // Edge-table hits first: they cost nothing.
    const todo: number[] = [];
    pairs.forEach((p, i) => {
      this.stats.requested++;
      const key = `${p.node.hash}|${p.action}`;
      if (this.edges.has(key)) {
        this.stats.cacheHits++;
        const h = this.edges.get(key)!;
        results[i] = { parent: p.node, action: p.action, child: h === null ? null : this.nodes.get(h)!, transposition: false, cached: true };
      } else todo.push(i);
    });
    // Group the rest by node so that a lane rebuilds a node's state at most once; deal the groups'
    // pairs round-robin so that every lane gets work.
    const take = (lane: Lane): number | undefined => {
      if (this.affinity) {
        const k = todo.findIndex((i) => lane.held.has(pairs[i].node.hash));
        if (k > 0) return todo.splice(k, 1)[0];
      }
      return todo.shift();
    };
    await Promise.all(
      this.lanes.map(async (lane) => {
        for (;;) {
          if (!this.roomForOne()) return;
          const i = take(lane);
          if (i === undefined) return;
          // Reserved before the first await, so that the other lanes see it.
          this.inFlight++;
          try {
            results[i] = await this.evaluate(lane, pairs[i].node, pairs[i].action);
          } finally {
            this.inFlight--;
          }
        }
      }),
    );
    return results.filter((r): r is Edge => r !== undefined);
  }

  /**
   * The values of observation spaces (`Autophase`, `InstCount`, `Ir`, ...) at a known state,
   * read in one round trip per space on a lane that holds the state, else on the next lane in
   * turn. Rebuilding the state there counts as replays, never as compilations.
   * Call it between `expand` calls, not while one runs: both use the lanes' environments.
   * @returns an object keyed by space name.
   * @throws UnknownSpaceError for an unknown space; Error when the state cannot be rebuilt.
   */
  async observe(node: SearchNode, spaces: readonly string[]): Promise<Record<string, ObservationValue>> {
    const lane = this.lanes.find((l) => l.held.has(node.hash)) ?? this.lanes[this.nextObserveLane++ % this.lanes.length];
    const env = await this.materialise(lane, node);
    const out: Record<string, ObservationValue> = {};
    for (const space of spaces) out[space] = await env.observe(space);
    return out;
  }

  private async evaluate(lane: Lane, node: SearchNode, action: number): Promise<Edge> {
    const key = `${node.hash}|${action}`;
    const known = this.edges.get(key);
    if (known !== undefined) {
      // Another lane compiled it meanwhile.
      this.stats.cacheHits++;
      return { parent: node, action, child: known === null ? null : this.nodes.get(known)!, transposition: false, cached: true };
    }
    const base = await this.materialise(lane, node);
    const env = await base.fork();
    let keep = false;
    try {
      // A step gets at most the budget's time left and a grace: cut off, it fails as a
      // StepTimeout and counts as a compilation and a failure.
      const seconds = this.stepSeconds();
      const r = await (seconds === undefined ? env.step(action) : env.multistep([action], { timeoutSeconds: seconds }));
      this.stats.compilations++;
      if (r.info.error_type) {
        this.stats.failures++;
        this.edges.set(key, null);
        return { parent: node, action, child: null, transposition: false, cached: false };
      }
      const hash = String(r.observation);
      this.edges.set(key, hash);
      const existing = this.nodes.get(hash);
      if (existing) {
        this.stats.transpositions++;
        return { parent: node, action, child: existing, transposition: true, cached: false };
      }
      const child: SearchNode = { hash, actions: [...node.actions, action], value: env.episodeReward ?? 0, parent: node };
      this.nodes.set(hash, child);
      this.stats.states++;
      this.hold(lane, hash, env);
      keep = true;
      return { parent: node, action, child, transposition: false, cached: false };
    } finally {
      if (!keep) await env.close();
    }
  }

  /** An environment on `lane` at `node`'s state. */
  private async materialise(lane: Lane, node: SearchNode): Promise<Env> {
    if (node.parent === null) return lane.root;
    const held = lane.held.get(node.hash);
    if (held) {
      lane.held.delete(node.hash);
      lane.held.set(node.hash, held);
      return held;
    }
    const parentEnv = node.parent.parent === null ? lane.root : lane.held.get(node.parent.hash);
    let env: Env;
    if (parentEnv) {
      env = await parentEnv.fork();
      const r = await env.step(node.actions[node.actions.length - 1]);
      this.stats.replays++;
      if (r.info.error_type) throw new Error(`rebuilding a search state failed: ${r.info.error_type} ${r.info.error_details ?? ''}`);
    } else {
      env = await lane.root.fork();
      const r = await env.multistep([...node.actions]);
      this.stats.replays += node.actions.length;
      if (r.info.error_type) throw new Error(`rebuilding a search state failed: ${r.info.error_type} ${r.info.error_details ?? ''}`);
    }
    this.hold(lane, node.hash, env);
    return env;
  }

  private hold(lane: Lane, hash: string, env: Env): void {
    lane.held.set(hash, env);
    while (lane.held.size > this.heldPerLane) {
      const [oldest, old] = lane.held.entries().next().value as [string, Env];
      lane.held.delete(oldest);
      void old.close().catch(() => undefined);
    }
  }

  /** Figures for `AgentResult.stats`. */
  summary(): Record<string, number> {
    return { ...this.stats, hitRate: Number(this.hitRate.toFixed(4)), evaluationsPerSecond: Number((this.stats.compilations / Math.max(this.elapsed, 1e-9)).toFixed(1)) };
  }

  /** Closes every environment the evaluator opened. */
  async close(): Promise<void> {
    const all = this.lanes.flatMap((l) => [l.root, ...l.held.values()]);
    this.lanes.forEach((l) => l.held.clear());
    await Promise.all(all.map((e) => e.close().catch(() => undefined)));
  }
}
