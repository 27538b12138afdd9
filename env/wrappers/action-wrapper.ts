import { ActionLike, Env, StepOptions, StepResult, Wrapper } from '../core';
import { rewrap } from './rewrap';

/**
 * Base class of wrappers that translate actions (Gymnasium's `ActionWrapper`; CompilerGym's
 * `ActionWrapper` in compiler_gym/wrappers/core.py): `step()` and `multistep()` pass each action
 * through `action()` before the wrapped env sees it. Subclass it and implement `action()`.
 * A fork is a copy of the wrapper (same class and fields, see `rewrap`) around the wrapped env's
 * fork; a subclass with mutable state overrides `fork()`.
 */
export abstract class ActionWrapper extends Wrapper {
  /** The wrapped env's action for `action` of this wrapper's space. */
  abstract action(action: ActionLike): ActionLike;

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    return this.env.multistep(actions.map((a) => this.action(a)), options);
  }

  override async fork(): Promise<Env> {
    return rewrap(this, await this.env.fork());
  }
}
