/**
 * PassGym's inst2vec vocabulary and embedding, learned from the corpus of `corpus.ts`.
 *
 * Method: Ben-Nun et al., "Neural Code Comprehension" (NeurIPS 2018), §3–4: statements that occur
 * too rarely become `!UNK`; a skip-gram model learns, for each statement, to predict the statements
 * of its context (distance ≤ 2 in the contextual flow graph, `xfg.ts`). The objective is word2vec's
 * skip-gram with negative sampling (Mikolov et al., "Distributed Representations of Words and
 * Phrases and their Compositionality", NeurIPS 2013): for a pair (statement w, context c) and k
 * noise statements n_i drawn from the unigram distribution raised to 3/4,
 * `loss = −log σ(v_w·u_c) − Σ_i log σ(−v_w·u_{n_i})`, with frequent statements subsampled (keep
 * probability `min(1, √(t/f) + t/f)` for frequency f, word2vec's formula). ncc trained with NCE
 * and Adam; this uses negative sampling and Adam. The embedding is the matrix v (rows = vocabulary).
 *
 * Reproducible: every random choice comes from seeded generators (seedrandom's Alea for the data,
 * TensorFlow.js's seeded initialiser) and training runs on TensorFlow.js's `cpu` backend, whose
 * float32 arithmetic is the same on every machine; the same corpus and options give the same bytes.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import seedrandom from 'seedrandom';
import { tf } from '../../agents/ppo/backend';
import { UNKNOWN_STATEMENT } from '../../env/observations/inst2vec-model';
import type { CorpusEntry } from './corpus';

export { UNKNOWN_STATEMENT };
import { adjacency, contextOf } from './xfg';


/** Training options; DEFAULT_TRAIN_OPTIONS gives each its default. */
export interface Inst2vecTrainOptions {
  /** Embedding dimension (ncc: 200). */
  dim: number;
  /** A statement enters the vocabulary when it occurs in at least this many distinct programs. */
  minPrograms: number;
  /** Vocabulary size cap, `!UNK` included (the most frequent statements are kept). */
  maxVocabulary: number;
  /** Context statements per statement at most (nearest first, `contextOf`). */
  contexts: number;
  /** Noise statements per pair (k). */
  negatives: number;
  /** Subsampling threshold t. */
  subsample: number;
  /** Passes over the pairs. */
  epochs: number;
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: Inst2vecTrainOptions = {
  dim: 200,
  minPrograms: 2,
  maxVocabulary: 8192,
  contexts: 8,
  negatives: 5,
  subsample: 1e-4,
  epochs: 2,
  batchSize: 2048,
  learningRate: 0.01,
  seed: 0,
};

/** Reads a corpus file line by line. */
export async function* readCorpus(file: string): AsyncGenerator<CorpusEntry> {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line !== '') yield JSON.parse(line) as CorpusEntry;
}

/** Counts of one statement over the corpus. */
interface Count {
  occurrences: number;
  programs: Set<string>;
}

/**
 * The vocabulary: `!UNK` first, then the statements that occur in at least `minPrograms` distinct
 * programs (URIs: one program on two LLVM versions counts once), most frequent first (ties in code-unit order), at most
 * `maxVocabulary` entries in all.
 */
export async function buildVocabulary(files: readonly string[], options: Inst2vecTrainOptions): Promise<{ vocabulary: string[]; statements: number; distinct: number }> {
  const counts = new Map<string, Count>();
  let statements = 0;
  for (const file of files) {
    for await (const e of readCorpus(file)) {
      const program = e.uri;
      const occ = new Array<number>(e.texts.length).fill(0);
      for (const k of e.nodes) occ[k]++;
      statements += e.nodes.length;
      e.texts.forEach((t, k) => {
        let c = counts.get(t);
        if (c === undefined) counts.set(t, (c = { occurrences: 0, programs: new Set() }));
        c.occurrences += occ[k];
        c.programs.add(program);
      });
    }
  }
  const kept = [...counts.entries()]
    .filter(([, c]) => c.programs.size >= options.minPrograms)
    .sort((a, b) => b[1].occurrences - a[1].occurrences || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, options.maxVocabulary - 1)
    .map(([t]) => t);
  return { vocabulary: [UNKNOWN_STATEMENT, ...kept], statements, distinct: counts.size };
}

/**
 * The (statement, context) training pairs of the corpus as vocabulary indices, interleaved
 * `[w0, c0, w1, c1, …]`, after subsampling, in a seeded shuffled order; and the unigram counts of
 * the vocabulary (for the noise distribution).
 */
