/**
 * `passgym leaderboard run|validate|report|compare`: score an agent on a dataset split, check a
 * results CSV with stock `opt`, generate LEADERBOARD.md from the results under `leaderboard/`, and
 * compare two results files program by program.
 */
import type { CommandModule, Argv } from 'yargs';
import { runLeaderboard } from '../../agents/leaderboard/harness';
import { validateResults } from '../../agents/leaderboard/validate';
import { writeReport } from '../../agents/leaderboard/report';
import { compareResults, median } from '../../agents/leaderboard/compare';
import fs from 'node:fs';
import path from 'node:path';
import { assertSomeRowSucceeded, readResults, sidecarPath } from '../../agents/leaderboard/results';
import { PassGymError } from '../../env/errors';
import type { Results, ResultRow, ResultsSummary } from '../../agents/leaderboard/results';
import { findLlvm } from '../../env/llvm/library';
import { parseAgentOptions } from '../../agents/registry';
import { remoteSource } from '../../agents/context';
import type { Split } from '../../env/datasets/splits';

/** One line of the per-benchmark table. */
export function formatRow(r: ResultRow): string {
  const name = r.benchmark.replace(/^benchmark:\/\//, '').padEnd(34);
  if (r.error) return `${name} FAILED  ${r.error.slice(0, 160)}`;
  const ratio = r.irInstructionCountOz! / r.irInstructionCount!;
  const text = r.objectTextSizeOz && r.objectTextSizeBytes ? (r.objectTextSizeOz / r.objectTextSizeBytes).toFixed(3) : '  n/a';
  return `${name} ${String(r.irInstructionCountOz).padStart(7)} ${String(r.irInstructionCount).padStart(7)}  ${ratio.toFixed(3)}x  ${text}x  ${r.reward!.toFixed(3).padStart(7)}  ${r.walltime.toFixed(1).padStart(6)} s  ${String(r.steps).padStart(7)}`;
}

/** Header of the per-benchmark table. */
export const TABLE_HEADER = `${'benchmark'.padEnd(34)} ${'IR -Oz'.padStart(7)} ${'IR'.padStart(7)}  vs -Oz  .text    reward  walltime    steps`;

/** The summary lines printed after the table. */
export function formatSummary(s: ResultsSummary): string {
  const g = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(3)}x`);
  return [
    `geomean IR instruction count reduction vs -Oz: ${g(s.geomeanIrVsOz)} over ${s.rows - s.failed} rows${s.failed ? ` (${s.failed} failed)` : ''}`,
    `geomean .text size reduction vs -Oz: ${g(s.geomeanTextVsOz)}`,
    `mean IR count reduction vs -Oz per program: ${s.meanReductionVsOzPercent === null ? 'n/a' : `${s.meanReductionVsOzPercent.toFixed(2)}%`}`,
    `mean walltime ${s.meanWalltime.toFixed(1)} s, mean compilations ${Math.round(s.meanSteps)}, mean passes ${Math.round(s.meanPasses)}`,
  ].join('\n');
}

interface RunArgs {
  agent: string;
  'agent-options'?: string;
  dataset: string;
  split?: string;
  benchmark?: string[];
  'time-budget'?: number;
  'step-budget'?: number;
  runs: number;
  out: string;
  label?: string;
  workers?: number;
  endpoint?: string[];
  'endpoint-workers': number;
  resume: boolean;
  force: boolean;
}

const run: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: "Run an agent on every benchmark of a dataset's split and write a state CSV",
  builder: (y: Argv) =>
    y
      .option('agent', { type: 'string', demandOption: true, describe: 'agent name (random, greedy, beam, oz, o3, ...) or python:FILE' })
      .option('agent-options', { type: 'string', describe: 'key=value,... or a JSON object' })
      .option('dataset', { type: 'string', demandOption: true, describe: 'dataset to score on (passgym datasets list)' })
      .option('split', { type: 'string', choices: ['train', 'validation', 'test'], describe: 'split of the dataset (default: test, or validation for embedded-v0, which has no test split; passgym datasets list shows each)' })
      .option('benchmark', { type: 'string', array: true, describe: 'run these URIs instead of the split' })
      .option('time-budget', { type: 'number', describe: 'seconds per benchmark' })
      .option('step-budget', { type: 'number', describe: 'compilations per benchmark' })
      .option('runs', { type: 'number', default: 1, describe: 'runs per benchmark (different seeds)' })
      .option('out', { type: 'string', demandOption: true, describe: 'results CSV (a .json sidecar is written beside it)' })
      .option('label', { type: 'string', describe: 'row label in LEADERBOARD.md' })
      .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
      .option('endpoint', { type: 'string', array: true, describe: 'use passgym serve servers instead of local workers' })
      .option('endpoint-workers', { type: 'number', default: 1, describe: 'workers of each server (parallel evaluations per endpoint)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the results file at --out: keep its completed rows, run the rest' })
      .option('force', { type: 'boolean', default: false, describe: 'replace the results file at --out (without it or --resume the run refuses)' }) as never,
  handler: async (a) => {
    // Ctrl-C: the rows done are already in --out (written after each one); say how to go on.
    process.once('SIGINT', () => {
      console.error(`\npassgym: interrupted; the rows done are in ${a.out}: rerun with --resume to continue`);
      process.exit(130);
    });
    const { results, summary } = await runLeaderboard({
      agent: a.agent,
      agentOptions: parseAgentOptions(a['agent-options']),
      dataset: a.dataset,
      split: a.split as Split,
      benchmarks: a.benchmark,
      timeBudgetSeconds: a['time-budget'],
      stepBudget: a['step-budget'],
      runs: a.runs,
      out: a.out,
      label: a.label,
      workers: a.workers,
      source: a.endpoint?.length ? remoteSource(a.endpoint, a['endpoint-workers']) : undefined,
      resume: a.resume,
      force: a.force,
      // The header with the first row: a run refused up front prints only its error.
      onRow: (r, index) => console.log(`${index === 0 ? `${TABLE_HEADER}\n` : ''}${formatRow(r)}`),
    });
    console.log(`\n${formatSummary(summary)}\nresults: ${a.out}`);
    assertSomeRowSucceeded(results.rows, `leaderboard run of ${a.agent} on ${a.dataset}`);
  },
};

/** Stores the validation outcome in the results' JSON sidecar, when there is one. */
function recordValidation(csv: string, validation: NonNullable<Results['validation']>): void {
  if (!fs.existsSync(sidecarPath(csv))) return;
  const results = readResults(csv);
  results.validation = validation;
  fs.writeFileSync(sidecarPath(csv), JSON.stringify(results, null, 1) + '\n');
}

const validate: CommandModule<object, { file: string; semantics: boolean }> = {
  command: 'validate <file>',
  describe: "Replay every row of a results CSV with the stock opt of the same LLVM version and check its reward (and the program's output)",
  builder: (y: Argv) => y.positional('file', { type: 'string', demandOption: true }).option('semantics', { type: 'boolean', default: true, describe: 'run runnable benchmarks' }) as never,
  handler: async (a) => {
    // A file made with another LLVM cannot validate here; say so once, and leave its record alone.
    const llvm = findLlvm();
    const made = fs.existsSync(sidecarPath(a.file)) ? readResults(a.file).meta.llvm : null;
    if (made && made.major !== llvm.major) {
      throw new PassGymError(
        'LLVM_MISMATCH',
        `${a.file} was made with LLVM ${made.version}, and this is LLVM ${llvm.version}: validate it with that version's opt (PASSGYM_LLVM=${made.major} passgym leaderboard validate ${a.file})`,
      );
    }
    const verdicts = await validateResults(a.file, {
      semantics: a.semantics,
      onRow: (v) => console.log(`${v.ok ? 'ok  ' : 'FAIL'} row ${v.row} ${v.benchmark}${v.ok ? ` reward ${v.recomputed?.toFixed(6)} semantics ${v.semantics}` : `: ${v.error}`}`),
    });
    if (verdicts.length === 0) throw new PassGymError('NO_ROWS', `${a.file} has no rows to validate`);
    const bad = verdicts.filter((v) => !v.ok).length;
    recordValidation(a.file, { date: new Date().toISOString(), opt: path.basename(findLlvm().tools.opt), ok: bad === 0, rows: verdicts.length, failed: bad });
    console.log(bad ? `\n${bad} of ${verdicts.length} rows failed validation` : `\nall ${verdicts.length} rows validate`);
    if (bad) process.exitCode = 1;
  },
};

