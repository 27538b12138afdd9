/**
 * `passgym inst2vec build`: the corpus of each LLVM version (`corpus.ts`, one child process per
 * version), then the vocabulary and the skip-gram embedding (`train.ts`), written as the versioned
 * artifact of `env/observations/inst2vec-model.ts`, with what it cost and how well it covers the
 * held-out programs in its manifest.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { writeInst2vecModel, type Inst2vecManifest } from '../../env/observations/inst2vec-model';
import type { CorpusSummary } from './corpus';
import { buildVocabulary, readCorpus, trainingPairs, trainSkipGram, type Inst2vecTrainOptions } from './train';
import { adjacency, contextOf } from './xfg';

/** The artifact version this code builds; bump it when the corpus, preprocessing or method changes. */
export const INST2VEC_VERSION = 'passgym-inst2vec-v1';

export interface Inst2vecBuildOptions {
  out: string;
  /** LLVM major versions whose IR goes into the corpus. */
  llvm: number[];
  csmithSeeds: number;
  /** Folder for the corpus files (kept, so that a rebuild with other options can reuse them). */
  work: string;
  /** Reuse corpus files already in `work`. */
  reuseCorpus: boolean;
  train: Inst2vecTrainOptions;
  log: (line: string) => void;
}

function runCorpus(llvm: number, file: string, seeds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'corpus.js'), file, String(seeds)], {
      env: { ...process.env, PASSGYM_LLVM: String(llvm) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`the LLVM ${llvm} corpus failed (${signal ?? `exit ${code}`}); its messages are above`)),
    );
  });
}

/** Share of held-out statements in the vocabulary, per LLVM version and dataset. */
async function coverage(files: readonly string[], vocabulary: readonly string[]): Promise<Record<string, number>> {
  const known = new Set(vocabulary);
  const tally = new Map<string, [number, number]>();
  for (const file of files) {
    for await (const e of readCorpus(file)) {
      const key = `llvm${e.llvm}/${e.uri.split('/')[2]}`;
      const t = tally.get(key) ?? [0, 0];
      for (const k of e.nodes) {
        t[0] += known.has(e.texts[k]) ? 1 : 0;
        t[1]++;
      }
      tally.set(key, t);
    }
  }
  return Object.fromEntries([...tally].map(([k, [a, n]]) => [k, Number((a / n).toFixed(4))]));
}

const dot = (e: Float32Array, d: number, i: number, j: number): number => {
  let s = 0;
  let ni = 0;
  let nj = 0;
  for (let k = 0; k < d; k++) {
    const a = e[i * d + k];
    const b = e[j * d + k];
    s += a * b;
    ni += a * a;
    nj += b * b;
  }
  return s / Math.sqrt(ni * nj || 1);
};

/**
 * Mean cosine similarity of held-out (statement, context) pairs of known statements, and of each
 * such statement with a random other vocabulary entry (uniform, seeded): the embedding puts
 * statements of one context closer together than chance when the first is higher.
 */
async function contextSimilarity(files: readonly string[], vocabulary: readonly string[], emb: Float32Array, d: number, contexts: number): Promise<{ context: number; random: number; pairs: number }> {
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  let ctx = 0;
  let rnd = 0;
  let n = 0;
  const rng = seedrandom.alea('inst2vec:similarity');
  for (const file of files) {
    for await (const e of readCorpus(file)) {
      const ids = e.nodes.map((k) => index.get(e.texts[k]) ?? 0);
      const adj = adjacency(ids.length, e.edges);
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === 0) continue;
        for (const j of contextOf(adj, i, contexts)) {
          if (ids[j] === 0 || ids[j] === ids[i]) continue;
          // A random known statement of the same vocabulary, other than this one.
          let r: number;
          do r = 1 + Math.floor(rng() * (vocabulary.length - 1));
          while (r === ids[i]);
          ctx += dot(emb, d, ids[i], ids[j]);
          rnd += dot(emb, d, ids[i], r);
          n++;
        }
      }
    }
  }
  return { context: Number((ctx / n).toFixed(4)), random: Number((rnd / n).toFixed(4)), pairs: n };
}

/** Builds the artifact; returns its manifest. */
export async function buildInst2vec(o: Inst2vecBuildOptions): Promise<Inst2vecManifest> {
  fs.mkdirSync(o.work, { recursive: true });
  const seconds: Record<string, number> = {};
  const corpora: string[] = [];
  const heldOut: string[] = [];
  const summaries: CorpusSummary[] = [];
  for (const v of o.llvm) {
    const file = path.join(o.work, `llvm${v}-csmith${o.csmithSeeds}.jsonl`);
    const summaryFile = file.replace(/\.jsonl$/, '.summary.json');
    if (!(o.reuseCorpus && fs.existsSync(summaryFile))) {
      o.log(`corpus of LLVM ${v} → ${file}`);
      await runCorpus(v, file, o.csmithSeeds);
    } else o.log(`reusing ${file}`);
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as CorpusSummary;
    summaries.push(summary);
    seconds[`corpus_llvm${v}`] = Number(summary.seconds.toFixed(1));
    corpora.push(file);
    heldOut.push(file.replace(/\.jsonl$/, '.heldout.jsonl'));
  }
  let t = performance.now();
  const vocab = await buildVocabulary(corpora, o.train);
  const { pairs, counts } = await trainingPairs(corpora, vocab.vocabulary, o.train);
  seconds.vocabulary_and_pairs = Number(((performance.now() - t) / 1000).toFixed(1));
  o.log(`vocabulary: ${vocab.vocabulary.length} of ${vocab.distinct} distinct statements (${vocab.statements} in all); ${pairs.length / 2} training pairs`);
  t = performance.now();
  const trained = await trainSkipGram(pairs, counts, o.train, o.log);
  seconds.training = Number(((performance.now() - t) / 1000).toFixed(1));
  const build = {
    command: `passgym inst2vec build --out DIR --llvm ${o.llvm.join(' ')} --csmith-seeds ${o.csmithSeeds} --epochs ${o.train.epochs} --max-vocabulary ${o.train.maxVocabulary} --seed ${o.train.seed}`,
    method: 'skip-gram with negative sampling over inst2vec contextual flow (distance <= 2), TensorFlow.js cpu backend',
    corpus: summaries.map((s) => ({ llvm: s.llvm, programs: s.programs, states: s.states, skipped: s.skipped.length })),
    corpus_splits: 'libs-v0 (all, train), torture-v0 train split, csmith-v0 seeds 1..N; states -O0, default<Oz>, default<O3>',
    statements: vocab.statements,
    distinct_statements: vocab.distinct,
    training_pairs: pairs.length / 2,
    options: o.train,
    epoch_loss: trained.epochLoss.map((x) => Number(x.toFixed(4))),
    seconds,
    held_out_coverage: await coverage(heldOut, vocab.vocabulary),
    held_out_context_similarity: await contextSimilarity(heldOut, vocab.vocabulary, trained.embeddings, o.train.dim, o.train.contexts),
  };
  return writeInst2vecModel(o.out, INST2VEC_VERSION, vocab.vocabulary, trained.embeddings, o.train.dim, build);
}