export async function trainingPairs(
  files: readonly string[],
  vocabulary: readonly string[],
  options: Inst2vecTrainOptions,
): Promise<{ pairs: Int32Array; counts: Float64Array }> {
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const counts = new Float64Array(vocabulary.length);
  const entries: Array<{ ids: Int32Array; edges: number[]; key: string }> = [];
  let total = 0;
  for (const file of files) {
    for await (const e of readCorpus(file)) {
      const local = e.texts.map((t) => index.get(t) ?? 0);
      const ids = Int32Array.from(e.nodes, (k) => local[k]);
      for (const id of ids) counts[id]++;
      total += ids.length;
      entries.push({ ids, edges: e.edges, key: `${e.llvm}:${e.uri}:${e.state}` });
    }
  }
  const keep = Float64Array.from(counts, (c) => {
    const f = c / Math.max(1, total);
    return f === 0 ? 1 : Math.min(1, Math.sqrt(options.subsample / f) + options.subsample / f);
  });
  let out = new Int32Array(1 << 20);
  let n = 0;
  for (const { ids, edges, key } of entries) {
    // A generator per state, so the pairs of a state do not depend on which others are present.
    const rng = seedrandom.alea(`${options.seed}:${key}`);
    const adj = adjacency(ids.length, edges);
    for (let i = 0; i < ids.length; i++) {
      if (rng() >= keep[ids[i]]) continue;
      for (const j of contextOf(adj, i, options.contexts)) {
        if (n + 2 > out.length) {
          const grown = new Int32Array(out.length * 2);
          grown.set(out);
          out = grown;
        }
        out[n++] = ids[i];
        out[n++] = ids[j];
      }
    }
  }
  const pairs = out.slice(0, n);
  // Fisher-Yates over pairs.
  const rng = seedrandom.alea(`${options.seed}:shuffle`);
  for (let i = n / 2 - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a0 = pairs[2 * i];
    const a1 = pairs[2 * i + 1];
    pairs[2 * i] = pairs[2 * j];
    pairs[2 * i + 1] = pairs[2 * j + 1];
    pairs[2 * j] = a0;
    pairs[2 * j + 1] = a1;
  }
  return { pairs, counts };
}

/** Cumulative noise distribution: counts^(3/4), normalised (word2vec's). */
function noiseTable(counts: Float64Array): Float64Array {
  const cdf = new Float64Array(counts.length);
  let s = 0;
  counts.forEach((c, i) => {
    s += Math.pow(c, 0.75);
    cdf[i] = s;
  });
  return cdf.map((x) => x / s);
}

function drawNoise(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What trainSkipGram returns. */
export interface SkipGramResult {
  /** Row-major [vocabulary, dim]. */
  embeddings: Float32Array;
  /** Mean loss of each epoch. */
  epochLoss: number[];
}

/**
 * Lazy Adam over the rows of one matrix (TensorFlow's LazyAdamOptimizer): only the rows a batch
 * touched have their moments and values updated, with the global step's bias correction.
 */
class RowAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;

  constructor(
    readonly values: Float32Array,
    private readonly d: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = new Float32Array(values.length);
    this.v = new Float32Array(values.length);
  }

  /** Applies step `t` (from 1): `grads` row r holds the gradient of row `rows[r]` (distinct rows). */
  apply(rows: readonly number[], grads: Float32Array, lr: number, t: number): void {
    const { d, m, v, values, beta1, beta2, epsilon } = this;
    const step = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    rows.forEach((row, r) => {
      for (let k = 0, o = row * d; k < d; k++, o++) {
        const g = grads[r * d + k];
        m[o] = beta1 * m[o] + (1 - beta1) * g;
        v[o] = beta2 * v[o] + (1 - beta2) * g * g;
        values[o] -= (step * m[o]) / (Math.sqrt(v[o]) + epsilon);
      }
    });
  }
}

/** The distinct ids of `ids`, in first-seen order, and each id's position among them. */
function distinct(ids: Int32Array): { rows: number[]; slot: Int32Array } {
  const at = new Map<number, number>();
  const rows: number[] = [];
  const slot = Int32Array.from(ids, (id) => {
    let s = at.get(id);
    if (s === undefined) {
      s = rows.length;
      at.set(id, s);
      rows.push(id);
    }
    return s;
  });
  return { rows, slot };
}

/** The rows `rows` of a [*, d] matrix, stacked. */
function gatherRows(values: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(values.subarray(rows[r] * d, (rows[r] + 1) * d), r * d);
  return out;
}

