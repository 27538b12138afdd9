/**
 * The environment contract, after Gymnasium's `gymnasium/core.py` and CompilerGym's
 * `CompilerEnv`: an agent calls `reset()` to start an episode on a benchmark, then `step()` with
 * actions; each step returns an observation, a reward, and two flags. `terminated` means the
 * episode reached a terminal state of the task (e.g. the agent chose a terminal action);
 * `truncated` means it was cut short from outside (e.g. a step limit). They are separate because
 * a value function must bootstrap through truncation but not through termination.
 *
 * Methods are asynchronous: LLVM runs in worker processes (local) or behind a socket (remote),
 * and an agent cannot tell which.
 */
import type { ActionSpace } from './actions/space';
import type { ObservationValue } from './observations';
import type { CompilerEnvState } from './state';
import type { ValidationResult } from './validation';

/** Options of `reset()`; each one given replaces the environment's current choice. */
export interface ResetOptions {
  /**
   * Benchmark URI, e.g. `benchmark://embedded-v0/qsort` or `generator://llvm-stress-v0/7`; a
   * dataset or generator alone (`benchmark://apps-v0`, `generator://csmith-v0`) draws one of its
   * programs (`drawBenchmark`) from `seed` when given, else from `env.rng`; `info.benchmark` names it.
   */
  benchmark?: string;
  /**
   * Seeds the environment's random source (`env.rng`, used by samplers, wrappers and the draw of
   * a benchmark); over the service it is sent as StartSessionRequest.seed, so the server draws
   * the same program.
   */
  seed?: number;
  /** Observation space name, or null for none. */
  observationSpace?: string | null;
  /** Reward space name, or null for none. */
  rewardSpace?: string | null;
}

/** Extra information of a step. A failed step carries CompilerGym's `error_type`/`error_details`. */
export interface StepInfo {
  /** `WorkerCrash`, `StepTimeout` or `ObservationError` when the step failed. */
  error_type?: string;
  error_details?: string;
  /**
   * Set when the session was replayed in a fresh worker since the last step (its worker died):
   * `identical`, `differs`, `deterministic` or `lost` (`RecoveredState` in session/pool.ts).
   */
  recovered_state?: string;
  recovery_details?: string;
  /**
   * With `StepOptions.reportEffect`: true when the step left the IR unchanged (its IrSha1 before
   * and after are equal), CompilerGym's `info["action_had_no_effect"]`.
   */
  action_had_no_effect?: boolean;
  [key: string]: unknown;
}

/**
 * What a step may return besides the environment's own observation and reward (CompilerGym's
 * `step(action, observation_spaces=[…], reward_spaces=[…])`).
 */
export interface StepOptions {
  /** Observation spaces to return for the state after the step, in `StepResult.observations`. */
  observationSpaces?: readonly string[];
  /**
   * Reward spaces whose reward for this step to return, in `StepResult.rewards`. A space first
   * named in the middle of an episode starts from the state before this step (its reward is this
   * step's change); later steps continue from there, as the env's own reward space does.
   */
  rewardSpaces?: readonly string[];
  /** Set `info.action_had_no_effect` (costs an IrSha1 of the state after the step). */
  reportEffect?: boolean;
  /**
   * Cut the step off after this many seconds (> 0), when that is sooner than the step timeout of
   * the pool or server (300 s by default, `passgym serve --step-timeout`): an agent's time budget. A step
   * cut off fails as any timed-out step does (`info.error_type` StepTimeout, the state kept).
   */
  timeoutSeconds?: number;
}

/** What `step()` returns (Gymnasium's 5-tuple as an object). */
export interface StepResult {
  /** Value of the observation space after the step; null when there is no observation space. */
  observation: ObservationValue | null;
  /** Reward of the step; null when there is no reward space. */
  reward: number | null;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
  /** The values of `StepOptions.observationSpaces` (absent when the step failed). */
  observations?: Record<string, ObservationValue>;
  /** The rewards of `StepOptions.rewardSpaces` (absent when the step failed). */
  rewards?: Record<string, number>;
}

/** What `reset()` returns. */
export interface ResetResult {
  observation: ObservationValue | null;
  info: StepInfo;
}

/** An action: an index into the action space, or an action name (`instcombine`, `-instcombine`). */
export type ActionLike = number | string;

