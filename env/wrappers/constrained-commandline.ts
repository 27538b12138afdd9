import { ActionSpace } from '../actions/space';
import { ActionLike, Env, StepOptions, StepResult, Wrapper } from '../core';

/**
 * Restricts the action space to a subset of actions, renumbered 0..k-1 in the given order
 * (CompilerGym's `ConstrainedCommandline`). Names may be pipeline elements or CompilerGym flags.
 */
export class ConstrainedCommandline extends Wrapper {
  private readonly space: ActionSpace;
  /** Inner index of each constrained action. */
  private readonly inner: number[];

  constructor(
    env: Env,
    readonly allowed: readonly string[],
  ) {
    super(env);
    const outer = env.actionSpace;
    this.inner = allowed.map((a) => outer.index(a));
    this.space = new ActionSpace(
      outer.name as 'PassesAll',
      this.inner.map((k) => outer.names[k]),
      outer.llvmMajor,
      outer.dropped,
      this.inner.map((k) => outer.metadata[k]),
    );
  }

  override get actionSpace(): ActionSpace {
    return this.space;
  }

  override get actions(): readonly number[] {
    return this.env.actions.map((k) => this.inner.indexOf(k));
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    return this.env.multistep(actions.map((a) => this.inner[this.space.index(a)]), options);
  }

  override async fork(): Promise<Env> {
    return new ConstrainedCommandline(await this.env.fork(), this.allowed);
  }
}
