/**
 * inst2vec: the statements' defs and uses, the contextual flow graph and contexts on a
 * hand-checked function, half-precision storage, training (reproducible, and it learns), the
 * shipped artifact and its integrity check, and the three observation spaces on a real program.
 */
import fs from 'node:fs';
import path from 'node:path';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { Llvm } from '../../env/llvm/llvm';
import { resolveBenchmark } from '../../env/benchmarks';
import { inst2vecPreprocess, inst2vecStatements } from '../../env/observations/inst2vec-preprocess';
import { fromFloat16, INST2VEC_DIR, loadInst2vecModel, toFloat16 } from '../../env/observations/inst2vec-model';
import { adjacency, contextOf, contextualFlowEdges } from '../../scripts/inst2vec/xfg';
import { corpusEntry } from '../../scripts/inst2vec/corpus';
import { buildVocabulary, DEFAULT_TRAIN_OPTIONS, trainingPairs, trainSkipGram, UNKNOWN_STATEMENT } from '../../scripts/inst2vec/train';
import { tempDir } from '../helpers';

const pool = new WorkerPool({ maxWorkers: 1 });
afterAll(() => pool.close());

const IR = `%struct.S = type { i32, i32 }
@g = global i32 5
define i32 @f(i32 %a, %struct.S* %s) {
entry:
  %x = add i32 %a, 1
  %c = icmp eq i32 %x, 0
  br i1 %c, label %yes, label %no
yes:
  %v = load i32, i32* @g
  ret i32 %v
no:
  ret i32 %x
}
`;

test('inst2vecStatements: the statements of inst2vecPreprocess with their function, defs, uses and terminators', () => {
  const s = inst2vecStatements(IR);
  expect(s.map((x) => x.text)).toEqual(inst2vecPreprocess(IR));
  expect(s.map((x) => [x.function, x.defs, x.uses, x.terminator])).toEqual([
    [-1, ['@g'], [], false],
    [0, ['@f', '%a', '%s'], [], false],
    [0, ['%entry'], [], false],
    [0, ['%x'], ['%a'], false],
    [0, ['%c'], ['%x'], false],
    [0, [], ['%c', '%yes', '%no'], true],
    [0, ['%yes'], [], false],
    [0, ['%v'], ['@g'], false],
    [0, [], ['%v'], true],
    [0, ['%no'], [], false],
    [0, [], ['%x'], true],
  ]);
});

test('inst2vecStatements: numbered arguments are defined by their header even when a numbered type shares their name', () => {
  const s = inst2vecStatements(`%0 = type { i32 }
define i32 @f(i32 %0, %0* %1) {
  %3 = add i32 %0, 1
  switch i32 %3, label %4 [
    i32 1, label %5
  ]
4:
  ret i32 0
5:
  ret i32 %3
}
`);
  expect(s.map((x) => [x.text, x.defs, x.uses, x.terminator])).toEqual([
    // (A numbered type is not inlined on a define line, where %0 may name an argument.)
    ['define i32 <@ID>(i32 <%ID>, <%ID>* <%ID>) {', ['@f', '%0', '%1'], [], false],
    ['<%ID> = add i32 <%ID>, <INT>', ['%3'], ['%0'], false],
    ['switch i32 <%ID>, label <%ID> [\n i32 <INT>, label <%ID>]', [], ['%3', '%4', '%5'], true],
    ['<LABEL>:', ['%4'], [], false],
    ['ret i32 <INT>', [], [], true],
    ['<LABEL>:', ['%5'], [], false],
    ['ret i32 <%ID>', [], ['%3'], true],
  ]);
  const edges = contextualFlowEdges(s);
  const pairs = [];
  for (let k = 0; k < edges.length; k += 2) pairs.push(`${edges[k]}-${edges[k + 1]}`);
  expect(pairs).toEqual(['0-1', '1-2', '1-6', '2-3', '2-5', '3-4', '5-6']);
});

test('contextual flow: def-use edges (labels included) and block-internal order; contexts within 2 hops, nearest first', () => {
  const edges = contextualFlowEdges(inst2vecStatements(IR));
  const pairs = [];
  for (let k = 0; k < edges.length; k += 2) pairs.push(`${edges[k]}-${edges[k + 1]}`);
  expect(pairs).toEqual(['0-7', '1-2', '1-3', '2-3', '3-4', '3-10', '4-5', '5-6', '5-9', '6-7', '7-8', '9-10']);
  const adj = adjacency(11, edges);
  expect(contextOf(adj, 5, 16)).toEqual([4, 6, 9, 3, 7, 10]);
  expect(contextOf(adj, 5, 4)).toEqual([4, 6, 9, 3]);
  expect(contextOf(adj, 0, 16)).toEqual([7, 6, 8]);
});

