import { Env, ResetOptions, Wrapper } from '../core';
import { makeRng, Rng } from '../spaces';

/**
 * Each `reset()` without an explicit benchmark takes the next URI of a fixed list, cycling
 * (CompilerGym's `CycleOverBenchmarks`).
 */
export class CycleOverBenchmarks extends Wrapper {
  private next = 0;

  constructor(
    env: Env,
    readonly benchmarks: readonly string[],
  ) {
    super(env);
    if (benchmarks.length === 0) throw new RangeError('CycleOverBenchmarks needs at least one benchmark');
  }

  override reset(options: ResetOptions = {}) {
    if (options.benchmark !== undefined) return this.env.reset(options);
    const benchmark = this.benchmarks[this.next];
    this.next = (this.next + 1) % this.benchmarks.length;
    return this.env.reset({ ...options, benchmark });
  }
}

/**
 * Each `reset()` without an explicit benchmark draws a URI uniformly at random from a list
 * (CompilerGym's `RandomOrderBenchmarks`). The draw uses the wrapper's own random source,
 * seeded by the constructor's `seed` and again by `reset({seed})`.
 */
export class RandomOrderBenchmarks extends Wrapper {
  private draw: Rng;

  constructor(
    env: Env,
    readonly benchmarks: readonly string[],
    seed?: number,
  ) {
    super(env);
    if (benchmarks.length === 0) throw new RangeError('RandomOrderBenchmarks needs at least one benchmark');
    this.draw = makeRng(seed);
  }

  override reset(options: ResetOptions = {}) {
    if (options.benchmark !== undefined) return this.env.reset(options);
    if (options.seed !== undefined) this.draw = makeRng(options.seed);
    const benchmark = this.benchmarks[Math.floor(this.draw() * this.benchmarks.length)];
    return this.env.reset({ ...options, benchmark });
  }
}
