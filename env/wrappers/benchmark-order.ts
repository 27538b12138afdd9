import seedrandom from 'seedrandom';
import { Env, ResetOptions, Wrapper } from '../core';

/**
 * Each `reset()` without an explicit benchmark takes the next URI of a fixed list, cycling
 * (CompilerGym's `CycleOverBenchmarks`, compiler_gym/wrappers/datasets.py). A `reset()` that names
 * a benchmark uses it and leaves the position where it is (CompilerGym raises TypeError instead).
 * A fork is a `CycleOverBenchmarks` at the same position, advancing independently (CompilerGym's
 * default `fork_shares_iterator=False`).
 * @throws RangeError from the constructor for an empty list.
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

  override async fork(): Promise<Env> {
    const copy = new CycleOverBenchmarks(await this.env.fork(), this.benchmarks);
    copy.next = this.next;
    return copy;
  }
}

/** A seedrandom generator whose state can be copied (the same draws as `makeRng(seed)`). */
function statefulRng(seed?: number): seedrandom.StatefulPRNG<seedrandom.State.Arc4> {
  return seedrandom(seed === undefined ? undefined : String(seed), { state: true });
}

/**
 * Each `reset()` without an explicit benchmark draws a URI uniformly at random from a list
 * (CompilerGym's `RandomOrderBenchmarks`, compiler_gym/wrappers/datasets.py). The draw uses the
 * wrapper's own random source, seeded by the constructor's `seed` and again by `reset({seed})`.
 * A `reset()` that names a benchmark uses it without drawing. A fork is a `RandomOrderBenchmarks`
 * whose random source is a copy of this one's, so it draws the same sequence from there
 * (CompilerGym's fork returns a plain `IterateOverBenchmarks` over the list and does not copy
 * the RNG).
 * @throws RangeError from the constructor for an empty list.
 */
export class RandomOrderBenchmarks extends Wrapper {
  private draw: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;

  constructor(
    env: Env,
    readonly benchmarks: readonly string[],
    seed?: number,
  ) {
    super(env);
    if (benchmarks.length === 0) throw new RangeError('RandomOrderBenchmarks needs at least one benchmark');
    this.draw = statefulRng(seed);
  }

  override reset(options: ResetOptions = {}) {
    if (options.benchmark !== undefined) return this.env.reset(options);
    if (options.seed !== undefined) this.draw = statefulRng(options.seed);
    const benchmark = this.benchmarks[Math.floor(this.draw() * this.benchmarks.length)];
    return this.env.reset({ ...options, benchmark });
  }

  override async fork(): Promise<Env> {
    const copy = new RandomOrderBenchmarks(await this.env.fork(), this.benchmarks);
    copy.draw = seedrandom('', { state: this.draw.state() });
    return copy;
  }
}
