import { ActionSpace } from '../actions/space';
import { ActionLike, Env } from '../core';
import { ActionWrapper } from './action-wrapper';

/**
 * Restricts the action space to a subset of actions, renumbered 0..k-1 in the given order
 * (CompilerGym's `ConstrainedCommandline`, compiler_gym/wrappers/commandline.py). Names may be
 * pipeline elements or CompilerGym flags. `action(a)` is the wrapped env's index of action `a`,
 * `reverseAction(k)` this space's index of the wrapped env's action `k` (-1 when it is not in the
 * subset); `actions` lists the episode's actions in this space. A fork is wrapped the same way.
 * @throws RangeError from the constructor for an empty list; UnknownActionError for a name the
 *   wrapped action space does not have.
 */
export class ConstrainedCommandline extends ActionWrapper {
  private readonly space: ActionSpace;
  /** Inner index of each constrained action. */
  private readonly inner: number[];

  constructor(
    env: Env,
    readonly allowed: readonly string[],
  ) {
    super(env);
    if (allowed.length === 0) throw new RangeError('ConstrainedCommandline needs at least one action');
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
    return this.env.actions.map((k) => this.reverseAction(k));
  }

  /** The wrapped env's index of `action` (an index or name of this space). */
  override action(action: ActionLike): number {
    return this.inner[this.space.index(action)];
  }

  /** This space's index of the wrapped env's action `k`, or -1 when it is not in the subset. */
  reverseAction(k: number): number {
    return this.inner.indexOf(k);
  }

  override async fork(): Promise<Env> {
    return new ConstrainedCommandline(await this.env.fork(), this.allowed);
  }
}
