import { ActionLike, Env, ResetOptions, StepOptions, StepResult, Wrapper } from '../core';

/**
 * Truncates the episode after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`; CompilerGym's
 * compiler_gym/wrappers/time_limit.py, which sets `done` and `info["TimeLimit.truncated"]`): the
 * step that reaches the limit returns `truncated: true` (unless it terminated), and a further step
 * throws EpisodeStateError until `reset()`. `multistep()` counts each action as a step. A fork
 * has the same count of steps taken.
 * @throws RangeError from the constructor unless `maxEpisodeSteps` is a positive integer.
 */
export class TimeLimit extends Wrapper {
  private elapsed = 0;

  constructor(
    env: Env,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new RangeError(`maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
  }

  override async reset(options?: ResetOptions) {
    this.elapsed = 0;
    return this.env.reset(options);
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    const result = await this.env.multistep(actions, options);
    this.elapsed += actions.length;
    if (this.elapsed >= this.maxEpisodeSteps && !result.terminated) {
      result.truncated = true;
      this.env.endEpisode();
    }
    return result;
  }

  override async fork(): Promise<Env> {
    const copy = new TimeLimit(await this.env.fork(), this.maxEpisodeSteps);
    copy.elapsed = this.elapsed;
    return copy;
  }
}