test('float16: exact values, rounding to nearest even, overflow and underflow', () => {
  expect([1, -2, 65504, 0.1, 2 ** -24, 0].map(toFloat16)).toEqual([0x3c00, 0xc000, 0x7bff, 0x2e66, 0x0001, 0]);
  expect(toFloat16(65520)).toBe(0x7c00);
  expect(toFloat16(1e-9)).toBe(0);
  expect(toFloat16(1 + 2 ** -11)).toBe(0x3c00); // a tie: rounds to the even mantissa
  expect(toFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
  expect(toFloat16(65519)).toBe(0x7bff); // just below the overflow midpoint
  expect(toFloat16(2047.5)).toBe(0x6800); // a tie whose rounding carries into the exponent: 2048
  expect(toFloat16(1.5 * 2 ** -25)).toBe(0x0001); // subnormal, rounds up
  expect(toFloat16(2 ** -25)).toBe(0); // subnormal tie, rounds to even (0)
  expect(toFloat16(3 * 2 ** -25)).toBe(0x0002); // subnormal tie, rounds to even (2)
  expect(fromFloat16(0x0001)).toBe(2 ** -24);
  expect(fromFloat16(0x7c00)).toBe(Infinity);
  for (const x of [0.5, -0.0123, 3.75, 1e-5, 1234.5]) expect(Math.abs(fromFloat16(toFloat16(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 2 ** -25);
});

test('training: the same corpus and options give the same embedding, and the loss falls', async () => {
  const llvm = Llvm.get();
  const file = path.join(tempDir(), 'corpus.jsonl');
  const lines: string[] = [];
  for (const id of ['qsort', 'crc32', 'sha256', 'dijkstra']) {
    const ref = await resolveBenchmark(`benchmark://embedded-v0/${id}`);
    const m = llvm.parse(fs.readFileSync(ref.path), ref.uri);
    lines.push(JSON.stringify(corpusEntry(ref.uri, 'O0', llvm.major, m.print())));
    m.dispose();
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const options = { ...DEFAULT_TRAIN_OPTIONS, dim: 16, minPrograms: 1, epochs: 4, batchSize: 128, learningRate: 0.02 };
  const { vocabulary } = await buildVocabulary([file], options);
  expect(vocabulary[0]).toBe(UNKNOWN_STATEMENT);
  expect(vocabulary.length).toBeGreaterThan(50);
  const { pairs, counts } = await trainingPairs([file], vocabulary, options);
  expect(pairs.length).toBeGreaterThan(1000);
  const a = await trainSkipGram(pairs, counts, options);
  const b = await trainSkipGram(pairs, counts, options);
  expect(Buffer.from(a.embeddings.buffer).equals(Buffer.from(b.embeddings.buffer))).toBe(true);
  expect(a.epochLoss[3]).toBeLessThan(a.epochLoss[0] * 0.8);
  const c = await trainSkipGram(pairs, counts, { ...options, seed: 1 });
  expect(Buffer.from(a.embeddings.buffer).equals(Buffer.from(c.embeddings.buffer))).toBe(false);
}, 120_000);

test('the shipped artifact: versioned, !UNK at index 0, 200 dimensions; a damaged or missing file is named', () => {
  const model = loadInst2vecModel();
  expect(model.manifest.version).toMatch(/^passgym-inst2vec-v\d+$/);
  expect(model.vocabulary[model.unknownIndex]).toBe('!UNK');
  expect(model.unknownIndex).toBe(0);
  expect(model.dim).toBe(200);
  expect(model.embeddings.length).toBe(model.vocabulary.length * 200);
  expect(model.encode(['no such statement', model.vocabulary[5]])).toEqual([0, 5]);

  const copy = tempDir();
  for (const f of fs.readdirSync(INST2VEC_DIR)) fs.copyFileSync(path.join(INST2VEC_DIR, f), path.join(copy, f));
  const emb = fs.readFileSync(path.join(copy, 'embeddings.f16'));
  emb[100] ^= 1;
  fs.writeFileSync(path.join(copy, 'embeddings.f16'), emb);
  expect(() => loadInst2vecModel(copy)).toThrow(/embeddings\.f16 does not match its sha256.*passgym inst2vec build/);
  expect(() => loadInst2vecModel(path.join(copy, 'none'))).toThrow(/manifest\.json is missing/);
});

test('Inst2vecPreprocessedText, Inst2vecEmbeddingIndices and Inst2vec agree with each other and the artifact, before and after -Oz', async () => {
  const model = loadInst2vecModel();
  const env = await make('llvm-v0', { pool, benchmark: 'benchmark://embedded-v0/qsort', actionSpace: 'PassesWithLevels' });
  try {
    await env.reset();
    for (let round = 0; round < 2; round++) {
      const o = await env.observe(['Inst2vecPreprocessedText', 'Inst2vecEmbeddingIndices', 'Inst2vec', 'Ir']);
      const text = o.Inst2vecPreprocessedText as string[];
      const idx = o.Inst2vecEmbeddingIndices as number[];
      const vec = o.Inst2vec as Float32Array[];
      expect(text).toEqual(inst2vecPreprocess(o.Ir as string));
      expect(idx.length).toBe(text.length);
      expect(vec.length).toBe(text.length);
      idx.forEach((i, k) => expect(i === 0 ? !model.vocabulary.includes(text[k]) : model.vocabulary[i] === text[k]).toBe(true));
      expect(vec[3]).toEqual(model.embed([idx[3]])[0]);
      expect(vec[3].length).toBe(200);
      // embedded-v0 is held out of the corpus; most of its statements are still known.
      expect(idx.filter((i) => i === 0).length / idx.length).toBeLessThan(0.4);
      await env.step('default<Oz>');
    }
  } finally {
    await env.close();
  }
}, 60_000);
