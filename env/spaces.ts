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

/** Element types of a `Sequence`. */
export type SequenceDtype = 'str' | 'bytes' | 'float64' | 'int64' | 'str_list' | 'float32_rows' | 'graph' | 'json' | 'lexed' | 'lexed_tuple';

/**
 * A variable-length sequence (CompilerGym's Sequence): of characters (`str`, e.g. Ir), bytes
 * (`bytes`, Bitcode), non-negative seconds (`float64`, Runtime's runs), integers (`int64`,
 * Inst2vecEmbeddingIndices), strings (`str_list`, Inst2vecPreprocessedText), rows of float32
 * numbers (`float32_rows`, Inst2vec's embeddings), graph nodes (`graph`, a ProgramGraph, whose
 * length is its node count), a JSON document (`json`, ProgramlJson, CpuInfo; its length is that
 * of its JSON text), or lexer tokens (`lexed`: LexedIr's aligned lists, `lexed_tuple`: LexedIrTuple's
 * tokens; the length is the token count).
 */
export class Sequence {
  readonly kind = 'Sequence' as const;
  constructor(
    readonly dtype: SequenceDtype,
    readonly minLength = 0,
    readonly maxLength = Infinity,
  ) {}
  contains(x: unknown): boolean {
    const len = sequenceLength(this.dtype, x);
    return len >= this.minLength && len <= this.maxLength;
  }
  describe() {
    return { kind: this.kind, dtype: this.dtype, minLength: this.minLength, maxLength: this.maxLength };
  }
}

/** The length of `x` as a sequence of `dtype`, or -1 when `x` is not one. */
function sequenceLength(dtype: SequenceDtype, x: unknown): number {
  const all = (test: (v: unknown) => boolean) => (Array.isArray(x) && x.every(test) ? x.length : -1);
  switch (dtype) {
    case 'str':
      return typeof x === 'string' ? x.length : -1;
    case 'bytes':
      return x instanceof Uint8Array ? x.length : -1;
    case 'float64':
      return all((v) => typeof v === 'number' && v >= 0);
    case 'int64':
      return all((v) => Number.isInteger(v));
    case 'str_list':
      return all((v) => typeof v === 'string');
    case 'float32_rows':
      return all((v) => v instanceof Float32Array || (Array.isArray(v) && v.every((e) => typeof e === 'number')));
    case 'graph': {
      const nodes = (x as { nodeType?: unknown } | null)?.nodeType;
      return typeof x === 'object' && x !== null && Array.isArray(nodes) ? nodes.length : -1;
    }
    case 'json':
      return typeof x === 'object' && x !== null ? JSON.stringify(x).length : -1;
    case 'lexed': {
      const ids = (x as { token_id?: unknown } | null)?.token_id;
      return typeof x === 'object' && x !== null && Array.isArray(ids) ? ids.length : -1;
    }
    case 'lexed_tuple':
      return all((v) => typeof v === 'object' && v !== null && 'ID' in v);
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
