/**
 * The contract between agents and the harnesses that run them (`passgym search`, `passgym
 * leaderboard run`, the demo). An agent receives one benchmark and a budget, opens as many
 * environments as it wants through `context.makeEnv()` (local workers or remote servers; it cannot
 * tell which), and returns the best action sequence it found. The harness does not trust the
 * agent's own score: it replays the returned actions in a fresh environment to compute the
 * reward, the command line and the sizes it records.
 */
import type { Env } from '../env/core';
import type { ActionSpaceName } from '../env/actions/space';

/** Search budget. At least one of the two must be finite. */
export interface Budget {
  /** Wall-clock seconds. */
  seconds?: number;
  /** Compilations: environment steps that ran passes (cache hits do not count). */
  steps?: number;
}

/** Options of `AgentContext.makeEnv()`. */
export interface AgentEnvOptions {
  /** Default: the context's `actionSpace`. */
  actionSpace?: ActionSpaceName;
  /** Default: null (none). */
  observationSpace?: string | null;
  /** Default: `IrInstructionCountOz`, the leaderboard's reward. */
  rewardSpace?: string | null;
}

/** What a harness gives an agent for one benchmark. */
export interface AgentContext {
  /** Benchmark URI, e.g. `benchmark://apps-v0/zopfli`. */
  readonly benchmark: string;
  readonly budget: Budget;
  /** Seed of this run: an agent derives all of its randomness from it. */
  readonly seed: number;
  /** Action space the returned `actions` index into. */
  readonly actionSpace: ActionSpaceName;
  /**
   * Evaluations that can run at once (workers in the local pool, or endpoints): an agent that
   * opens this many environments and keeps one request in flight on each uses all of them.
   */
  readonly parallelism: number;
  /**
   * An environment already `reset()` on the benchmark (seeded with `seed`). Successive calls
   * spread over the workers. The agent closes what it opens.
   */
  makeEnv(options?: AgentEnvOptions): Promise<Env>;
  /** Progress lines (the harness decides whether to print them). */
  log(message: string): void;
}

/** What an agent returns for one benchmark. */
export interface AgentResult {
  /** The best action sequence found, as indices into `context.actionSpace`. */
  actions: number[];
  /** Compilations spent: pass pipelines (of any length) applied to a state and measured. */
  steps: number;
  /**
   * Passes run by those compilations (a step-by-step agent's is its `steps`; a sequence agent's
   * the sum of its sequences' lengths). Default: `steps`.
   */
  passes?: number;
  /** The agent's own figures, recorded beside the result: cache hit rate, LLM calls, ... */
  stats?: Record<string, number | string>;
}

/** A pass-ordering agent. */
export interface Agent {
  /** Name as registered (`random`, `greedy`, ...). */
  readonly name: string;
  /** The action space the agent works in, when it needs one other than PassesAll. */
  readonly actionSpace?: ActionSpaceName;
  /** Optimises `context.benchmark` within `context.budget`. */
  run(context: AgentContext): Promise<AgentResult>;
  /** Frees what the agent holds across benchmarks (models, connections). */
  close?(): Promise<void>;
}

/** Options given to an agent factory: parsed from `--agent-options key=value,...` or JSON. */
export type AgentOptions = Record<string, string | number | boolean>;

/** Builds an agent from its options. @throws Error naming an unknown or invalid option. */
export type AgentFactory = (options: AgentOptions) => Agent | Promise<Agent>;
