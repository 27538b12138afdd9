// The coreset agent end to end on the real LLVM: a small coreset built on llvm-stress seeds (a
// train split that needs no download), the agent run by the leaderboard harness on an
// embedded-v0 program and validated, and the checks that keep test programs out of a coreset.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { greedyCoreset } from '../../agents/coreset/select';
import { checkTrainOnly, coresetPath, loadCoreset, coresetSequences } from '../../agents/coreset/artifact';
import { buildCoreset } from '../../agents/coreset/build';
import { pipelinePasses } from '../../agents/coreset/level-sequence';
import { mutate } from '../../agents/coreset/mutate';
import { runLeaderboard } from '../../agents/leaderboard/harness';
import { createAgent } from '../../agents/registry';
import { findLlvm } from '../../env/llvm/library';
import { actionSpaceFor } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { makeRng } from '../../env/spaces';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-coreset-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('greedy selection takes the largest geomean gain first and stops when nothing gains', () => {
  // 3 programs; candidate 0 is best on average, 1 covers program 2, 2 is dominated by 0.
  const ratios = [
    [1.2, 1.1, 0.5],
    [0.6, 0.6, 1.3],
    [1.1, 1.0, 0.4],
  ];
  const g = greedyCoreset(ratios, [0.5, 0.5, 0.5], 3);
  expect(g.order).toEqual([0, 1]);
  expect(g.curve[0]).toBeCloseTo(Math.cbrt(1.2 * 1.1 * 0.5), 12);
  expect(g.curve[1]).toBeCloseTo(Math.cbrt(1.2 * 1.1 * 1.3), 12);
  expect(g.base).toBeCloseTo(0.5, 12);
  expect(greedyCoreset(ratios, [0.5, 0.5, 0.5], 1).order).toEqual([0]);
  expect(() => greedyCoreset([[1, 2]], [1, 1, 1], 2)).toThrow(/candidate 0 has 2 scores for 3 programs/);
});

test('a coreset is built on train splits only', () => {
  expect(() => checkTrainOnly(['generator://llvm-stress-v0/1', 'benchmark://libs-v0/zlib.deflate'])).not.toThrow();
  expect(() => checkTrainOnly(['benchmark://apps-v0/bzip2'])).toThrow(/apps-v0\/bzip2 is in the test split/);
  expect(() => checkTrainOnly(['benchmark://embedded-v0/qsort'])).toThrow(/in the validation split/);
  expect(() => checkTrainOnly(['file:///tmp/x.bc'])).toThrow(/in no dataset split/);
});

test('printed pipelines are read pass by pass, with parameters', () => {
  // Adaptors are listed too; levelAsActions keeps only the names that are actions.
  expect(pipelinePasses('verify,function<eager-inv>(sroa,early-cse<memssa>),cgscc(devirt<4>(inline)),loop-mssa(licm)')).toEqual([
    'verify', 'function<eager-inv>', 'sroa', 'early-cse<memssa>', 'cgscc', 'devirt<4>', 'inline', 'loop-mssa', 'licm',
  ]);
});

test('mutants are non-empty, bounded, and a function of the seed', () => {
  const a = makeRng(7);
  const b = makeRng(7);
  for (let i = 0; i < 200; i++) {
    const m = mutate([1, 2, 3], [4, 5], a, 6);
    expect(m.length).toBeGreaterThan(0);
    expect(m.length).toBeLessThanOrEqual(6);
    expect(mutate([1, 2, 3], [4, 5], b, 6)).toEqual(m);
  }
});

describe('a coreset built and used', () => {
  const file = path.join(dir, 'small.json');
  const programs = [1, 2, 3].map((s) => `generator://llvm-stress-v0/${s}`);

  test('build writes the chosen sequences, the score curve and the training programs', async () => {
    const a = await buildCoreset(file, { programs, searchPrograms: 2, searchBudget: 10, randomCandidates: 2, maxSize: 3, workers: 2 });
    expect(a.train.programs).toEqual(programs);
    expect(a.sequences.length).toBeGreaterThanOrEqual(1);
    expect(a.sequences.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < a.curve.length; i++) expect(a.curve[i]).toBeGreaterThan(a.curve[i - 1]);
    expect(a.curve[0]).toBeGreaterThan(a.base);
    expect(a.build.compilations).toBeGreaterThanOrEqual(2 * 10);
    expect(loadCoreset(file)).toEqual(a);
  }, 300_000);

  test('the agent spends at most its budget, counts passes, and its row replays and validates', async () => {
    const out = path.join(dir, 'qsort.csv');
    const { results, summary } = await runLeaderboard({
      agent: 'coreset', agentOptions: { coreset: file }, dataset: 'embedded-v0', benchmarks: ['benchmark://embedded-v0/qsort'], stepBudget: 8, out, workers: 2,
    });
    const row = results.rows[0];
    expect(row.error).toBeUndefined();
    expect(row.semantics).toBe('ok');
    expect(row.steps).toBeLessThanOrEqual(8);
    expect(row.passes).toBeGreaterThan(row.steps); // whole sequences: more passes than compilations
    expect(Number(row.stats.outputChecks)).toBeGreaterThanOrEqual(1);
    expect(row.stats.inTraining).toBe(0);
    expect(summary.meanReductionVsOzPercent).toBeCloseTo(100 * (row.irInstructionCountOz! - row.irInstructionCount!) / row.irInstructionCountOz!, 9);
  }, 300_000);

  test('a coreset of another action space version is refused, saying how to rebuild', async () => {
    const other = path.join(dir, 'other.json');
    const a = JSON.parse(fs.readFileSync(file, 'utf8'));
    a.actionSpace.version = 'PassesAll-llvm99-00000000';
    fs.writeFileSync(other, JSON.stringify(a));
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const space = await actionSpaceFor(pool, 'PassesAll');
      expect(() => coresetSequences(loadCoreset(other), space, other)).toThrow(/built for action space PassesAll-llvm99-00000000.*rebuild it with 'passgym coreset build'/);
    } finally {
      pool.close();
    }
    await expect(createAgent('coreset', { coreset: path.join(dir, 'missing.json') })).rejects.toThrow(/no coreset at .*passgym coreset build/);
  });
});

test('the shipped coreset of this LLVM, where there is one, is at most 50 sequences of this action space', async () => {
  const file = coresetPath(findLlvm().major);
  if (!fs.existsSync(file)) {
    console.warn(`no shipped coreset for LLVM ${findLlvm().major} (${file}); the agent needs coreset=FILE here`);
    return;
  }
  const a = loadCoreset(file);
  expect(a.sequences.length).toBeGreaterThan(0);
  expect(a.sequences.length).toBeLessThanOrEqual(50);
  const pool = new WorkerPool({ maxWorkers: 1 });
  try {
    const seqs = coresetSequences(a, await actionSpaceFor(pool, 'PassesAll'), file);
    expect(seqs.every((s) => s.length > 0)).toBe(true);
  } finally {
    pool.close();
  }
});
