import { ActionLike, Env, ResetOptions, ResetResult, StepOptions, StepResult, Wrapper } from '../core';
import type { ObservationValue } from '../observations';
import { rewrap } from './rewrap';

/**
 * Base class of wrappers that transform observations (Gymnasium's `ObservationWrapper`;
 * CompilerGym's `ObservationWrapper.convert_observation` in compiler_gym/wrappers/core.py): the
 * observation of `reset()` and of every step passes through `observation()` (null when the env
 * has no observation space). The extra `observations` of `StepOptions.observationSpaces` and
 * `observe()` are not transformed. A fork is a copy of the wrapper around the wrapped env's fork
 * (see `rewrap`).
 */
export abstract class ObservationWrapper extends Wrapper {
  /** This wrapper's observation for the wrapped env's `observation`. */
  abstract observation(observation: ObservationValue | null): ObservationValue | null;

  override async reset(options?: ResetOptions): Promise<ResetResult> {
    const result = await this.env.reset(options);
    return { ...result, observation: this.observation(result.observation) };
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    const result = await this.env.multistep(actions, options);
    return { ...result, observation: this.observation(result.observation) };
  }

  override async fork(): Promise<Env> {
    return rewrap(this, await this.env.fork());
  }
}
