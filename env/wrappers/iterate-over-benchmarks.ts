import { Env, ResetOptions, Wrapper } from '../core';
import { PassGymError } from '../errors';

/**
 * `IterateOverBenchmarks.reset()` after its last benchmark (code `BENCHMARKS_EXHAUSTED`). Python's
 * `passgym.wrappers.IterateOverBenchmarks` raises `StopIteration` there, as CompilerGym does:
 * JavaScript has no StopIteration protocol for a method call, so TypeScript throws this error.
 */
export class BenchmarksExhaustedError extends PassGymError {
  constructor(message: string) {
    super('BENCHMARKS_EXHAUSTED', message);
  }
}

/**
 * One iterator read by several wrappers (an original and its forks), each at its own position, as
 * Python's `itertools.tee`: the values some open reader has not yet taken are buffered; the others
 * are dropped, so a single reader keeps no buffer.
 */
class SharedIterator {
  private buffer: string[] = [];
  /** Position of `buffer[0]` in the sequence. */
  private offset = 0;
  private done = false;
  private readonly positions = new Map<object, number>();

  constructor(private readonly source: Iterator<string>) {}

  join(reader: object, position: number): void {
    this.positions.set(reader, position);
  }

  leave(reader: object): void {
    this.positions.delete(reader);
    this.trim();
  }

  position(reader: object): number {
    return this.positions.get(reader) ?? this.offset;
  }

  /** The next value for `reader`, or undefined when the sequence has ended. */
  next(reader: object): string | undefined {
    const at = this.position(reader);
    while (at - this.offset >= this.buffer.length && !this.done) {
      const r = this.source.next();
      if (r.done) this.done = true;
      else this.buffer.push(String(r.value));
    }
    if (at - this.offset >= this.buffer.length) return undefined;
    this.positions.set(reader, at + 1);
    const value = this.buffer[at - this.offset];
    this.trim();
    return value;
  }

  private trim(): void {
    if (this.positions.size === 0) {
      this.offset += this.buffer.length;
      this.buffer = [];
      return;
    }
    const drop = Math.min(...this.positions.values()) - this.offset;
    if (drop > 0) {
      this.buffer.splice(0, drop);
      this.offset += drop;
    }
  }
}

/**
 * Each `reset()` without an explicit benchmark takes the next URI of a (possibly infinite)
 * iterable, once (CompilerGym's `IterateOverBenchmarks`, compiler_gym/wrappers/datasets.py). A
 * `reset()` that names a benchmark uses it without advancing (CompilerGym raises TypeError). The
 * iterable is read lazily, one URI per reset; a URI is taken before the reset runs, so a reset
 * that fails (say, on an unknown benchmark) does not retry it.
 *
 * A fork is an `IterateOverBenchmarks` at the same position that advances independently
 * (CompilerGym's default `fork_shares_iterator=False`, by `itertools.tee`): the URIs one reader
 * has taken and another has not are buffered until that one takes them or is closed.
 * @throws BenchmarksExhaustedError (BENCHMARKS_EXHAUSTED) from `reset()` after the last URI;
 *   Python raises StopIteration there (see `BenchmarksExhaustedError`).
 */
export class IterateOverBenchmarks extends Wrapper {
  private shared: SharedIterator;

  constructor(env: Env, benchmarks: Iterable<string>) {
    super(env);
    this.shared = new SharedIterator(benchmarks[Symbol.iterator]());
    this.shared.join(this, 0);
  }

  override async reset(options: ResetOptions = {}) {
    if (options.benchmark !== undefined) return this.env.reset(options);
    const benchmark = this.shared.next(this);
    if (benchmark === undefined) {
      throw new BenchmarksExhaustedError(
        'IterateOverBenchmarks: every benchmark has been used; name one in reset({benchmark}) or wrap a longer iterable',
      );
    }
    return this.env.reset({ ...options, benchmark });
  }

  override async fork(): Promise<Env> {
    const copy = new IterateOverBenchmarks(await this.env.fork(), []);
    copy.shared = this.shared;
    this.shared.join(copy, this.shared.position(this));
    return copy;
  }

  override async close(): Promise<void> {
    this.shared.leave(this);
    await this.env.close();
  }
}
