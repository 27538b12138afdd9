import { ActionLike, Env, StepOptions, StepResult, Wrapper } from '../core';

/**
 * Validates the state after every step and ends the episode with a penalty when validation fails
 * (CompilerGym's `ValidateBenchmarkAfterEveryStep`, compiler_gym/wrappers/validation.py).
 *
 * After a step that did not end the episode, it calls `env.validate()` on the current state
 * without its reward: the actions are replayed in a fresh session (a replay that fails is a
 * failure) and, for a runnable benchmark, the program's output is compared with its -O0
 * reference. CompilerGym runs the benchmark's validation callbacks (`benchmark.ivalidate`), i.e.
 * the semantic check only; the reward is left out here too, so that a nondeterministic reward
 * (Runtime) is not a failure. On failure the step returns `reward: rewardPenalty` (CompilerGym's
 * default -1e3), `terminated: true`, and in `info` the failure's `error_type` and `error_details`
 * (CompilerGym's key) and the whole `validation` result; the episode has ended. `episodeReward`
 * keeps the wrapped env's sum (as in CompilerGym). A fork is wrapped the same way.
 */
export class ValidateBenchmarkAfterEveryStep extends Wrapper {
  constructor(
    env: Env,
    readonly rewardPenalty = -1e3,
  ) {
    super(env);
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    const result = await this.env.multistep(actions, options);
    if (result.terminated || result.truncated) return result;
    const validation = await this.env.validate({ ...this.env.state, reward: null });
    if (!validation.ok) {
      result.reward = this.rewardPenalty;
      result.terminated = true;
      result.info.error_type = validation.error?.type ?? 'ValidationError';
      result.info.error_details = validation.error?.details ?? 'validation failed';
      result.info.validation = validation;
      this.env.endEpisode();
    }
    return result;
  }

  override async fork(): Promise<Env> {
    return new ValidateBenchmarkAfterEveryStep(await this.env.fork(), this.rewardPenalty);
  }
}
