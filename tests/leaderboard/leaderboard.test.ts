import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runLeaderboard, splitBenchmarks } from '../../agents/leaderboard/harness';
import { validateResults, pipelineOf } from '../../agents/leaderboard/validate';
import { readResults, readStates } from '../../agents/leaderboard/results';
import { writeReport } from '../../agents/leaderboard/report';
import { writeHtmlReport } from '../../agents/leaderboard/html';
import { tempDir } from '../helpers';

const CLI = path.resolve(__dirname, '..', '..', 'scripts', 'cli.js');
const TWO = ['benchmark://embedded-v0/qsort', 'benchmark://embedded-v0/crc32'];

describe('leaderboard', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the -Oz row scores 1.0 and validates with the stock opt; a wrong reward fails validation', async () => {
    const out = path.join(dir, 'oz', 'oz.csv');
    const { summary, results } = await runLeaderboard({ agent: 'oz', dataset: 'embedded-v0', benchmarks: TWO, stepBudget: 1, out, workers: 1 });
    expect(summary.geomeanIrVsOz).toBeCloseTo(1, 12);
    expect(results.meta.actionSpace.name).toBe('PassesWithLevels');
    expect(readStates(out).map((s) => s.commandline)).toEqual([expect.stringMatching(/-passes='module\(default<Oz>\)'/), expect.anything()]);
    const ok = await validateResults(out);
    expect(ok.map((v) => [v.ok, v.semantics])).toEqual([[true, 'ok'], [true, 'ok']]);

    const tampered = path.join(dir, 'tampered.csv');
    const csv = fs.readFileSync(out, 'utf8').split('\n');
    csv[1] = csv[1].replace(/^([^,]+),1,/, '$1,1.05,');
    expect(csv[1]).toContain(',1.05,');
    fs.writeFileSync(tampered, csv.join('\n'));
    const bad = await validateResults(tampered, { semantics: false });
    expect(bad[0].ok).toBe(false);
    expect(bad[0].error).toMatch(/reward 1\.05 in the CSV, 1 recomputed with opt-\d+/);
    expect(bad[1].ok).toBe(true);
  });

  test('greedy rows replay with stock opt to the same reward', async () => {
    const out = path.join(dir, 'greedy', 'greedy.csv');
    const { results } = await runLeaderboard({ agent: 'greedy', dataset: 'embedded-v0', benchmarks: ['benchmark://embedded-v0/crc32'], stepBudget: 600, out });
    expect(results.rows[0].error).toBeUndefined();
    expect(results.rows[0].reward).toBeGreaterThan(0.9);
    const v = await validateResults(out, { semantics: false });
    expect(v[0].recomputed).toBeCloseTo(results.rows[0].reward!, 6);
    expect(v[0].ok).toBe(true);
  });

  test('an existing results file is never overwritten by default: --resume continues it, --force replaces it', async () => {
    const out = path.join(dir, 'kept', 'oz.csv');
    await runLeaderboard({ agent: 'oz', dataset: 'embedded-v0', benchmarks: TWO, stepBudget: 1, out, workers: 1 });
    const before = fs.readFileSync(out, 'utf8');
    await expect(runLeaderboard({ agent: 'oz', dataset: 'embedded-v0', benchmarks: [TWO[0]], stepBudget: 1, out, workers: 1 })).rejects.toThrow(
      /oz\.csv exists: pass --resume to continue it, or --force to replace it/,
    );
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
    const replaced = await runLeaderboard({ agent: 'oz', dataset: 'embedded-v0', benchmarks: [TWO[0]], stepBudget: 1, out, workers: 1, force: true });
    expect(replaced.results.rows).toHaveLength(1);
    expect(readResults(out).rows).toHaveLength(1);
  });

  test('--resume keeps the completed rows, runs the missing ones, and refuses a different run', async () => {
    const out = path.join(dir, 'resume', 'random.csv');
    const first = await runLeaderboard({ agent: 'random', dataset: 'embedded-v0', benchmarks: [TWO[0]], stepBudget: 20, out, workers: 1 });
    expect(first.results.rows).toHaveLength(1);
    const second = await runLeaderboard({ agent: 'random', dataset: 'embedded-v0', benchmarks: TWO, stepBudget: 20, out, workers: 1, resume: true });
    expect(second.results.rows.map((r) => r.benchmark)).toEqual(TWO);
    expect(second.results.rows[0]).toEqual(first.results.rows[0]); // kept as it was, not rerun
    expect(second.results.rows[1].error).toBeUndefined();
    expect(second.results.meta.date).toBe(first.results.meta.date);
    expect(second.results.meta.resumed).toHaveLength(1);
    expect(readResults(out).rows).toHaveLength(2);
    await expect(runLeaderboard({ agent: 'random', dataset: 'embedded-v0', benchmarks: TWO, stepBudget: 30, out, workers: 1, resume: true })).rejects.toThrow(
      /cannot resume .*random\.csv: its step budget is 20, this run's is 30/,
    );
    expect(readResults(out).rows).toHaveLength(2); // the refused run wrote nothing
  });

  test('a Python agent (python:FILE) drives a server; an agent that crashes is recorded as failed and the run goes on', async () => {
    const good = path.resolve(__dirname, '..', '..', '..', 'examples', 'leaderboard_policy.py');
    const crashing = path.join(dir, 'crash.py');
    fs.writeFileSync(crashing, 'def policy(env, budget):\n    if "qsort" in env.benchmark:\n        raise RuntimeError("deliberate failure")\n    env.step(0)\n');
    const out1 = path.join(dir, 'py', 'good.csv');
    const r1 = await runLeaderboard({ agent: `python:${good}`, dataset: 'embedded-v0', benchmarks: ['benchmark://embedded-v0/crc32'], timeBudgetSeconds: 2, out: out1 });
    expect(r1.results.rows[0].error).toBeUndefined();
    expect(r1.results.rows[0].reward).toBeGreaterThan(0);
    const out2 = path.join(dir, 'py', 'crash.csv');
    const r2 = await runLeaderboard({ agent: `python:${crashing}`, dataset: 'embedded-v0', benchmarks: TWO, timeBudgetSeconds: 5, out: out2 });
    expect(r2.results.rows[0].error).toMatch(/agent failed: python agent exited with 1: .*deliberate failure/);
    expect(r2.results.rows[1].error).toBeUndefined();
    expect(readStates(out2)).toHaveLength(1);
    expect(readResults(out2).rows).toHaveLength(2);
  });

  test('LEADERBOARD.md and its SVG are generated from the results files', async () => {
    const md = path.join(dir, 'LEADERBOARD.md');
    const written = await writeReport(dir, md);
    const text = fs.readFileSync(md, 'utf8');
    expect(text).toContain('| -Oz | 1.000× |');
    // Rows over different program lists go to different tables.
    // One section per LLVM version, and in it rows over different program lists go to different tables.
    const major = readResults(path.join(dir, 'oz', 'oz.csv')).meta.llvm.major;
    expect(text).toContain(`\n## LLVM ${major}\n`);
    expect(text).toContain('### embedded-v0 (custom: crc32)\n');
    expect(text).toMatch(/### embedded-v0 \(custom: [a-z0-9]+, [a-z0-9]+\)\n/);
    const svg = written.find((f) => f.endsWith('.svg'))!;
    expect(path.basename(svg)).toMatch(new RegExp(`^leaderboard-llvm${major}-embedded-v0-`));
    expect(fs.readFileSync(svg, 'utf8')).toContain('<svg');
    const html = await writeHtmlReport(path.join(dir, 'r.html'), 'test', [{ title: 't', results: readResults(path.join(dir, 'oz', 'oz.csv')), csvPath: 'oz.csv' }]);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/<svg[\s\S]*embedded-v0\/crc32/);
    // Two agents on one dataset: a chart of them side by side (with their geomean) comes first;
    // a run over a list of programs says so instead of naming a split.
    const both = fs.readFileSync(
      await writeHtmlReport(path.join(dir, 'r2.html'), 'test', [
        { title: 'oz', agent: '-Oz', results: readResults(path.join(dir, 'oz', 'oz.csv')), csvPath: 'oz.csv' },
        { title: 'random', agent: 'random search', results: readResults(path.join(dir, 'resume', 'random.csv')), csvPath: 'random.csv' },
      ]),
      'utf8',
    );
    const compared = both.indexOf('<h2>embedded-v0: agents compared</h2>');
    expect(compared).toBeGreaterThan(0);
    expect(compared).toBeLessThan(both.indexOf('<h2>oz</h2>'));
    const chart = both.slice(compared, both.indexOf('</section>', compared));
    for (const word of ['geomean', 'random search', '-Oz', 'qsort']) expect(chart).toContain(word);
    expect(both).toContain('on embedded-v0 (the 2 programs listed below)');
  });

  test('bad input: unknown agent, a dataset without the split, a generator, a malformed CSV row', async () => {
    await expect(runLeaderboard({ agent: 'nope', dataset: 'embedded-v0', stepBudget: 1, out: path.join(dir, 'x.csv') })).rejects.toThrow(/unknown agent "nope"/);
    await expect(splitBenchmarks('embedded-v0', 'test')).rejects.toThrow(/embedded-v0 has no test split; it has: validation/);
    await expect(splitBenchmarks('csmith-v0', 'test')).rejects.toThrow(/csmith-v0 is a generator/);
    await expect(runLeaderboard({ agent: 'oz', dataset: 'embedded-v0', out: path.join(dir, 'x.csv') })).rejects.toThrow(/give a per-benchmark budget/);
    const badCsv = path.join(dir, 'bad.csv');
    fs.writeFileSync(badCsv, 'benchmark,reward,walltime,commandline\nbenchmark://embedded-v0/qsort,abc,1,opt-14 input.bc -o output.bc\n');
    await expect(validateResults(badCsv)).rejects.toThrow(/row 1|line 2|reward/i);
    expect(() => pipelineOf('clang -O2 x.c', 14)).toThrow(/not a PassGym opt command line/);
    expect(() => pipelineOf("opt-13 -passes='gvn' input.bc -o output.bc", 14)).toThrow(/for opt-13, but this machine's LLVM is 14/);
    const cli = spawnSync(process.execPath, [CLI, 'leaderboard', 'validate', badCsv], { encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/passgym: .*reward/);
  });

  test('a run whose every row failed, an empty CSV and a file made with another LLVM fail clearly; the record is left alone', async () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    const failed = path.join(dir, 'failed', 'oz.csv');
    const run = cli('leaderboard', 'run', '--agent', 'oz', '--dataset', 'embedded-v0', '--benchmark', 'benchmark://embedded-v0/nope', '--step-budget', '1', '--out', failed, '--workers', '1');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/all 1 rows failed; the first: benchmark:\/\/embedded-v0\/nope/);
    expect(fs.existsSync(failed)).toBe(true); // the failed rows are kept

    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, 'benchmark,reward,walltime,commandline\n');
    const none = cli('leaderboard', 'validate', empty);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/has no rows to validate/);

    const out = path.join(dir, 'other-llvm', 'oz.csv');
    await runLeaderboard({ agent: 'oz', dataset: 'embedded-v0', benchmarks: [TWO[0]], stepBudget: 1, out, workers: 1 });
    const sidecar = out.replace(/\.csv$/, '.json');
    const results = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
    results.meta.llvm = { major: 13, version: '13.0.1' };
    fs.writeFileSync(sidecar, JSON.stringify(results));
    const before = fs.readFileSync(sidecar, 'utf8');
    const other = cli('leaderboard', 'validate', out);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/made with LLVM 13\.0\.1.*PASSGYM_LLVM=13 passgym leaderboard validate/);
    expect(fs.readFileSync(sidecar, 'utf8')).toBe(before);
  });
});
