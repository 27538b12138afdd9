/**
 * `LlvmEnv`: the LLVM pass-ordering environment over a `WorkerPool` (see `core.ts` for the
 * contract). Rewards are computed here from the observations the worker returns; the worker
 * holds the module. `make()` in `registry.ts` is the usual way to get one.
 */
import { drawBenchmark } from './benchmarks';
import { makeRng } from './spaces';
import type { ActionLike, ResetOptions, ResetResult, StepInfo, StepOptions, StepResult } from './core';
import type { ActionSpace } from './actions/space';
import { parseCommandline } from './actions/commandline';
import { observationSpace, ObservationValue } from './observations';
import { Reward, rewardObservations, rewardSpace } from './rewards';
import type { CompilerEnvState } from './state';
import type { ValidationResult } from './validation';
import { InvalidValueError, PassGymError, UnknownParameterError } from './errors';
import type { WorkerPool } from './session/pool';
import { EpisodeEnv, observationNames, stepTimeoutMs } from './episode-env';

/** Construction options of `LlvmEnv`. */
export interface LlvmEnvOptions {
  pool: WorkerPool;
  actionSpace: ActionSpace;
  observationSpace?: string | null;
  rewardSpace?: string | null;
  benchmark?: string;
}

/** Session parameters by CompilerGym name. */
/**
 * The session parameters, by every name `setParameter` accepts (PassGym's, and CompilerGym's
 * `llvm.set_runtimes_per_observation_count` / `llvm.set_warmup_runs_count_per_runtime_observation`
 * from compiler_gym/envs/llvm/llvm_env.py), with their bounds: Runtime runs per observation
 * 1..100, warm-up runs before them 0..10 (each run is bounded by the benchmark's timeout).
 */
export const PARAMETERS: ReadonlyMap<string, { key: 'runtimeObservationCount' | 'runtimeWarmupRunsCount'; min: number; max: number }> = new Map([
  ['runtime_observation_count', { key: 'runtimeObservationCount', min: 1, max: 100 }],
  ['runtime_warmup_runs_count', { key: 'runtimeWarmupRunsCount', min: 0, max: 10 }],
  ['llvm.set_runtimes_per_observation_count', { key: 'runtimeObservationCount', min: 1, max: 100 }],
  ['llvm.set_warmup_runs_count_per_runtime_observation', { key: 'runtimeWarmupRunsCount', min: 0, max: 10 }],
] as const);

const NONE: readonly string[] = [];
const NO_REWARDS: readonly ReturnType<typeof rewardSpace>[] = [];

/** Tolerance of `validate()`'s reward comparison (CompilerGym uses math.isclose's default-ish 1e-6). */
const REWARD_TOLERANCE = 1e-6;

/** The LLVM environment; see the module TSDoc. */
export class LlvmEnv extends EpisodeEnv {
  private readonly pool: WorkerPool;
  private reward: Reward | null;
  private lastObservation: ObservationValue | null = null;
  /** Reward spaces other than the env's own named by `StepOptions.rewardSpaces` this episode. */
  private extraRewards = new Map<string, Reward>();
  /** IrSha1 of the current state when known (for `StepOptions.reportEffect`), else null. */
  private sha1: string | null = null;

  constructor(options: LlvmEnvOptions) {
    super(options.actionSpace, options.observationSpace, options.benchmark);
    this.pool = options.pool;
    this.reward = options.rewardSpace ? new Reward(rewardSpace(options.rewardSpace)) : null;
  }

  get rewardSpaceName() {
    return this.reward?.spec.name ?? null;
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    const named = this.beginReset(options);
    // A dataset or generator without a program: one drawn from the seed (a stream of its own, as
    // the server draws it, so env.rng is not advanced), else from env.rng.
    const drawRng = options.seed !== undefined ? makeRng(options.seed) : this.rng;
    const benchmark = (await drawBenchmark(named, drawRng, { install: true })) ?? named;
    if (options.rewardSpace !== undefined) {
      this.reward = options.rewardSpace === null ? null : new Reward(rewardSpace(options.rewardSpace));
    }
    const sid = await this.pool.startSession(benchmark);
    if (this.sid !== null) await this.pool.endSession(this.sid);
    this.beginEpisode(sid, benchmark);
    const needed = [...(this.obsName ? [this.obsName] : []), ...(this.reward ? rewardObservations(this.reward.spec).reset : [])];
    const obs = needed.length ? await this.pool.observe(sid, needed) : {};
    this.reward?.reset(obs);
    this.extraRewards = new Map();
    this.sha1 = null;
    this.lastObservation = this.obsName ? obs[this.obsName] : null;
    return { observation: this.lastObservation, info: { benchmark } };
  }

