/**
 * PassGym's inst2vec vocabulary and embedding: the versioned artifact in `data/inst2vec/`
 * (`manifest.json`, `vocabulary.json`, `embeddings.f16`), built by `passgym inst2vec build`
 * (`scripts/inst2vec/`) from PassGym's train splits. It is not CompilerGym's: CompilerGym ships the
 * vocabulary and embedding ncc trained on its own corpus (8,565 statements of LLVM 3.6-era IR),
 * which cannot be downloaded here and does not know the IR of the LLVM versions PassGym runs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassGymError } from '../errors';

/** The folder of the shipped artifact (this file runs as `dist/env/observations/inst2vec-model.js`). */
export const INST2VEC_DIR = path.resolve(__dirname, '..', '..', '..', 'data', 'inst2vec');

/** The vocabulary entry unknown statements map to (ncc's and CompilerGym's name). */
export const UNKNOWN_STATEMENT = '!UNK';

/** What `manifest.json` holds. */
export interface Inst2vecManifest {
  /** The artifact's version; observations made with different versions are not comparable. */
  version: string;
  dim: number;
  vocabulary_size: number;
  /** Index of `!UNK` in the vocabulary. */
  unknown_index: number;
  files: {
    vocabulary: { name: string; sha256: string };
    /** Row-major [vocabulary_size, dim], IEEE 754 half precision, little-endian. */
    embeddings: { name: string; sha256: string; dtype: 'float16' };
  };
  /** How it was built: command, corpus, options, measurements. */
  build: Record<string, unknown>;
}

/** Float32 → IEEE 754 binary16 bits, rounding to nearest even (overflow → ±Infinity). */
export function toFloat16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** IEEE 754 binary16 bits → number. */
export function fromFloat16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

/** A loaded vocabulary and embedding. */
export class Inst2vecModel {
  private readonly index: Map<string, number>;

  constructor(
    readonly manifest: Inst2vecManifest,
    /** Statement of each index; `vocabulary[unknownIndex]` is `!UNK`. */
    readonly vocabulary: readonly string[],
    /** Row-major [vocabulary.length, dim]. */
    readonly embeddings: Float32Array,
  ) {
    this.index = new Map(vocabulary.map((s, i) => [s, i]));
  }

  get dim(): number {
    return this.manifest.dim;
  }

  get unknownIndex(): number {
    return this.manifest.unknown_index;
  }

  /** Vocabulary index of each preprocessed statement; `unknownIndex` for one not in it. */
  encode(statements: readonly string[]): number[] {
    return statements.map((s) => this.index.get(s) ?? this.manifest.unknown_index);
  }

  /**
   * The embedding row of each index, each its own copy: shape [indices.length, dim].
   * @throws RangeError for an index outside the vocabulary.
   */
  embed(indices: readonly number[]): Float32Array[] {
    const d = this.manifest.dim;
    const n = this.vocabulary.length;
    return indices.map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`inst2vec index ${i} is outside the vocabulary (0..${n - 1})`);
      return this.embeddings.slice(i * d, (i + 1) * d);
    });
  }
}

let shipped: Inst2vecModel | null = null;

/**
 * Loads the artifact of `dir` (default: the shipped one, loaded once per process), checking its
 * files against the manifest's sha256.
 * @throws PassGymError(INTERNAL) naming the file that is missing or does not match, and
 *   the command that rebuilds it.
 */
export function loadInst2vecModel(dir: string = INST2VEC_DIR): Inst2vecModel {
  if (dir === INST2VEC_DIR && shipped) return shipped;
  const fail = (what: string): never => {
    throw new PassGymError('INTERNAL', `inst2vec artifact in ${dir}: ${what}; rebuild it with \`passgym inst2vec build --out ${dir} --force\` (docs/observations.md)`);
  };
  const read = (name: string): Buffer => {
    try {
      return fs.readFileSync(path.join(dir, name));
    } catch {
      return fail(`${name} is missing`);
    }
  };
  let manifest: Inst2vecManifest;
  try {
    manifest = JSON.parse(read('manifest.json').toString('utf8')) as Inst2vecManifest;
  } catch (e) {
    if (e instanceof PassGymError) throw e;
    return fail('manifest.json is not JSON');
  }
  const vocabBytes = read(manifest.files.vocabulary.name);
  if (sha256(vocabBytes) !== manifest.files.vocabulary.sha256) fail(`${manifest.files.vocabulary.name} does not match its sha256 in manifest.json`);
  const embBytes = read(manifest.files.embeddings.name);
  if (sha256(embBytes) !== manifest.files.embeddings.sha256) fail(`${manifest.files.embeddings.name} does not match its sha256 in manifest.json`);
  const vocabulary = JSON.parse(vocabBytes.toString('utf8')) as string[];
  const n = manifest.vocabulary_size * manifest.dim;
  if (vocabulary.length !== manifest.vocabulary_size || embBytes.length !== 2 * n) fail('the vocabulary or embedding size differs from manifest.json');
  const embeddings = new Float32Array(n);
  for (let i = 0; i < n; i++) embeddings[i] = fromFloat16(embBytes.readUInt16LE(2 * i));
  const model = new Inst2vecModel(manifest, vocabulary, embeddings);
  if (dir === INST2VEC_DIR) shipped = model;
  return model;
}

/**
 * Writes an artifact: vocabulary.json, embeddings.f16 (the float32 embeddings rounded to half
 * precision) and manifest.json with their sha256.
 * @param embeddings row-major [vocabulary.length, dim].
 */
export function writeInst2vecModel(dir: string, version: string, vocabulary: readonly string[], embeddings: Float32Array, dim: number, build: Record<string, unknown>): Inst2vecManifest {
  if (embeddings.length !== vocabulary.length * dim) throw new Error(`embeddings have ${embeddings.length} values, not ${vocabulary.length} × ${dim}`);
  fs.mkdirSync(dir, { recursive: true });
  const vocab = Buffer.from(`${JSON.stringify(vocabulary, null, 0)}\n`, 'utf8');
  const emb = Buffer.alloc(2 * embeddings.length);
  embeddings.forEach((x, i) => emb.writeUInt16LE(toFloat16(x), 2 * i));
  const manifest: Inst2vecManifest = {
    version,
    dim,
    vocabulary_size: vocabulary.length,
    unknown_index: vocabulary.indexOf(UNKNOWN_STATEMENT),
    files: {
      vocabulary: { name: 'vocabulary.json', sha256: sha256(vocab) },
      embeddings: { name: 'embeddings.f16', sha256: sha256(emb), dtype: 'float16' },
    },
    build,
  };
  if (manifest.unknown_index < 0) throw new Error('the vocabulary has no !UNK entry');
  fs.writeFileSync(path.join(dir, 'vocabulary.json'), vocab);
  fs.writeFileSync(path.join(dir, 'embeddings.f16'), emb);
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
