import { ActionLike, Env, ResetOptions, StepOptions, StepResult, Wrapper } from '../core';
import type { CompilerEnvState } from '../state';
import { rewrap } from './rewrap';

/**
 * Base class of wrappers that transform rewards (Gymnasium's `RewardWrapper`; CompilerGym's
 * `RewardWrapper.convert_reward` in compiler_gym/wrappers/core.py): the reward of every step
 * passes through `reward()` (not called when the env has no reward space: the reward stays null).
 * `episodeReward` and `state.reward` are the sums of the transformed rewards since the last
 * `reset()` (CompilerGym rewrites the unwrapped env's episode_reward to the same effect); the
 * `rewards` of `StepOptions.rewardSpaces` are not transformed. `validate()` without a state
 * replays the wrapped env's own state, whose reward is untransformed (a transformed reward cannot
 * be replayed). A fork is a copy of the wrapper, with its sum, around the wrapped env's fork.
 */
export abstract class RewardWrapper extends Wrapper {
  /** The sum of transformed rewards; undefined until this wrapper resets or steps. */
  private sum: number | null | undefined = undefined;

  /** This wrapper's reward for the wrapped env's `reward`. */
  abstract reward(reward: number): number;

  override get episodeReward(): number | null {
    return this.sum === undefined ? this.env.episodeReward : this.sum;
  }

  override get state(): CompilerEnvState {
    return { ...this.env.state, reward: this.episodeReward };
  }

  override async reset(options?: ResetOptions) {
    const result = await this.env.reset(options);
    this.sum = this.env.episodeReward;
    return result;
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    if (this.sum === undefined) this.sum = this.env.episodeReward; // reset before it was wrapped
    const result = await this.env.multistep(actions, options);
    if (result.reward !== null) {
      result.reward = this.reward(result.reward);
      this.sum = (this.sum ?? 0) + result.reward;
    }
    return result;
  }

  override async fork(): Promise<Env> {
    return rewrap(this, await this.env.fork());
  }
}
