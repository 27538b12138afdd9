import { ActionLike, Env, ResetOptions, StepOptions, Wrapper } from '../core';

/** The counts of `Counter`, by operation (CompilerGym's keys). */
export interface Counts {
  close: number;
  reset: number;
  step: number;
  fork: number;
}

/**
 * Counts the calls of `reset()`, `step()`/`multistep()` (one each, however many actions),
 * `fork()` and `close()` made through it (CompilerGym's `Counter`, compiler_gym/wrappers/counter.py).
 * (CompilerGym's counts `step()` only, so a `multistep()` or an outer wrapper's step that
 * calls `multistep()` goes uncounted there.) `reset()` does not clear the counts. A call is counted before it runs, so one that throws is
 * counted too. A fork is a `Counter` with its own counts, starting at zero (CompilerGym's fork
 * returns the bare forked env); the fork is counted in this one's `fork`.
 */
export class Counter extends Wrapper {
  readonly counters: Counts = { close: 0, reset: 0, step: 0, fork: 0 };

  override reset(options?: ResetOptions) {
    this.counters.reset++;
    return this.env.reset(options);
  }

  override step(action: ActionLike) {
    this.counters.step++;
    return this.env.step(action);
  }

  override multistep(actions: readonly ActionLike[], options?: StepOptions) {
    this.counters.step++;
    return this.env.multistep(actions, options);
  }

  override async fork(): Promise<Env> {
    this.counters.fork++;
    return new Counter(await this.env.fork());
  }

  override close() {
    this.counters.close++;
    return this.env.close();
  }
}
