import { ActionSpace } from '../actions/space';
import { ActionLike, Env, StepOptions, StepResult, Wrapper } from '../core';

/** Name of the terminal action (CompilerGym's CommandlineWithTerminalAction uses "end-of-episode"). */
export const TERMINAL_ACTION = 'end-of-episode';

/**
 * Adds one action, `end-of-episode`, after the wrapped action space; choosing it ends the
 * episode with `terminated: true` and reward 0 without touching the module (CompilerGym's
 * `CommandlineWithTerminalAction`, compiler_gym/wrappers/commandline.py). Lets an agent decide
 * when its sequence is done. In a `multistep()`, the actions before the first terminal action are
 * applied and the rest dropped. A fork is wrapped the same way.
 */
export class CommandlineWithTerminalAction extends Wrapper {
  private readonly space: ActionSpace;

  constructor(env: Env) {
    super(env);
    const inner = env.actionSpace;
    this.space = new ActionSpace(inner.name as 'PassesAll', [...inner.names, TERMINAL_ACTION], inner.llvmMajor, inner.dropped, [
      ...inner.metadata,
      { deterministic: true, knownMiscompile: false, measured: true }, // the terminal action changes nothing
    ]);
  }

  override get actionSpace(): ActionSpace {
    return this.space;
  }

  private isTerminal(a: ActionLike): boolean {
    return this.space.index(a) === this.space.n - 1;
  }

  override step(action: ActionLike): Promise<StepResult> {
    return this.multistep([action]);
  }

  override async multistep(actions: readonly ActionLike[], options?: StepOptions): Promise<StepResult> {
    const cut = actions.findIndex((a) => this.isTerminal(a));
    const passes = cut < 0 ? actions : actions.slice(0, cut);
    const result: StepResult = passes.length
      ? await this.env.multistep(passes, options)
      : await this.env.multistep([], options);
    if (cut >= 0) {
      result.terminated = true;
      this.env.endEpisode();
    }
    return result;
  }

  override async fork(): Promise<Env> {
    return new CommandlineWithTerminalAction(await this.env.fork());
  }
}
