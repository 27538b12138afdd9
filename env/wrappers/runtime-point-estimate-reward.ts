import { ActionLike, Env, ResetOptions, StepOptions, StepResult, Wrapper } from '../core';
import { PARAMETERS } from '../env';
import { InvalidValueError } from '../errors';
import { runtimeMedian } from '../rewards';
import type { CompilerEnvState } from '../state';

/** Checks a Runtime parameter against the bounds `setParameter` enforces. */
function checked(name: string, value: number): number {
  const p = PARAMETERS.get(name)!;
  if (!Number.isInteger(value) || value < p.min || value > p.max) {
    throw new InvalidValueError(`${name} must be a decimal whole number in ${p.min}..${p.max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Rewards the decrease of the program's runtime (CompilerGym's `RuntimePointEstimateReward`,
 * compiler_gym/wrappers/llvm.py): reward = previous Runtime estimate − current one, in seconds,
 * where the estimate is the Runtime observation with `runtime_observation_count = runtimeCount`
 * measured runs after `runtime_warmup_runs_count = warmupCount` warm-up runs (set through
 * `env.setParameter` at every `reset()`, before the first estimate is taken).
 *
 * The Runtime observation lists the runs; `estimator` reduces them to the estimate (CompilerGym's
 * argument; default `runtimeMedian`, as its default `np.median`).
 *
 * The wrapper computes the reward itself (an extra Runtime observation per step) and reports it
 * as `reward`, `rewardSpaceName` `Runtime`, `episodeReward` and `state.reward`; the wrapped env
 * keeps its own reward space (and `validate()` without a state replays the wrapped env's own
 * state: a runtime is not reproducible). A step that failed (`info.error_type`) rewards 0 and
 * keeps the previous estimate. A fork is a `RuntimePointEstimateReward` with the same estimate.
 * @throws InvalidValueError (INVALID_VALUE) from the constructor for counts outside 1..100
 *   (runs) or 0..10 (warm-up); NOT_RUNNABLE from `reset()` for a benchmark without a run command.
 */
export class RuntimePointEstimateReward extends Wrapper {
  private previous: number | null = null;
  private sum: number | null = null;

  constructor(
    env: Env,
    readonly runtimeCount = 30,
    readonly warmupCount = 0,
    /** Runs (seconds) -> the estimate (seconds). */
    readonly estimator: (runs: readonly number[]) => number = runtimeMedian,
  ) {
    super(env);
    checked('runtime_observation_count', runtimeCount);
    checked('runtime_warmup_runs_count', warmupCount);
  }

  override get rewardSpaceName() {
    return 'Runtime';
  }
  override get episodeReward() {
    return this.sum;
  }
  override get state(): CompilerEnvState {
    return { ...this.env.state, reward: this.sum };
  }

  /** Sets the run counts on the current session and takes the first estimate. */
  private async begin(): Promise<void> {
    await this.env.setParameter('runtime_observation_count', this.runtimeCount);
    await this.env.setParameter('runtime_warmup_runs_count', this.warmupCount);
    this.previous = this.estimator((await this.env.observe('Runtime')) as number[]);
    this.sum = 0;
  }

  override async reset(options?: ResetOptions) {
    this.previous = null;
    const result = await this.env.reset(options);
    await this.begin();
    return result;
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    if (this.previous === null) await this.begin(); // the env was reset before it was wrapped
    const result = await this.env.multistep(actions, options);
    let reward = 0;
    if (!result.info.error_type) {
      const now = this.estimator((await this.env.observe('Runtime')) as number[]);
      reward = this.previous! - now;
      this.previous = now;
    }
    result.reward = reward;
    this.sum = (this.sum ?? 0) + reward;
    return result;
  }

  override async fork(): Promise<Env> {
    const copy = new RuntimePointEstimateReward(await this.env.fork(), this.runtimeCount, this.warmupCount, this.estimator);
    copy.previous = this.previous;
    copy.sum = this.sum;
    return copy;
  }
}