  async multistep(actions: readonly ActionLike[], options: StepOptions = {}): Promise<StepResult> {
    const sid = this.liveForStep();
    const timeoutMs = stepTimeoutMs(options.timeoutSeconds); // checked before anything changes
    const indices = actions.map((a) => this.actionSpace.index(a));
    const extraObs = options.observationSpaces?.length ? options.observationSpaces.map((n) => observationSpace(n).name) : NONE;
    const extraRewards = options.rewardSpaces?.length ? options.rewardSpaces.map((n) => rewardSpace(n)) : NO_REWARDS;
    // A reward space first named now starts from the state before this step.
    const fresh = extraRewards.filter((s) => s.name !== this.reward?.spec.name && !this.extraRewards.has(s.name));
    if (fresh.length) {
      const before = await this.pool.observe(sid, [...new Set(fresh.flatMap((s) => rewardObservations(s).reset))]);
      for (const s of fresh) {
        const r = new Reward(s);
        r.reset(before);
        this.extraRewards.set(s.name, r);
      }
    }
    if (options.reportEffect && this.sha1 === null) this.sha1 = (await this.pool.observe(sid, ['IrSha1'])).IrSha1 as string;
    const own = [...(this.obsName ? [this.obsName] : []), ...(this.reward ? rewardObservations(this.reward.spec).step : [])];
    // The plain step (no StepOptions) asks for the env's own observations only, as before.
    const needed =
      extraObs.length || extraRewards.length || options.reportEffect
        ? [...new Set([...own, ...extraObs, ...extraRewards.flatMap((s) => rewardObservations(s).step), ...(options.reportEffect ? ['IrSha1'] : [])])]
        : own;
    const outcome = await this.pool.step(sid, indices.map((k) => this.actionSpace.names[k]), needed, timeoutMs);
    const info: StepInfo = {};
    let reward: number | null = this.reward ? 0 : null;
    if (outcome.recovery) {
      info.recovered_state = outcome.recovery.state;
      info.recovery_details = outcome.recovery.details;
    }
    if (!outcome.ok) {
      info.error_type = outcome.errorType;
      info.error_details = outcome.errorDetails;
    } else {
      this.actionList.push(...indices);
      if (outcome.observationError) {
        info.error_type = 'ObservationError';
        info.error_details = outcome.observationError.message;
        this.sha1 = null;
        this.extraRewards.clear(); // their last cost is unknown now: they start again next time
      } else {
        if (this.reward) reward = this.reward.update(outcome.observations);
        if (this.obsName) this.lastObservation = outcome.observations[this.obsName];
        const after = (outcome.observations.IrSha1 as string | undefined) ?? null;
        if (options.reportEffect) info.action_had_no_effect = after === this.sha1;
        this.sha1 = after;
        if (reward !== null) this.rewardSum = (this.rewardSum ?? 0) + reward;
        return {
          observation: this.lastObservation,
          reward,
          terminated: false,
          truncated: false,
          info,
          ...(extraObs.length ? { observations: Object.fromEntries(extraObs.map((n) => [n, outcome.observations[n]])) } : {}),
          ...(extraRewards.length
            ? { rewards: Object.fromEntries(extraRewards.map((s) => [s.name, s.name === this.reward?.spec.name ? reward! : this.extraRewards.get(s.name)!.update(outcome.observations)])) }
            : {}),
        };
      }
    }
    if (reward !== null) this.rewardSum = (this.rewardSum ?? 0) + reward;
    return { observation: this.lastObservation, reward, terminated: false, truncated: false, info };
  }

  observe(space: string): Promise<ObservationValue>;
  observe(spaces: readonly string[]): Promise<Record<string, ObservationValue>>;
  async observe(spaces: string | readonly string[]): Promise<ObservationValue | Record<string, ObservationValue>> {
    const sid = this.live();
    if (typeof spaces !== 'string') return this.pool.observe(sid, observationNames(spaces));
    observationSpace(spaces);
    return (await this.pool.observe(sid, [spaces]))[spaces];
  }

  async fork(): Promise<LlvmEnv> {
    const sid = this.live();
    const copy = new LlvmEnv({ pool: this.pool, actionSpace: this.actionSpace, observationSpace: this.obsName });
    this.copyEpisodeTo(copy, await this.pool.fork(sid));
    copy.reward = this.reward?.clone() ?? null;
    copy.extraRewards = new Map([...this.extraRewards].map(([k, r]) => [k, r.clone()]));
    copy.sha1 = this.sha1;
    copy.lastObservation = this.lastObservation;
    return copy;
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
      rewardValidationFailed: false,
      semanticsValidated: false,
      semanticsValidationFailed: false,
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
            result.rewardValidationFailed = true;
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
          result.semanticsValidationFailed = true;
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

  /**
   * Builds and runs the current state and compares its output with the benchmark's -O0 reference
   * (the semantic half of `validate()`, without the replay).
   * @throws PassGymError NOT_RUNNABLE for a benchmark without a run command.
   */
  async checkSemantics(): Promise<{ ok: boolean; errorType?: string; errorDetails?: string }> {
    return this.pool.checkSemantics(this.live());
  }

  async setParameter(name: string, value: string | number): Promise<void> {
    const sid = this.live();
    const p = PARAMETERS.get(name);
    if (!p) throw new UnknownParameterError(`unknown parameter '${name}'; valid: ${[...PARAMETERS.keys()].join(', ')}`);
    // Decimal digits only: no sign, exponent, hex prefix or spaces.
    const n = typeof value === 'number' ? value : /^\d{1,9}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < p.min || n > p.max) {
      throw new InvalidValueError(`${name} must be a decimal whole number in ${p.min}..${p.max}, got ${JSON.stringify(value)}`);
    }
    await this.pool.setParameters(sid, { [p.key]: n });
  }

  /**
   * For an env about to be closed: stops the Runtime runs of its requests in flight or queued,
   * which fail with CANCELLED (as will any later Runtime observation of this episode). The server
   * calls it on EndSession, so that ending a session never waits for a long observation.
   */
  cancel(): void {
    if (this.sid !== null) this.pool.cancel(this.sid);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sid !== null) await this.pool.endSession(this.sid);
    this.sid = null;
  }
}