const report: CommandModule<object, { dir: string; out: string }> = {
  command: 'report',
  describe: 'Generate LEADERBOARD.md and one SVG chart per dataset from the results under leaderboard/',
  builder: (y: Argv) =>
    y.option('dir', { type: 'string', default: 'leaderboard', describe: 'folder of results files (searched recursively)' }).option('out', { type: 'string', default: 'LEADERBOARD.md' }) as never,
  handler: async (a) => {
    const written = await writeReport(a.dir, a.out);
    for (const f of written) console.log(`wrote ${f}`);
  },
};

const compare: CommandModule<object, { a: string; b: string; list: boolean }> = {
  command: 'compare <a> <b>',
  describe: 'Compare two results CSVs program by program: where A ends with fewer IR instructions than B, and the lengths of their sequences',
  builder: (y: Argv) =>
    y
      .positional('a', { type: 'string', demandOption: true })
      .positional('b', { type: 'string', demandOption: true })
      .option('list', { type: 'boolean', default: false, describe: 'print every benchmark on which they differ' }) as never,
  handler: (args) => {
    const a = readResults(args.a);
    const b = readResults(args.b);
    const c = compareResults(a, b);
    const aBetter = c.differing.filter((r) => r.a < r.b);
    const bBetter = c.differing.filter((r) => r.a > r.b);
    console.log(`A: ${a.meta.label} (${args.a})\nB: ${b.meta.label} (${args.b})`);
    console.log(`${c.common} benchmarks in both: geomean IR count vs -Oz A ${c.geomeanA.toFixed(3)}x, B ${c.geomeanB.toFixed(3)}x`);
    console.log(`A ends with fewer IR instructions on ${c.fewer}, more on ${c.more}, as many on ${c.equal}`);
    console.log(`median actions in the final state: A ${c.medianActionsA}, B ${c.medianActionsB}`);
    if (aBetter.length) console.log(`  where A has fewer instructions: A ${median(aBetter.map((r) => r.actionsA))}, B ${median(aBetter.map((r) => r.actionsB))}`);
    if (bBetter.length) console.log(`  where B has fewer instructions: A ${median(bBetter.map((r) => r.actionsA))}, B ${median(bBetter.map((r) => r.actionsB))}`);
    if (args.list) {
      console.log(`\n${'benchmark'.padEnd(34)}     -O0     -Oz       A       B  actions A  actions B`);
      for (const r of c.differing) {
        const cells = [r.irInstructionCountO0, r.irInstructionCountOz, r.a, r.b].map((v) => String(v).padStart(7)).join(' ');
        console.log(`${r.benchmark.replace(/^benchmark:\/\//, '').padEnd(34)} ${cells}  ${String(r.actionsA).padStart(9)}  ${String(r.actionsB).padStart(9)}`);
      }
    }
  },
};

export const leaderboardCommand: CommandModule = {
  command: 'leaderboard',
  describe: 'Score agents on dataset splits, validate results, generate LEADERBOARD.md',
  builder: (y: Argv) => y.command(run as never).command(validate as never).command(report as never).command(compare as never).demandCommand(1, 'name a leaderboard command: run, validate, report or compare') as never,
  handler: () => undefined,
};