/** Per-occurrence gradient rows summed per distinct row: [rows.length, d]. */
function sumBySlot(grads: Float32Array, ids: { rows: number[]; slot: Int32Array }, d: number): Float32Array {
  const out = new Float32Array(ids.rows.length * d);
  for (let i = 0; i < ids.slot.length; i++) {
    const o = ids.slot[i] * d;
    for (let k = 0; k < d; k++) out[o + k] += grads[i * d + k];
  }
  return out;
}

/**
 * Trains the skip-gram embedding. Each batch's loss and its gradient with respect to the batch's
 * distinct embedding rows are computed by TensorFlow.js (cpu backend); the rows are gathered and
 * updated sparsely here (lazy Adam), since a dense gradient of the whole matrix per batch (what
 * `tf.gather`'s gradient gives, through tfjs-cpu's O(vocabulary × batch) unsortedSegmentSum)
 * would cost the vocabulary size times more.
 * @param pairs interleaved (statement, context) indices.
 * @param counts unigram counts per vocabulary index.
 * @param log receives progress lines.
 */
export async function trainSkipGram(
  pairs: Int32Array,
  counts: Float64Array,
  options: Inst2vecTrainOptions,
  log: (line: string) => void = () => undefined,
): Promise<SkipGramResult> {
  if (!(await tf.setBackend('cpu'))) throw new Error("inst2vec training needs TensorFlow.js's cpu backend");
  const v = counts.length;
  const d = options.dim;
  const k = options.negatives;
  const b = options.batchSize;
  const cdf = noiseTable(counts);
  const rng = seedrandom.alea(`${options.seed}:noise`);
  // word2vec's initialisation: embeddings uniform in ±0.5/d, context vectors zero.
  const init = tf.randomUniform([v, d], -0.5 / d, 0.5 / d, 'float32', options.seed);
  const emb = new RowAdam(init.dataSync() as Float32Array, d);
  init.dispose();
  const ctx = new RowAdam(new Float32Array(v * d), d);
  const nPairs = pairs.length / 2;
  const batches = Math.ceil(nPairs / b);
  const epochLoss: number[] = [];
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    let sum = 0;
    for (let batch = 0; batch < batches; batch++) {
      const lo = batch * b;
      const m = Math.min(b, nPairs - lo);
      const w = new Int32Array(m);
      const c = new Int32Array(m * (k + 1));
      for (let i = 0; i < m; i++) {
        w[i] = pairs[2 * (lo + i)];
        c[i * (k + 1)] = pairs[2 * (lo + i) + 1];
        for (let j = 1; j <= k; j++) c[i * (k + 1) + j] = drawNoise(cdf, rng());
      }
      const W = distinct(w);
      const C = distinct(c);
      const [loss, gW, gC] = tf.tidy(() => {
        // The rows of each pair as leaves: the gradient of tf.gather would be a dense
        // [vocabulary, d] matrix built by tfjs-cpu's O(segments × batch) unsortedSegmentSum.
        const vw = tf.tensor3d(gatherRows(emb.values, d, w), [m, d, 1]);
        const uc = tf.tensor3d(gatherRows(ctx.values, d, c), [m, k + 1, d]);
        // Label +1 for the context, −1 for the k noise statements: loss = mean Σ softplus(−y·v·u).
        const sign = tf.tensor2d(Float32Array.from({ length: m * (k + 1) }, (_, i) => (i % (k + 1) === 0 ? -1 : 1)), [m, k + 1]);
        const f = (a: tf.Tensor, u: tf.Tensor): tf.Scalar => {
          const score = tf.reshape(tf.matMul(u, a), [m, k + 1]); // [m, k+1, d] × [m, d, 1]
          // −log σ(x) = softplus(−x); tf.logSigmoid's gradient fails on tfjs 4.22's cpu backend.
          return tf.div(tf.sum(tf.softplus(tf.mul(score, sign))), m) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)([vw, uc]);
        return [value, grads[0], grads[1]];
      });
      t++;
      emb.apply(W.rows, sumBySlot(gW.dataSync() as Float32Array, W, d), options.learningRate, t);
      ctx.apply(C.rows, sumBySlot(gC.dataSync() as Float32Array, C, d), options.learningRate, t);
      sum += loss.dataSync()[0] * m;
      tf.dispose([loss, gW, gC]);
      if ((batch + 1) % 500 === 0) log(`epoch ${epoch + 1}/${options.epochs}: batch ${batch + 1}/${batches}, loss ${(sum / ((batch + 1) * b)).toFixed(4)}`);
    }
    epochLoss.push(sum / nPairs);
    log(`epoch ${epoch + 1}/${options.epochs}: mean loss ${epochLoss[epoch].toFixed(4)}`);
  }
  return { embeddings: emb.values, epochLoss };
}
