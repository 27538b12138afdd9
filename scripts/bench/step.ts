/**
 * `passgym bench step`: one seeded random sequence of safe actions (deterministic, not known to
 * miscompile: `ActionSpace.safeIndices`) on a fixed set of benchmarks, timed three ways in one
 * run, as medians over all steps:
 *
 * - raw: `LLVMRunPasses` of each action on the module, in a process of its own with no
 *   environment (`raw-steps.ts`);
 * - env: `env.step()` with the IrInstructionCount reward (worker round trip, passes, reward);
 * - opt: stock `opt -passes='module(X)'` spawned per step on the state's bitcode.
 *
 * `ratio_env_to_raw` is env / raw, `ratio_opt_to_env` opt / env. With `loaded`, the same is
 * measured again with one CPU-bound co-runner per core (`co-runners.ts`; `coRunnersPerCore`
 * changes how many), as when a training run's other environments keep the cores busy. A pass that crashes LLVM on a benchmark (in the raw
 * phase, the env or opt) ends that benchmark's sequence at the crash, which the result reports;
 * the bench itself never crashes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, fork } from 'node:child_process';
import { promisify } from 'node:util';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { findLlvm } from '../../env/llvm/library';
import { resolveBenchmark } from '../../env/benchmarks';
import { makeRng } from '../../env/spaces';
import { PassGymError } from '../../env/errors';
import { startCoRunners } from './co-runners';
import type { RawStepsRequest } from './raw-steps';

/** The benchmarks of the step benchmark: real programs of several sizes. */
export const STEP_BENCHMARKS = [
  'benchmark://embedded-v0/qsort',
  'benchmark://embedded-v0/dijkstra',
  'benchmark://embedded-v0/sha256',
  'benchmark://embedded-v0/matmul',
];

/** Options of `benchStep`. */
export interface StepBenchOptions {
  steps: number;
  seed: number;
  benchmarks: string[];
  /** Also measure with CPU-bound co-runners, `coRunnersPerCore` per core (default 1). */
  loaded: boolean;
  coRunnersPerCore?: number;
}

/** One benchmark's medians, in ms, and where a crash ended its sequence. */
export interface BenchmarkTimes {
  benchmark: string;
  steps: number;
  raw_ms: number;
  env_ms: number;
  opt_ms: number;
  /** `phase: action at step K: what happened`, when a pass crashed LLVM. */
  crash?: string;
}

/** The figures of one condition (quiet or loaded). */
export interface StepTimes {
  benchmarks: BenchmarkTimes[];
  median_raw_ms: number;
  median_env_step_ms: number;
  median_opt_spawn_ms: number;
  ratio_env_to_raw: number;
  ratio_opt_to_env: number;
  env_steps_per_second: number;
}

/** What `passgym bench step --json` prints. */
export interface StepBenchResult extends StepTimes {
  llvm: string;
  steps: number;
  seed: number;
  /** The same with one co-runner per core (`--loaded`). */
  loaded?: StepTimes & { co_runners: number };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Runs the raw phase in a child process; a crash ends the sequence at the first state not written. */
function rawPhase(req: RawStepsRequest): Promise<{ rawMs: number[]; crash?: string }> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'raw-steps.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let reply: { rawMs: number[] } | null = null;
    child.on('message', (m: { rawMs: number[] }) => (reply = m));
    child.on('error', (e) => resolve({ rawMs: [], crash: `raw: the raw-phase process failed: ${e.message} at step 0` }));
    child.on('exit', (code, signal) => {
      if (reply) return resolve(reply);
      const reached = fs.readdirSync(req.dir).filter((f) => /^state-\d+\.bc$/.test(f)).length;
      const k = Math.max(0, reached - 1);
      const why = stderr.trim().split('\n').find((l) => /error|Assertion|LLVM ERROR/i.test(l)) ?? (signal ?? `exit code ${code}`);
      resolve({ rawMs: [], crash: `raw: ${req.actions[k]} at step ${k}: ${why}` });
    });
    child.send(req);
  });
}

