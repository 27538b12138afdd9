/**
 * `LlvmEnv`: the LLVM pass-ordering environment over a `WorkerPool` (see `core.ts` for the
 * contract). Rewards are computed here from the observations the worker returns; the worker
 * holds the module. `make()` in `registry.ts` is the usual way to get one.
 */
import path from 'node:path';
import type { ActionLike, Env, ResetOptions, ResetResult, StepInfo, StepResult } from './core';
import type { ActionSpace } from './actions/space';
import { formatCommandline, parseCommandline } from './actions/commandline';
import { observationSpace, ObservationValue } from './observations';
import { Reward, rewardObservations, rewardSpace } from './rewards';
import { DEFAULT_BENCHMARK, canonicalUri } from './benchmarks';
import { makeRng, Rng } from './spaces';
import type { CompilerEnvState } from './state';
import type { ValidationResult } from './validation';
import { ClosedError, EpisodeStateError, PassGymError, UnknownSpaceError } from './errors';
import type { WorkerPool } from './session/pool';
import { findLlvm } from './llvm/library';

/** Construction options of `LlvmEnv`. */
export interface LlvmEnvOptions {
  pool: WorkerPool;
  actionSpace: ActionSpace;
  observationSpace?: string | null;
  rewardSpace?: string | null;
  benchmark?: string;
}

/** Session parameters by CompilerGym name. */
const PARAMETERS: Record<string, 'runtimeObservationCount' | 'runtimeWarmupRunsCount'> = {
  runtime_observation_count: 'runtimeObservationCount',
  runtime_warmup_runs_count: 'runtimeWarmupRunsCount',
};

/** Tolerance of `validate()`'s reward comparison (CompilerGym uses math.isclose's default-ish 1e-6). */
const REWARD_TOLERANCE = 1e-6;

/** The LLVM environment; see the module TSDoc. */
export class LlvmEnv implements Env {
  readonly actionSpace: ActionSpace;
  private readonly pool: WorkerPool;
  private obsName: string | null;
  private reward: Reward | null;
  private benchmarkUri: string;
  private sid: number | null = null;
  private actionList: number[] = [];
  private rewardSum: number | null = null;
  private lastObservation: ObservationValue | null = null;
  private started = 0;
  private ended = false;
  private closed = false;
  rng: Rng = makeRng();

  constructor(options: LlvmEnvOptions) {
    this.pool = options.pool;
    this.actionSpace = options.actionSpace;
    this.obsName = options.observationSpace ? observationSpace(options.observationSpace).name : null;
    this.reward = options.rewardSpace ? new Reward(rewardSpace(options.rewardSpace)) : null;
    this.benchmarkUri = canonicalUri(options.benchmark ?? DEFAULT_BENCHMARK);
  }

