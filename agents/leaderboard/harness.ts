/**
 * The leaderboard harness (`passgym leaderboard run`): runs one agent on every benchmark of a
 * dataset split, one benchmark at a time, as CompilerGym's llvm-ic-v0 leaderboard does
 * (reward IrInstructionCountOz, wall time per benchmark). The agent's returned actions are
 * replayed in a fresh environment to get the recorded reward, command line and sizes, so a
 * result never rests on the agent's own bookkeeping; for runnable benchmarks the result is also
 * built and run, and a sequence that changes the program's output is a failed row. A benchmark on which the agent throws is
 * recorded as failed with its error, and the run goes on.
 */
import fs from 'node:fs';
import { findLlvm } from '../../env/llvm/library';
import { actionSpaceFor, make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { DATASET_RECIPES, GENERATOR_RECIPES } from '../../env/datasets/registry';
import { installDataset, loadManifest } from '../../env/datasets/install';
import { evaluationSplit, Split, SPLITS } from '../../env/datasets/splits';
import { splitUris } from '../../env/datasets/split-uris';
import type { Agent, AgentOptions, Budget } from '../agent';
import { agentContext, EnvSource, localSource } from '../context';
import { createAgent } from '../registry';
import { machineInfo, readResults, RESULTS_FORMAT, ResultRow, Results, ResultsMeta, sidecarPath, summarise, ResultsSummary, writeResults } from './results';
import { pythonAgent } from './python-agent';

/** Options of `runLeaderboard`. */
export interface LeaderboardOptions {
  /** Registered agent name, or `python:FILE`. */
  agent: string;
  agentOptions?: AgentOptions;
  /** Dataset whose split is run, e.g. `apps-v0`. */
  dataset: string;
  /** Default: {@link evaluationSplit} of the dataset (`test`, or `validation` for embedded-v0). */
  split?: Split;
  /** Run these benchmark URIs instead of the whole split (e.g. a quick demo). */
  benchmarks?: string[];
  /** Per-benchmark budgets; at least one is required. */
  timeBudgetSeconds?: number;
  stepBudget?: number;
  /** Runs per benchmark (seeds 0..runs-1), default 1. */
  runs?: number;
  /** Results CSV path; the JSON sidecar goes beside it. */
  out: string;
  /** Row label (default: agent name and budget). */
  label?: string;
  /** Local worker processes (default one per core); ignored with `source`. */
  workers?: number;
  /**
   * Continue the results file at `out` when it exists: its completed rows are kept and only the
   * missing or failed benchmark × runs are run (as CompilerGym's leaderboard `--resume`); rows of
   * benchmarks outside this run's list are left out of the rewritten file.
   * The file must describe the same run (agent, options, dataset, split, budgets, runs, LLVM and
   * action space versions), else the run refuses to start.
   */
  resume?: boolean;
  /** Replace an existing results file at `out` (without it and without `resume`, the run refuses to start). */
  force?: boolean;
  /** Where agents' environments come from (default: a local pool). */
  source?: EnvSource;
  /** Called after each benchmark × run. */
  onRow?: (row: ResultRow, index: number, total: number) => void;
  /** Agent progress lines. */
  log?: (message: string) => void;
}

/**
 * Benchmark URIs of a dataset's split, installing the dataset first when it is not installed.
 * @throws UnknownBenchmarkError when the dataset has no such split (naming the splits it has);
 *   Error for an unknown dataset or a generator.
 */
export async function splitBenchmarks(dataset: string, split: Split): Promise<string[]> {
  if (!SPLITS.includes(split)) throw new Error(`unknown split "${split}" (train, validation, test)`);
  if (GENERATOR_RECIPES.has(dataset)) {
    throw new Error(`${dataset} is a generator (every seed is in its train split); it has no ${split} split to run a leaderboard on`);
  }
  const recipe = DATASET_RECIPES.get(dataset);
  if (recipe && !loadManifest(dataset)) await installDataset(recipe);
  return splitUris(dataset, split);
}

/** Default label: `random (t=10)`, `greedy`, `beam (width=8, t=60)`. */
export function defaultLabel(agent: string, options: AgentOptions, budget: Budget): string {
  if (/^o[0-3sz]$/.test(agent)) return `-O${agent.slice(1)}`; // the reference pipelines take no budget
  const parts = Object.entries(options).map(([k, v]) => `${k}=${v}`);
  if (budget.seconds !== undefined) parts.push(`t=${budget.seconds}`);
  if (budget.steps !== undefined) parts.push(`steps=${budget.steps}`);
  return parts.length ? `${agent} (${parts.join(', ')})` : agent;
}

/**
 * Runs the leaderboard and writes the results files.
 * @returns the results and their summary.
 * @throws Error for an unknown agent, a bad option, a missing budget, a dataset without the split,
 *   an existing results file at `out` without `resume` or `force`, or (with `resume`) a results
 *   file from a different run (before anything runs).
 */
export async function runLeaderboard(options: LeaderboardOptions): Promise<{ results: Results; summary: ResultsSummary }> {
  // Never overwrite results by default: they may be committed, or a partial run to resume.
  if (!options.resume && !options.force && (fs.existsSync(options.out) || fs.existsSync(sidecarPath(options.out)))) {
    throw new Error(`${options.out} exists: pass --resume to continue it, or --force to replace it`);
  }
  const budget: Budget = { seconds: options.timeBudgetSeconds, steps: options.stepBudget };
  if (budget.seconds === undefined && budget.steps === undefined) throw new Error('give a per-benchmark budget: --time-budget S and/or --step-budget N');
  for (const [k, v] of Object.entries(budget)) if (v !== undefined && !(v > 0)) throw new Error(`budget ${k} must be > 0, got ${v}`);
  const runs = options.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${runs}`);
  const split = options.split ?? evaluationSplit(options.dataset) ?? 'test';
  const agentOptions = options.agentOptions ?? {};
  const agent: Agent = options.agent.startsWith('python:') ? pythonAgent(options.agent.slice(7), agentOptions) : await createAgent(options.agent, agentOptions);
  const benchmarks = options.benchmarks ?? (await splitBenchmarks(options.dataset, split));
  const source = options.source ?? localSource({ workers: options.workers });
  // Replays run in the agent's local pool when there is one (its workers have the benchmark's
  // -O0/-Oz baselines cached), else in a pool of their own.
  const replayPool = source.pool ?? new WorkerPool({ maxWorkers: 1 });
  const llvm = findLlvm();
  const actionSpace = await actionSpaceFor(replayPool, agent.actionSpace ?? 'PassesAll');
  const results: Results = {
    meta: {
      format: RESULTS_FORMAT,
      label: options.label ?? defaultLabel(agent.name, agentOptions, budget),
      agent: options.agent,
      agentOptions,
      dataset: options.dataset,
      split: options.benchmarks ? 'custom' : split,
      timeBudgetSeconds: budget.seconds ?? null,
      stepBudget: budget.steps ?? null,
      runs,
      workers: source.parallelism,
      llvm: { major: llvm.major, version: llvm.version },
      actionSpace: { name: actionSpace.name, version: actionSpace.version },
      machine: machineInfo(),
      date: new Date().toISOString(),
      passgymVersion: require('../../../package.json').version as string,
    },
    rows: [],
  };
  const total = benchmarks.length * runs;
  try {
    const done = new Map<string, ResultRow>();
    if (options.resume && fs.existsSync(sidecarPath(options.out))) {
      const previous = readResults(options.out);
      checkResumable(previous.meta, results.meta, options.out);
      for (const row of previous.rows) if (!row.error) done.set(`${row.benchmark}#${row.run}`, row);
      results.meta = { ...previous.meta, label: options.label ?? previous.meta.label, workers: results.meta.workers, resumed: [...(previous.meta.resumed ?? []), results.meta.date] };
    }
    for (const benchmark of benchmarks) {
      for (let run = 0; run < runs; run++) {
        const kept = done.get(`${benchmark}#${run}`);
        const row = kept ?? (await runAgentOnBenchmark(agent, source, replayPool, benchmark, run, budget, options.log));
        results.rows.push(row);
        writeResults(options.out, results);
        options.onRow?.(row, results.rows.length - 1, total);
      }
    }
  } finally {
    await agent.close?.();
    if (replayPool !== source.pool) replayPool.close();
    if (!options.source) source.close();
  }
  return { results, summary: summarise(results.rows) };
}