/** The environment interface that agents program against (local and remote alike). */
export interface Env {
  readonly actionSpace: ActionSpace;
  /** Current observation space name (null: none). */
  readonly observationSpaceName: string | null;
  /** Current reward space name (null: none). */
  readonly rewardSpaceName: string | null;
  /** URI of the current (or next) benchmark. */
  readonly benchmark: string;
  /** Action indices applied in this episode, in order. */
  readonly actions: readonly number[];
  /** Sum of the rewards of this episode (null without a reward space). */
  readonly episodeReward: number | null;
  /** Random source seeded by `reset({seed})`: floats in [0, 1). */
  readonly rng: () => number;
  /** True once a step returned terminated or truncated; `step()` then throws until `reset()`. */
  readonly episodeEnded: boolean;

  reset(options?: ResetOptions): Promise<ResetResult>;
  step(action: ActionLike): Promise<StepResult>;
  /** Applies several actions as one step (one reward for all of them); see `StepOptions`. */
  multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult>;
  /** The value of any observation space for the current state. */
  observe(space: string): Promise<ObservationValue>;
  /**
   * The values of several observation spaces for the current state, by name, in one round trip
   * to the worker (or the server).
   * @throws UnknownSpaceError for an unknown name (before anything is computed).
   */
  observe(spaces: readonly string[]): Promise<Record<string, ObservationValue>>;
  /** An independent copy of this environment in the same state. */
  fork(): Promise<Env>;
  /** An `opt -passes='…'` command line that reproduces the current state from the benchmark. */
  commandline(): string;
  /** The state: benchmark, episode reward, wall time, command line. */
  readonly state: CompilerEnvState;
  /** Replays a state (default: the current one) in a fresh session and checks its reward. */
  validate(state?: CompilerEnvState): Promise<ValidationResult>;
  /**
   * Sets a session parameter: `runtime_observation_count` (1..100) or `runtime_warmup_runs_count`
   * (0..10), or by CompilerGym's names `llvm.set_runtimes_per_observation_count` and
   * `llvm.set_warmup_runs_count_per_runtime_observation`. Kept for the episode and its forks.
   * The value is a whole number or a string of decimal digits.
   * @throws UnknownParameterError (UNKNOWN_PARAMETER) for any other name, InvalidValueError
   *   (INVALID_VALUE) for a value that is not a decimal whole number within the bounds.
   */
  setParameter(name: string, value: string | number): Promise<void>;
  /** Marks the episode ended (used by wrappers that terminate or truncate it). */
  endEpisode(): void;
  close(): Promise<void>;
}

/**
 * Base class for wrappers: forwards everything to the wrapped environment. Subclasses override
 * what they change (Gymnasium's `Wrapper`).
 */
export class Wrapper implements Env {
  constructor(readonly env: Env) {}

  /** The innermost environment. */
  get unwrapped(): Env {
    return this.env instanceof Wrapper ? this.env.unwrapped : this.env;
  }
  get actionSpace(): ActionSpace {
    return this.env.actionSpace;
  }
  get observationSpaceName() {
    return this.env.observationSpaceName;
  }
  get rewardSpaceName() {
    return this.env.rewardSpaceName;
  }
  get benchmark() {
    return this.env.benchmark;
  }
  get actions() {
    return this.env.actions;
  }
  get episodeReward() {
    return this.env.episodeReward;
  }
  get rng() {
    return this.env.rng;
  }
  get episodeEnded() {
    return this.env.episodeEnded;
  }
  get state() {
    return this.env.state;
  }
  reset(options?: ResetOptions) {
    return this.env.reset(options);
  }
  step(action: ActionLike) {
    return this.env.step(action);
  }
  multistep(actions: readonly ActionLike[], options?: StepOptions) {
    return this.env.multistep(actions, options);
  }
  observe(space: string): Promise<ObservationValue>;
  observe(spaces: readonly string[]): Promise<Record<string, ObservationValue>>;
  observe(spaces: string | readonly string[]): Promise<ObservationValue | Record<string, ObservationValue>> {
    return typeof spaces === 'string' ? this.env.observe(spaces) : this.env.observe(spaces);
  }
  fork(): Promise<Env> {
    return this.env.fork();
  }
  commandline() {
    return this.env.commandline();
  }
  validate(state?: CompilerEnvState) {
    return this.env.validate(state);
  }
  setParameter(name: string, value: string | number) {
    return this.env.setParameter(name, value);
  }
  endEpisode() {
    this.env.endEpisode();
  }
  close() {
    return this.env.close();
  }
}
