import { compareResults, median } from '../../agents/leaderboard/compare';
import { RESULTS_FORMAT, type Results, type ResultRow } from '../../agents/leaderboard/results';
import { commandlineElements } from '../../env/actions/commandline';

const line = (passes: string[]) => (passes.length ? `opt-14 -passes='module(${passes.join(',invalidate<all>,')})' input.bc -o output.bc` : 'opt-14 input.bc -o output.bc');

function row(benchmark: string, n: number, passes: string[], error?: string): ResultRow {
  return {
    benchmark,
    run: 0,
    reward: error ? null : 0.5,
    walltime: 1,
    steps: 10,
    commandline: error ? '' : line(passes),
    irInstructionCount: error ? null : n,
    irInstructionCountO0: 100,
    irInstructionCountOz: 10,
    objectTextSizeBytes: null,
    objectTextSizeOz: null,
    stats: {},
    ...(error ? { error } : {}),
  };
}

function results(label: string, rows: ResultRow[]): Results {
  return {
    meta: {
      format: RESULTS_FORMAT, label, agent: label, agentOptions: {}, dataset: 'torture-v0', split: 'test', timeBudgetSeconds: null, stepBudget: 10, runs: 1, workers: 1,
      llvm: { major: 14, version: '14.0.6' }, actionSpace: { name: 'PassesAll', version: 'v' }, machine: { cpu: 'x', cores: 2, memoryGiB: 24, platform: 'linux' }, date: '2026-01-01', passgymVersion: '0',
    },
    rows,
  };
}

describe('leaderboard compare', () => {
  test('counts the benchmarks where A ends with fewer, more or as many instructions, over the rows both completed', () => {
    const a = results('a', [row('p1', 5, ['gvn']), row('p2', 20, ['gvn', 'dce', 'sroa']), row('p3', 10, []), row('p4', 10, ['gvn']), row('only-a', 1, ['gvn'])]);
    const b = results('b', [row('p1', 10, ['gvn', 'dce']), row('p2', 10, ['inline']), row('p3', 10, ['dce']), row('p4', 0, [], 'crashed')]);
    const c = compareResults(a, b);
    expect([c.common, c.fewer, c.more, c.equal]).toEqual([3, 1, 1, 1]);
    expect(c.geomeanA).toBeCloseTo(Math.cbrt((10 / 5) * (10 / 20) * (10 / 10)), 12);
    expect(c.geomeanB).toBeCloseTo(1, 12);
    expect(c.differing.map((r) => [r.benchmark, r.a, r.b, r.actionsA, r.actionsB])).toEqual([
      ['p1', 5, 10, 1, 2],
      ['p2', 20, 10, 3, 1],
    ]);
    expect([c.medianActionsA, c.medianActionsB]).toEqual([1, 1]);
  });

  test('files with no completed benchmark in common are refused, naming both', () => {
    expect(() => compareResults(results('a', [row('p1', 5, [])]), results('b', [row('p2', 5, [])]))).toThrow(/a and b have no completed benchmark in common/);
  });

  test('median of an even count is the mean of the middle two', () => {
    expect(median([3, 1, 4, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  test('command line elements: new-PM pipelines without separators, and CompilerGym legacy flags', () => {
    expect(commandlineElements(line(['gvn', 'loop-mssa(licm)', 'simple-loop-unswitch<nontrivial>']))).toEqual(['gvn', 'loop-mssa(licm)', 'simple-loop-unswitch<nontrivial>']);
    expect(commandlineElements('opt -gvn -O3 input.bc -o output.bc')).toEqual(['-gvn', 'default<O3>']);
    expect(() => commandlineElements('clang -O2 x.c')).toThrow(/not an opt command line/);
  });
});
