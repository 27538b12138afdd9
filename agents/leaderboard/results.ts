/**
 * Leaderboard results files. A run writes two files side by side:
 *
 * - `NAME.csv`: CompilerGym's state CSV (`benchmark,reward,walltime,commandline`, see
 *   `env/state.ts`), one row per benchmark and run that completed. This is what
 *   `passgym leaderboard validate` replays and what CompilerGym users read.
 * - `NAME.json`: the run's description (agent, options, dataset, split, budget, LLVM version,
 *   action space version, machine, date) and one record per benchmark and run with the figures
 *   the CSV has no column for (instruction counts, .text sizes, compilations, the agent's stats),
 *   including failed benchmarks with their error.
 *
 * The score is CompilerGym's llvm-ic-v0 leaderboard figure: the geometric mean over rows of the
 * IR instruction count reduction vs -Oz, `n_Oz / n_agent` (> 1: smaller than -Oz).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassGymError } from '../../env/errors';
import { parseStatesCsv, statesToCsv } from '../../env/state';

/** Format tag of the JSON file. */
export const RESULTS_FORMAT = 'passgym-leaderboard-v1';

/** One benchmark × run. */
export interface ResultRow {
  benchmark: string;
  /** Run index 0..runs-1 (the agent's seed is derived from it). */
  run: number;
  /** Episode reward (IrInstructionCountOz) of the replayed actions; null when failed. */
  reward: number | null;
  /** Agent wall time on the benchmark, seconds. */
  walltime: number;
  /** Compilations the agent spent (pass pipelines of any length applied and measured). */
  steps: number;
  /** Passes those compilations ran (absent in older files: then equal to `steps`). */
  passes?: number;
  /** `opt -passes='…'` line of the final state ('' when failed). */
  commandline: string;
  /** IR instruction counts of the final state, of the benchmark at -O0 and after -Oz. */
  irInstructionCount: number | null;
  irInstructionCountO0: number | null;
  irInstructionCountOz: number | null;
  /** .text bytes of the final state's object file, and of -Oz's. */
  objectTextSizeBytes: number | null;
  objectTextSizeOz: number | null;
  /** Semantic validation of the final state at run time: `ok`, `skipped` (not runnable) or the failure. */
  semantics?: string;
  /** The agent's own figures (cache hit rate, LLM calls, ...). */
  stats: Record<string, number | string>;
  /** Why the benchmark failed (the agent threw, or the replay failed). */
  error?: string;
}

/** Where and how a results file was made. */
export interface ResultsMeta {
  format: typeof RESULTS_FORMAT;
  /** Row label in LEADERBOARD.md, e.g. `random (t=10)`. */
  label: string;
  agent: string;
  agentOptions: Record<string, string | number | boolean>;
  dataset: string;
  split: string;
  /** Per-benchmark budgets. */
  timeBudgetSeconds: number | null;
  stepBudget: number | null;
  runs: number;
  workers: number;
  llvm: { major: number; version: string };
  actionSpace: { name: string; version: string };
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string };
  /** ISO 8601 start time. */
  date: string;
  /** Start times of the runs that continued this file (`--resume`), if any. */
  resumed?: string[];
  passgymVersion: string;
}

/** A whole results file. */
export interface Results {
  meta: ResultsMeta;
  rows: ResultRow[];
  /** Set by `passgym leaderboard validate`: the outcome of the last validation of the CSV. */
  validation?: { date: string; opt: string; ok: boolean; rows: number; failed: number };
}

/** Summary figures of a results file. */
export interface ResultsSummary {
  rows: number;
  failed: number;
  /** Geomean of n_Oz / n over completed rows (null when none completed). */
  geomeanIrVsOz: number | null;
  /** Geomean of text_Oz / text over completed rows with sizes. */
  geomeanTextVsOz: number | null;
  /** Mean agent wall time per row, seconds. */
  meanWalltime: number;
  /** Mean compilations per row. */
  meanSteps: number;
  /** Mean passes run per program (`passes`, else `steps`). */
  meanPasses: number;
  /**
   * Mean over programs of the percentage reduction of the IR instruction count against -Oz,
   * `100 (n_Oz - n) / n_Oz` (how Compiler-R1 and GRACE report; positive is smaller than -Oz).
   */
  meanReductionVsOzPercent: number | null;
}

