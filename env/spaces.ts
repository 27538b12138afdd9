/**
 * Spaces in Gymnasium's sense (`gymnasium.spaces`): descriptions of the set of valid actions or
 * observations, with `contains()` and `sample()`. The kinds match what CompilerGym's LLVM
 * environment uses: `Discrete` (actions), `Box` (feature vectors and scalars, shape `[]`),
 * `Sequence` (text and bytes, e.g. `Ir` and `Bitcode`) and `Dict` (named features).
 */
import seedrandom from 'seedrandom';

/** A random source for `sample()`: returns floats in [0, 1). */
export type Rng = () => number;

/** A seeded random source (seedrandom's ARC4-based generator); unseeded when `seed` is undefined. */
export function makeRng(seed?: number | string): Rng {
  return seed === undefined ? seedrandom() : seedrandom(String(seed));
}

/** Element types of `Box` spaces, named as numpy dtypes. */
export type Dtype = 'int64' | 'float32' | 'float64' | 'bool';

/** A finite set {0, …, n-1}, with a name for each element (the action names). */
export class Discrete {
  readonly kind = 'Discrete' as const;
  constructor(
    readonly n: number,
    readonly names: readonly string[] = [],
    readonly name = 'Discrete',
  ) {}
  contains(x: unknown): boolean {
    return Number.isInteger(x) && (x as number) >= 0 && (x as number) < this.n;
  }
  sample(rng: Rng = Math.random): number {
    return Math.floor(rng() * this.n);
  }
  /** JSON-friendly description (also the shape of the service's space message). */
  describe() {
    return { kind: this.kind, name: this.name, n: this.n, names: [...this.names] };
  }
}

/** A box of numbers: `shape` (empty for a scalar), element type, and inclusive bounds. */
export class Box {
  readonly kind = 'Box' as const;
  constructor(
    readonly shape: readonly number[],
    readonly dtype: Dtype,
    readonly low: number,
    readonly high: number,
  ) {}
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  contains(x: unknown): boolean {
    const values = this.shape.length === 0 ? [x] : Array.isArray(x) ? x : [];
    if (values.length !== this.size) return false;
    return values.every((v) =>
      this.dtype === 'bool'
        ? typeof v === 'boolean'
        : typeof v === 'number' && v >= this.low && v <= this.high && (this.dtype !== 'int64' || Number.isInteger(v)),
    );
  }
  describe() {
    return { kind: this.kind, shape: [...this.shape], dtype: this.dtype, low: this.low, high: this.high };
  }
}

/** A variable-length sequence of characters (`str`) or bytes (`bytes`), CompilerGym's Sequence. */
export class Sequence {
  readonly kind = 'Sequence' as const;
  constructor(
    /** `str` (text), `bytes`, or `float64` (a list of non-negative numbers, e.g. Runtime's runs). */
    readonly dtype: 'str' | 'bytes' | 'float64',
    readonly minLength = 0,
    readonly maxLength = Infinity,
  ) {}
  contains(x: unknown): boolean {
    const len =
      this.dtype === 'str'
        ? typeof x === 'string' ? x.length : -1
        : this.dtype === 'bytes'
          ? x instanceof Uint8Array ? x.length : -1
          : Array.isArray(x) && x.every((v) => typeof v === 'number' && v >= 0) ? x.length : -1;
    return len >= this.minLength && len <= this.maxLength;
  }
  describe() {
    return { kind: this.kind, dtype: this.dtype, minLength: this.minLength, maxLength: this.maxLength };
  }
}

/** Named sub-spaces (CompilerGym's `Dict`, e.g. InstCountDict). */
export class Dict {
  readonly kind = 'Dict' as const;
  constructor(readonly spaces: Readonly<Record<string, Box>>) {}
  contains(x: unknown): boolean {
    if (typeof x !== 'object' || x === null) return false;
    const obj = x as Record<string, unknown>;
    const keys = Object.keys(this.spaces);
    return Object.keys(obj).length === keys.length && keys.every((k) => this.spaces[k].contains(obj[k]));
  }
  describe() {
    return { kind: this.kind, spaces: Object.fromEntries(Object.entries(this.spaces).map(([k, v]) => [k, v.describe()])) };
  }
}

/** Any observation space. */
export type Space = Box | Sequence | Dict;