  get observationSpaceName() {
    return this.obsName;
  }
  get rewardSpaceName() {
    return this.reward?.spec.name ?? null;
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
  /** The worker-pool session id of the current episode (null before reset). */
  get sessionId() {
    return this.sid;
  }

  private live(): number {
    if (this.closed) throw new ClosedError('this environment was closed');
    if (this.sid === null) throw new EpisodeStateError('call reset() before step() or observe()');
    return this.sid;
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (this.closed) throw new ClosedError('this environment was closed');
    if (options.observationSpace !== undefined) {
      this.obsName = options.observationSpace === null ? null : observationSpace(options.observationSpace).name;
    }
    if (options.rewardSpace !== undefined) {
      this.reward = options.rewardSpace === null ? null : new Reward(rewardSpace(options.rewardSpace));
    }
    if (options.seed !== undefined) this.rng = makeRng(options.seed);
    const benchmark = options.benchmark !== undefined ? canonicalUri(options.benchmark) : this.benchmarkUri;
    const sid = await this.pool.startSession(benchmark);
    if (this.sid !== null) await this.pool.endSession(this.sid);
    this.sid = sid;
    this.benchmarkUri = benchmark;
    const needed = [...(this.obsName ? [this.obsName] : []), ...(this.reward ? rewardObservations(this.reward.spec).reset : [])];
    const obs = needed.length ? await this.pool.observe(sid, needed) : {};
    this.reward?.reset(obs);
    this.actionList = [];
    this.rewardSum = this.reward ? 0 : null;
    this.lastObservation = this.obsName ? obs[this.obsName] : null;
    this.started = performance.now();
    this.ended = false;
    return { observation: this.lastObservation, info: { benchmark } };
  }

  step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  async multistep(actions: readonly ActionLike[]): Promise<StepResult> {
    const sid = this.live();
    if (this.ended) throw new EpisodeStateError('the episode has ended (terminated or truncated); call reset() to start a new one');
    const indices = actions.map((a) => this.actionSpace.index(a));
    const needed = [...(this.obsName ? [this.obsName] : []), ...(this.reward ? rewardObservations(this.reward.spec).step : [])];
    const outcome = await this.pool.step(sid, indices.map((k) => this.actionSpace.names[k]), needed);
    const info: StepInfo = {};
    let reward: number | null = this.reward ? 0 : null;
    if (!outcome.ok) {
      info.error_type = outcome.errorType;
      info.error_details = outcome.errorDetails;
    } else {
      this.actionList.push(...indices);
      if (outcome.observationError) {
        info.error_type = 'ObservationError';
        info.error_details = outcome.observationError.message;
      } else {
        if (this.reward) reward = this.reward.update(outcome.observations);
        if (this.obsName) this.lastObservation = outcome.observations[this.obsName];
      }
    }
    if (reward !== null) this.rewardSum = (this.rewardSum ?? 0) + reward;
    return { observation: this.lastObservation, reward, terminated: false, truncated: false, info };
  }

  async observe(space: string): Promise<ObservationValue> {
    const sid = this.live();
    observationSpace(space);
    return (await this.pool.observe(sid, [space]))[space];
  }

  async fork(): Promise<LlvmEnv> {
    const sid = this.live();
    const copy = new LlvmEnv({
      pool: this.pool,
      actionSpace: this.actionSpace,
      observationSpace: this.obsName,
      rewardSpace: null,
      benchmark: this.benchmarkUri,
    });
    copy.sid = await this.pool.fork(sid);
    copy.reward = this.reward?.clone() ?? null;
    copy.actionList = [...this.actionList];
    copy.rewardSum = this.rewardSum;
    copy.lastObservation = this.lastObservation;
    copy.started = this.started;
    copy.ended = this.ended;
    return copy;
  }

  commandline(): string {
    return formatCommandline(
      path.basename(findLlvm().tools.opt),
      this.actionList.map((k) => this.actionSpace.names[k]),
    );
  }

  get state(): CompilerEnvState {
    return {
      benchmark: this.benchmarkUri,
      reward: this.rewardSum,
      walltime: this.sid === null ? 0 : (performance.now() - this.started) / 1000,
      commandline: this.commandline(),
    };
  }

  /**
   * Replays `state` (default: the current state) from scratch in a new session with this
   * environment's reward space and checks that the episode reward reproduces (within 1e-6); for a
   * runnable benchmark, also builds and runs the replayed state and compares its output with the
   * -O0 reference recorded at install (semantic validation).
   */
  async validate(state: CompilerEnvState = this.state): Promise<ValidationResult> {
    const t0 = performance.now();
    const replay = new LlvmEnv({
      pool: this.pool,
      actionSpace: this.actionSpace,
      rewardSpace: this.reward?.spec.name ?? null,
      benchmark: state.benchmark,
    });
    const result: ValidationResult = {
      benchmark: state.benchmark,
      ok: false,
      rewardValidated: false,
      semanticsValidated: false,
      expectedReward: state.reward,
      actualReward: null,
      walltime: 0,
    };
    try {
      const actions = parseCommandline(state.commandline, this.actionSpace);
      await replay.reset();
      if (actions.length > 0) {
        const step = await replay.multistep(actions);
        if (step.info.error_type) result.error = { type: step.info.error_type, details: String(step.info.error_details) };
      }
      result.actualReward = replay.episodeReward;
      if (!result.error) {
        if (state.reward === null || replay.episodeReward === null) result.ok = true;
        else {
          result.rewardValidated = true;
          result.ok = Math.abs(state.reward - replay.episodeReward) <= REWARD_TOLERANCE;
          if (!result.ok) {
            result.error = {
              type: 'RewardMismatch',
              details: `expected episode reward ${state.reward}, replay gave ${replay.episodeReward}`,
            };
          }
        }
      }
      if (!result.error && (await replay.observe('IsRunnable'))) {
        const semantics = await this.pool.checkSemantics(replay.sid!);
        result.semanticsValidated = true;
        if (!semantics.ok) {
          result.ok = false;
          result.error = { type: semantics.errorType!, details: semantics.errorDetails! };
        }
      }
    } catch (e) {
      result.error = { type: e instanceof PassGymError ? e.code : 'Error', details: (e as Error).message };
    } finally {
      await replay.close();
    }
    result.walltime = (performance.now() - t0) / 1000;
    return result;
  }

  async setParameter(name: string, value: string | number): Promise<void> {
    const sid = this.live();
    const key = PARAMETERS[name.replace(/^llvm\.set_/, '')];
    if (!key) throw new UnknownSpaceError(`unknown parameter '${name}'; valid: ${Object.keys(PARAMETERS).join(', ')}`);
    const n = Number(value);
    if (!Number.isInteger(n) || n < (key === 'runtimeObservationCount' ? 1 : 0)) {
      throw new RangeError(`${name} must be a whole number (at least ${key === 'runtimeObservationCount' ? 1 : 0}), got '${value}'`);
    }
    await this.pool.setParameters(sid, { [key]: n });
  }

  endEpisode(): void {
    this.ended = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sid !== null) await this.pool.endSession(this.sid);
    this.sid = null;
  }
}
