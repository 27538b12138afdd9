import { ActionLike, Env, ResetOptions, StepOptions, StepResult, Wrapper } from '../core';
import type { ObservationValue } from '../observations';

/**
 * Forks the environment before every step and keeps the forks on a stack, so that `undo()`
 * returns to the state before the last step (CompilerGym's `ForkOnStep`,
 * compiler_gym/wrappers/fork.py). Each fork holds a module in a worker: call `reset()` or
 * `close()` to free them. `fork()` returns a `ForkOnStep` around a fork of the current state,
 * with nothing to undo (CompilerGym's `fork()` raises NotImplementedError). A step that throws
 * leaves the stack as it was.
 */
export class ForkOnStep extends Wrapper {
  private current: Env;
  private stack: Env[] = [];

  constructor(env: Env) {
    super(env);
    this.current = env;
  }

  override get actions() {
    return this.current.actions;
  }
  override get episodeReward() {
    return this.current.episodeReward;
  }
  override get state() {
    return this.current.state;
  }
  override get episodeEnded() {
    return this.current.episodeEnded;
  }
  override commandline() {
    return this.current.commandline();
  }
  override observe(space: string): Promise<ObservationValue>;
  override observe(spaces: readonly string[]): Promise<Record<string, ObservationValue>>;
  override observe(spaces: string | readonly string[]): Promise<ObservationValue | Record<string, ObservationValue>> {
    return typeof spaces === 'string' ? this.current.observe(spaces) : this.current.observe(spaces);
  }
  override validate(...args: Parameters<Env['validate']>) {
    return this.current.validate(...args);
  }
  override endEpisode() {
    this.current.endEpisode();
  }
  override setParameter(name: string, value: string | number) {
    return this.current.setParameter(name, value);
  }

  /** How many steps can be undone. */
  get depth(): number {
    return this.stack.length;
  }

  private async dropForks(): Promise<void> {
    const all = [this.current, ...this.stack].filter((e) => e !== this.env);
    this.stack = [];
    this.current = this.env;
    await Promise.all(all.map((e) => e.close()));
  }

  override async reset(options?: ResetOptions) {
    await this.dropForks();
    return this.env.reset(options);
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    const fork = await this.current.fork();
    this.stack.push(this.current);
    this.current = fork;
    try {
      return await fork.multistep(actions, options);
    } catch (e) {
      this.current = this.stack.pop()!;
      await fork.close();
      throw e;
    }
  }

  /**
   * Returns to the state before the last step.
   * @throws RangeError when there is no step to undo.
   */
  async undo(): Promise<void> {
    const previous = this.stack.pop();
    if (!previous) throw new RangeError('ForkOnStep.undo(): no step to undo');
    const discarded = this.current;
    this.current = previous;
    if (discarded !== this.env) await discarded.close();
  }

  override async fork(): Promise<Env> {
    return new ForkOnStep(await this.current.fork());
  }

  override async close() {
    await this.dropForks();
    await this.env.close();
  }
}