/**
 * Throws when every row of a run failed: a run with no result is a failure, not a result.
 * @throws PassGymError (ALL_ROWS_FAILED) naming the first row's error.
 */
export function assertSomeRowSucceeded(rows: readonly ResultRow[], what: string): void {
  if (rows.length > 0 && rows.every((r) => r.error)) {
    throw new PassGymError('ALL_ROWS_FAILED', `${what}: all ${rows.length} rows failed; the first: ${rows[0].benchmark}: ${rows[0].error}`);
  }
}

/** This machine, for `ResultsMeta.machine`. */
export function machineInfo(): ResultsMeta['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Geometric mean of the finite positive `values` (null when there are none). */
export function geomean(values: readonly number[]): number | null {
  const ok = values.filter((v) => Number.isFinite(v) && v > 0);
  if (ok.length === 0) return null;
  return Math.exp(ok.reduce((s, v) => s + Math.log(v), 0) / ok.length);
}

/** Summary of rows (see `ResultsSummary`). */
export function summarise(rows: readonly ResultRow[]): ResultsSummary {
  const done = rows.filter((r) => !r.error);
  return {
    rows: rows.length,
    failed: rows.length - done.length,
    geomeanIrVsOz: geomean(done.filter((r) => r.irInstructionCount && r.irInstructionCountOz).map((r) => r.irInstructionCountOz! / r.irInstructionCount!)),
    geomeanTextVsOz: geomean(done.filter((r) => r.objectTextSizeBytes && r.objectTextSizeOz).map((r) => r.objectTextSizeOz! / r.objectTextSizeBytes!)),
    meanWalltime: rows.length ? rows.reduce((s, r) => s + r.walltime, 0) / rows.length : 0,
    meanSteps: rows.length ? rows.reduce((s, r) => s + r.steps, 0) / rows.length : 0,
    meanPasses: rows.length ? rows.reduce((s, r) => s + (r.passes ?? r.steps), 0) / rows.length : 0,
    meanReductionVsOzPercent: meanReduction(done),
  };
}

/** Mean of `100 (n_Oz - n) / n_Oz` over the rows that have both counts (null when none). */
function meanReduction(rows: readonly ResultRow[]): number | null {
  const ok = rows.filter((r) => r.irInstructionCount !== null && r.irInstructionCountOz);
  if (ok.length === 0) return null;
  return ok.reduce((s, r) => s + (100 * (r.irInstructionCountOz! - r.irInstructionCount!)) / r.irInstructionCountOz!, 0) / ok.length;
}

/** The JSON path beside a results CSV (`x.csv` -> `x.json`). */
export function sidecarPath(csvPath: string): string {
  return csvPath.replace(/\.csv$/i, '') + '.json';
}

/** Writes `csvPath` and its JSON sidecar (creating the folder). */
export function writeResults(csvPath: string, results: Results): void {
  fs.mkdirSync(path.dirname(path.resolve(csvPath)), { recursive: true });
  const states = results.rows.filter((r) => !r.error).map((r) => ({ benchmark: r.benchmark, reward: r.reward, walltime: r.walltime, commandline: r.commandline }));
  fs.writeFileSync(csvPath, statesToCsv(states));
  fs.writeFileSync(sidecarPath(csvPath), JSON.stringify(results, null, 1) + '\n');
}

/**
 * Reads a results JSON sidecar.
 * @throws Error naming the file when it is missing, not JSON, or not a PassGym results file.
 */
export function readResults(csvPath: string): Results {
  const file = sidecarPath(csvPath);
  let data: Results;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
  } catch (e) {
    throw new Error(`cannot read results file ${file}: ${(e as Error).message}`);
  }
  if (data?.meta?.format !== RESULTS_FORMAT || !Array.isArray(data.rows)) throw new Error(`${file} is not a PassGym results file (format ${RESULTS_FORMAT})`);
  return data;
}

/**
 * Reads the states of a results CSV (CompilerGym's format).
 * @throws StateFormatError naming the bad row; Error when the file cannot be read.
 */
export function readStates(csvPath: string) {
  let text: string;
  try {
    text = fs.readFileSync(csvPath, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${csvPath}: ${(e as Error).message}`);
  }
  return parseStatesCsv(text);
}