/**
 * Checks that a results file can be continued by a run described by `next`.
 * @throws Error naming the first field that differs.
 */
export function checkResumable(previous: ResultsMeta, next: ResultsMeta, file: string): void {
  const fields: Array<[string, unknown, unknown]> = [
    ['agent', previous.agent, next.agent],
    ['agent options', previous.agentOptions, next.agentOptions],
    ['dataset', previous.dataset, next.dataset],
    ['split', previous.split, next.split],
    ['time budget', previous.timeBudgetSeconds, next.timeBudgetSeconds],
    ['step budget', previous.stepBudget, next.stepBudget],
    ['runs', previous.runs, next.runs],
    ['LLVM version', previous.llvm.version, next.llvm.version],
    ['action space', previous.actionSpace.version, next.actionSpace.version],
  ];
  for (const [name, a, b] of fields) {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`cannot resume ${file}: its ${name} is ${JSON.stringify(a)}, this run's is ${JSON.stringify(b)}`);
  }
}

/**
 * Runs `agent` on one benchmark (seed = `run`) and replays its actions in `replayPool` to score
 * them. Never throws for agent or replay failures: they are recorded in `row.error`.
 */
export async function runAgentOnBenchmark(agent: Agent, source: EnvSource, replayPool: WorkerPool, benchmark: string, run: number, budget: Budget, log?: (m: string) => void): Promise<ResultRow> {
  const row: ResultRow = {
    benchmark,
    run,
    reward: null,
    walltime: 0,
    steps: 0,
    commandline: '',
    irInstructionCount: null,
    irInstructionCountO0: null,
    irInstructionCountOz: null,
    objectTextSizeBytes: null,
    objectTextSizeOz: null,
    stats: {},
  };
  const t0 = performance.now();
  let actions: number[];
  try {
    const context = agentContext(source, { benchmark, budget, seed: run, actionSpace: agent.actionSpace, log });
    const result = await agent.run(context);
    row.walltime = (performance.now() - t0) / 1000;
    row.steps = result.steps;
    row.passes = result.passes ?? result.steps;
    row.stats = result.stats ?? {};
    actions = result.actions;
  } catch (e) {
    row.walltime = (performance.now() - t0) / 1000;
    row.error = `agent failed: ${(e as Error).message}`;
    return row;
  }
  const env = await make('llvm-ic-v0', { pool: replayPool, actionSpace: agent.actionSpace ?? 'PassesAll', benchmark });
  try {
    await env.reset();
    if (actions.length) {
      const r = await env.multistep(actions);
      if (r.info.error_type) throw new Error(`${r.info.error_type}: ${r.info.error_details ?? ''}`);
    }
    row.reward = env.episodeReward;
    row.commandline = env.commandline();
    const obs = async (space: string) => Number(await env.observe(space));
    row.irInstructionCount = await obs('IrInstructionCount');
    row.irInstructionCountO0 = await obs('IrInstructionCountO0');
    row.irInstructionCountOz = await obs('IrInstructionCountOz');
    row.objectTextSizeBytes = await obs('ObjectTextSizeBytes');
    row.objectTextSizeOz = await obs('ObjectTextSizeOz');
    row.semantics = 'skipped';
    if (await env.observe('IsRunnable')) {
      // A result that changes the program's output is not a result: the row fails.
      const v = await env.checkSemantics();
      row.semantics = v.ok ? 'ok' : `${v.errorType}: ${v.errorDetails}`;
      if (!v.ok) row.error = `the agent's sequence fails validation: ${row.semantics}`;
    }
  } catch (e) {
    row.error = `replaying the agent's ${actions.length} actions failed: ${(e as Error).message}`;
  } finally {
    await env.close();
  }
  return row;
}
