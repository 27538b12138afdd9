/**
 * `passgym bench python`: steps per second of one random walk, in one run, three ways: the local
 * TypeScript env (in-process worker pool), and a Python script through `passgym.make` with its
 * private server (python/bench_make.py), with CompilerGym's `info["action_had_no_effect"]` (an
 * IrSha1 of every state) and without it. Same benchmark, same walk shape: llvm-ic-v0, seeded
 * random actions, a new episode every 50 steps; server and pool start-up are not timed.
 */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';

const run = promisify(execFile);

/** What `passgym bench python --json` prints. */
export interface PythonWalkResult {
  benchmark: string;
  steps: number;
  typescript_local_steps_per_second: number;
  python_make_steps_per_second: number | null;
  python_make_no_effect_steps_per_second: number | null;
  /** Python (with action_had_no_effect) over the local TypeScript env. */
  ratio_python_to_typescript: number | null;
}

async function typescriptWalk(benchmark: string, steps: number, seed: number): Promise<number> {
  const pool = new WorkerPool({ maxWorkers: 1 });
  const env = await make('llvm-ic-v0', { pool });
  try {
    await env.reset({ benchmark, seed });
    await env.step(0);
    const n = env.actionSpace.n;
    const t0 = performance.now();
    for (let k = 0; k < steps; k++) {
      if (k % 50 === 0) await env.reset();
      await env.step(Math.floor(env.rng() * n));
    }
    return steps / ((performance.now() - t0) / 1000);
  } finally {
    await env.close();
    pool.close();
  }
}

async function pythonWalk(benchmark: string, steps: number, seed: number, effect: boolean): Promise<number | null> {
  const script = path.resolve(__dirname, '..', '..', '..', 'python', 'bench_make.py');
  try {
    const { stdout } = await run('/usr/bin/python3', [script, benchmark, String(steps), String(seed), ...(effect ? [] : ['--no-effect'])], { timeout: 600_000 });
    return (JSON.parse(stdout.trim().split('\n').at(-1)!) as { steps_per_second: number }).steps_per_second;
  } catch {
    return null;
  }
}

/** Runs the three walks one after another (never at once: they would share the cores). */
export async function benchPythonWalk(options: { benchmark: string; steps: number; seed: number }): Promise<PythonWalkResult> {
  const ts = await typescriptWalk(options.benchmark, options.steps, options.seed);
  const py = await pythonWalk(options.benchmark, options.steps, options.seed, true);
  const pyNoEffect = await pythonWalk(options.benchmark, options.steps, options.seed, false);
  return {
    benchmark: options.benchmark,
    steps: options.steps,
    typescript_local_steps_per_second: ts,
    python_make_steps_per_second: py,
    python_make_no_effect_steps_per_second: pyNoEffect,
    ratio_python_to_typescript: py === null ? null : py / ts,
  };
}
