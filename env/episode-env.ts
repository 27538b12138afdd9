/**
 * `EpisodeEnv`: the episode bookkeeping that every `Env` transport shares — the current
 * benchmark, observation space, actions taken, episode reward, wall time, the random source,
 * the ended/closed flags, and the state and command line derived from them. `LlvmEnv` (local
 * worker pool) and `RemoteEnv` (ZeroMQ) extend it and implement the transport-specific methods.
 */
import type { ActionLike, Env, ResetOptions, ResetResult, StepOptions, StepResult } from './core';
import type { ActionSpace } from './actions/space';
import { formatCommandline } from './actions/commandline';
import { canonicalUri, DEFAULT_BENCHMARK } from './benchmarks';
import { observationSpace, ObservationValue } from './observations';
import { makeRng, Rng } from './spaces';
import type { CompilerEnvState } from './state';
import type { ValidationResult } from './validation';
import { ClosedError, EpisodeStateError, InvalidValueError } from './errors';

/**
 * The names of an `observe([...])` call, each checked and canonical, without repeats.
 * @throws UnknownSpaceError for an unknown name.
 */
export function observationNames(spaces: readonly string[]): string[] {
  return [...new Set(spaces.map((n) => observationSpace(n).name))];
}

/**
 * `StepOptions.timeoutSeconds` in milliseconds (undefined when not given).
 * @throws InvalidValueError when it is not a finite number > 0.
 */
export function stepTimeoutMs(seconds: number | undefined): number | undefined {
  if (seconds === undefined) return undefined;
  if (!(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0)) {
    throw new InvalidValueError(`step timeoutSeconds must be a number of seconds > 0, got ${String(seconds)}`);
  }
  // At most a uint32 of ms (the wire's Step.timeout_ms; about 49.7 days, far past any step timeout).
  return Math.min(0xffffffff, Math.max(1, Math.ceil(seconds * 1000)));
}

/**
 * The shared bookkeeping; `Sid` is the transport's session id (a pool's number, a server's 16 bytes).
 */
export abstract class EpisodeEnv<Sid = number> implements Env {
  protected obsName: string | null;
  protected benchmarkUri: string;
  /** What `reset()` without a benchmark resets to: the last one asked for (a dataset alone draws again). */
  protected requestedBenchmark: string;
  private pendingBenchmark: string | null = null;
  protected sid: Sid | null = null;
  protected actionList: number[] = [];
  protected rewardSum: number | null = null;
  protected started = 0;
  protected ended = false;
  protected closed = false;
  rng: Rng = makeRng();

  constructor(
    readonly actionSpace: ActionSpace,
    observationSpaceName: string | null | undefined,
    benchmark: string | undefined,
  ) {
    this.obsName = observationSpaceName ? observationSpace(observationSpaceName).name : null;
    this.benchmarkUri = canonicalUri(benchmark ?? DEFAULT_BENCHMARK);
    this.requestedBenchmark = this.benchmarkUri;
  }

  abstract get rewardSpaceName(): string | null;
  abstract reset(options?: ResetOptions): Promise<ResetResult>;
  abstract multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult>;
  abstract observe(space: string): Promise<ObservationValue>;
  abstract observe(spaces: readonly string[]): Promise<Record<string, ObservationValue>>;
  abstract fork(): Promise<Env>;
  abstract validate(state?: CompilerEnvState): Promise<ValidationResult>;
  abstract setParameter(name: string, value: string | number): Promise<void>;
  abstract close(): Promise<void>;

  get observationSpaceName() {
    return this.obsName;
  }
  get benchmark() {
    return this.benchmarkUri;
  }
  get actions(): readonly number[] {
    return this.actionList;
  }
  get episodeReward() {
    return this.rewardSum;
  }
  get episodeEnded() {
    return this.ended;
  }
  /** The session id of the current episode, in the pool or on the server (null before reset). */
  get sessionId() {
    return this.sid;
  }

  step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  /** The session id, after checking that the environment is open and reset. */
  protected live(): Sid {
    if (this.closed) throw new ClosedError('this environment was closed');
    if (this.sid === null) throw new EpisodeStateError('call reset() before step() or observe()');
    return this.sid;
  }

  /** Checks that a step may be taken now and returns the session id. */
  protected liveForStep(): Sid {
    const sid = this.live();
    if (this.ended) throw new EpisodeStateError('the episode has ended (terminated or truncated); call reset() to start a new one');
    return sid;
  }

  /** Applies the options that `reset()` shares: observation space and seed; returns the benchmark to use. */
  protected beginReset(options: ResetOptions): string {
    if (this.closed) throw new ClosedError('this environment was closed');
    if (options.observationSpace !== undefined) this.obsName = options.observationSpace && observationSpace(options.observationSpace).name;
    if (options.seed !== undefined) {
      if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
        throw new InvalidValueError(`seed must be a whole number in 0..2^53-1, got ${options.seed}`);
      }
      this.rng = makeRng(options.seed);
    }
    // Kept as the reset target once the episode starts (a failed reset keeps the old one).
    this.pendingBenchmark = options.benchmark !== undefined ? canonicalUri(options.benchmark) : this.requestedBenchmark;
    return this.pendingBenchmark;
  }

  /** Starts the bookkeeping of a new episode on session `sid`. */
  protected beginEpisode(sid: Sid, benchmark: string): void {
    this.sid = sid;
    this.benchmarkUri = benchmark;
    this.requestedBenchmark = this.pendingBenchmark ?? benchmark;
    this.actionList = [];
    this.rewardSum = this.rewardSpaceName ? 0 : null;
    this.started = performance.now();
    this.ended = false;
  }

  /** Copies the episode bookkeeping into a fork running on session `sid`. */
  protected copyEpisodeTo(copy: EpisodeEnv<Sid>, sid: Sid): void {
    copy.sid = sid;
    copy.benchmarkUri = this.benchmarkUri;
    copy.requestedBenchmark = this.requestedBenchmark;
    copy.actionList = [...this.actionList];
    copy.rewardSum = this.rewardSum;
    copy.started = this.started;
    copy.ended = this.ended;
  }

  /** `opt-N -passes='module(a,invalidate<all>,b,…)' input.bc -o output.bc` for the actions taken. */
  commandline(): string {
    return formatCommandline(`opt-${this.actionSpace.llvmMajor}`, this.actionList.map((k) => this.actionSpace.names[k]));
  }

  get state(): CompilerEnvState {
    return {
      benchmark: this.benchmarkUri,
      reward: this.rewardSum,
      walltime: this.sid === null ? 0 : (performance.now() - this.started) / 1000,
      commandline: this.commandline(),
    };
  }

  endEpisode(): void {
    this.ended = true;
  }
}