async function measure(options: StepBenchOptions, sequence: number[]): Promise<StepTimes> {
  const pool = new WorkerPool({ maxWorkers: 1 });
  const env = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' }).catch((e) => {
    pool.close();
    throw e;
  });
  const names = sequence.map((k) => env.actionSpace.names[k]);
  const opt = findLlvm().tools.opt;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-bench-'));
  const all = { raw: [] as number[], env: [] as number[], opt: [] as number[] };
  const perBenchmark: BenchmarkTimes[] = [];
  try {
    for (const uri of options.benchmarks) {
      const ref = await resolveBenchmark(uri);
      const dir = fs.mkdtempSync(path.join(tmp, 'states-'));
      // A crash in any phase leaves the benchmark out, and the later phases are not run.
      const { rawMs: raw, crash: rawCrash } = await rawPhase({ uri, file: ref.path, actions: names, dir });
      let crash = rawCrash;
      const e: number[] = [];
      if (!crash) {
        await env.reset({ benchmark: uri });
        for (const a of sequence) {
          const t0 = process.hrtime.bigint();
          const r = await env.step(a);
          e.push(ms(t0));
          if (r.info.error_type) {
            crash = `env: ${env.actionSpace.names[a]}: ${r.info.error_type}: ${r.info.error_details}`;
            break;
          }
        }
      }
      const o: number[] = [];
      for (let k = 0; !crash && k < names.length; k++) {
        const t0 = process.hrtime.bigint();
        try {
          await promisify(execFile)(opt, [`-passes=module(${names[k]})`, path.join(dir, `state-${k}.bc`), '-o', path.join(dir, 'out.bc')]);
        } catch (err) {
          crash = `opt: ${names[k]} at step ${k}: ${String((err as Error).message).split('\n')[0]}`;
        }
        o.push(ms(t0));
      }
      if (crash) {
        perBenchmark.push({ benchmark: uri, steps: 0, raw_ms: NaN, env_ms: NaN, opt_ms: NaN, crash });
        continue;
      }
      all.raw.push(...raw);
      all.env.push(...e);
      all.opt.push(...o);
      perBenchmark.push({ benchmark: uri, steps: names.length, raw_ms: median(raw), env_ms: median(e), opt_ms: median(o) });
    }
  } finally {
    await env.close();
    pool.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return {
    benchmarks: perBenchmark,
    median_raw_ms: median(all.raw),
    median_env_step_ms: median(all.env),
    median_opt_spawn_ms: median(all.opt),
    ratio_env_to_raw: median(all.env) / median(all.raw),
    ratio_opt_to_env: median(all.opt) / median(all.env),
    env_steps_per_second: 1000 / median(all.env),
  };
}

/**
 * Runs the step benchmark (quiet, then loaded when asked).
 * @throws PassGymError when no benchmark finished without a crash (there would be no figure).
 */
export async function benchStep(options: StepBenchOptions): Promise<StepBenchResult> {
  if (options.loaded && !((options.coRunnersPerCore ?? 1) > 0)) {
    throw new PassGymError('BAD_ARGUMENT', `--co-runners-per-core must be a positive number, not ${options.coRunnersPerCore}`);
  }
  const probePool = new WorkerPool({ maxWorkers: 1 });
  let safe: number[];
  try {
    const probe = await make('llvm-v0', { pool: probePool });
    safe = probe.actionSpace.safeIndices();
    await probe.close();
  } finally {
    probePool.close();
  }
  const rng = makeRng(options.seed);
  const sequence = Array.from({ length: options.steps }, () => safe[Math.floor(rng() * safe.length)]);
  const quiet = await measure(options, sequence);
  if (quiet.benchmarks.every((b) => b.crash)) {
    throw new PassGymError('BENCH_FAILED', `every benchmark's sequence crashed LLVM: ${quiet.benchmarks.map((b) => `${b.benchmark}: ${b.crash}`).join('; ')}`);
  }
  const result: StepBenchResult = { llvm: findLlvm().version, steps: options.steps, seed: options.seed, ...quiet };
  if (options.loaded) {
    const co = startCoRunners(Math.max(1, Math.round((options.coRunnersPerCore ?? 1) * os.availableParallelism())));
    try {
      result.loaded = { ...(await measure(options, sequence)), co_runners: co.count };
      if (result.loaded.benchmarks.every((b) => b.crash)) throw new PassGymError('BENCH_FAILED', "under load, every benchmark's sequence crashed LLVM");
    } finally {
      await co.stop();
    }
  }
  return result;
}

/** The human-readable lines of a result. */
export function formatStepBench(r: StepBenchResult): string[] {
  const lines = [`LLVM ${r.llvm}, ${r.steps} random safe steps (seed ${r.seed}) on each of ${r.benchmarks.length} benchmarks`];
  const condition = (label: string, t: StepTimes) => {
    lines.push(label);
    for (const b of t.benchmarks) {
      lines.push(
        b.crash
          ? `  ${b.benchmark.padEnd(36)} left out: ${b.crash}`
          : `  ${b.benchmark.padEnd(36)} raw ${b.raw_ms.toFixed(3)} ms  env ${b.env_ms.toFixed(3)} ms  opt ${b.opt_ms.toFixed(1)} ms`,
      );
    }
    lines.push(
      `  median raw pass ${t.median_raw_ms.toFixed(3)} ms, env.step ${t.median_env_step_ms.toFixed(3)} ms, spawned opt ${t.median_opt_spawn_ms.toFixed(1)} ms`,
      `  ratio_env_to_raw ${t.ratio_env_to_raw.toFixed(2)}  ratio_opt_to_env ${t.ratio_opt_to_env.toFixed(1)}`,
    );
  };
  condition('quiet:', r);
  if (r.loaded) condition(`loaded (${r.loaded.co_runners} CPU-bound co-runners):`, r.loaded);
  return lines;
}
