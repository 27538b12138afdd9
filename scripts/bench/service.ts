/**
 * `passgym bench service`: the cost of serving environments over ZeroMQ, measured in one run:
 * - the median step of one seeded random sequence (200 actions on embedded-v0/qsort, reward
 *   IrInstructionCount) locally in-process, over tcp://127.0.0.1 from TypeScript (RemoteEnv),
 *   and from Python (python/passgym, when Debian's python3-zmq/-protobuf are installed); the
 *   added latency is remote minus local;
 * - the floor under that: the median round trip of a bare ZeroMQ echo (a ROUTER in this process
 *   that sends every frame back) from Python and from TypeScript over the same transport, with
 *   no protobuf and no environment; what the service adds can only be measured against it;
 * - steps per second of 8 client processes (2 sessions each, random actions) against a server
 *   with 1 worker and with 2 workers, on real programs (apps-v0 toast, zopfli, bzip2, jimsh;
 *   installed first if needed) so that the steps' LLVM work, which workers parallelise, outweighs
 *   the per-request cost of the clients and the server on this 2-core machine.
 */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { make, disconnectAll } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { PassGymServer } from '../../env/service/server';
import { makeRng } from '../../env/spaces';
import type { Env } from '../../env/core';
import { resolveBenchmark } from '../../env/benchmarks';
import * as zmq from 'zeromq';

const run = promisify(execFile);
const BENCHMARK = 'benchmark://embedded-v0/qsort';
/** Benchmarks of the throughput runs. */
export const THROUGHPUT_BENCHMARKS = ['toast', 'zopfli', 'bzip2', 'jimsh'].map((id) => `benchmark://apps-v0/${id}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeSteps(env: Env, actions: number[]): Promise<number> {
  await env.reset({ benchmark: BENCHMARK });
  const times: number[] = [];
  for (const a of actions) {
    const t0 = process.hrtime.bigint();
    await env.step(a);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await env.close();
  return median(times);
}

/**
 * Runs `python/SCRIPT` with Debian's Python and returns `field` of the JSON on its last output
 * line, or null when it cannot run here (no python3-zmq/-protobuf, a failure, the timeout).
 */
async function pythonFigure(script: string, args: string[], field: string, timeoutMs: number): Promise<number | null> {
  const file = path.resolve(__dirname, '..', '..', '..', 'python', script);
  try {
    const { stdout } = await run('/usr/bin/python3', [file, ...args], { timeout: timeoutMs });
    return JSON.parse(stdout.trim().split('\n').at(-1)!)[field] as number;
  } catch {
    return null;
  }
}

/** Median Python step in ms, or null when the Python client cannot run here. */
function pythonSteps(endpoint: string, actions: number[]): Promise<number | null> {
  return pythonFigure('bench_steps.py', [endpoint, BENCHMARK, actions.join(',')], 'median_step_ms', 300_000);
}

/** A bare ZeroMQ echo over tcp://127.0.0.1: median round trip in ms from Python (null when it cannot run) and from TypeScript. */
async function echoFloor(count = 2000): Promise<{ python: number | null; typescript: number }> {
  const router = new zmq.Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:*');
  void (async () => {
    for await (const frames of router) await router.send(frames);
  })().catch(() => undefined);
  try {
    const python = await pythonFigure('bench_echo.py', [router.lastEndpoint!, String(count)], 'median_echo_ms', 120_000);
    const dealer = new zmq.Dealer({ linger: 0 });
    dealer.connect(router.lastEndpoint!);
    const message = Buffer.alloc(64);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      await dealer.send(message);
      await dealer.receive();
      if (i >= count / 10) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    dealer.close();
    return { python, typescript: median(times) };
  } finally {
    router.close();
  }
}

async function throughput(workers: number, clients: number, seconds: number): Promise<number> {
  const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers });
  await server.start();
  try {
    const script = path.join(__dirname, 'throughput-client.js');
    // Warm-up: load the benchmarks on every worker.
    const list = THROUGHPUT_BENCHMARKS.join(',');
    await Promise.all(Array.from({ length: workers }, (_, k) => run(process.execPath, [script, server.endpoint, '4', '1', `warm${k}`, list], { timeout: 600_000 })));
    const outs = await Promise.all(
      Array.from({ length: clients }, (_, k) => run(process.execPath, [script, server.endpoint, '2', String(seconds), String(k), list], { timeout: (seconds + 120) * 1000 })),
    );
    const steps = outs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!).steps as number).reduce((a, b) => a + b, 0);
    return steps / seconds;
  } finally {
    await server.close();
  }
}

/** Runs the service benchmark and returns its figures. */
export async function benchService(options: { steps: number; seed: number; seconds: number }) {
  const pool = new WorkerPool({ maxWorkers: 1 });
  const local = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' });
  const rng = makeRng(options.seed);
  const actions = Array.from({ length: options.steps }, () => local.actionSpace.sample(rng));
  const localMs = await timeSteps(local, actions);
  pool.close();
  const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1 });
  await server.start();
  let tsMs: number;
  let pyMs: number | null;
  try {
    tsMs = await timeSteps(await make('llvm-v0', { endpoint: server.endpoint, rewardSpace: 'IrInstructionCount' }), actions);
    pyMs = await pythonSteps(server.endpoint, actions);
  } finally {
    disconnectAll();
    await server.close();
  }
  const echo = await echoFloor();
  await resolveBenchmark(THROUGHPUT_BENCHMARKS[0]);
  const one = await throughput(1, 8, options.seconds);
  const two = await throughput(2, 8, options.seconds);
  return {
    benchmark: BENCHMARK,
    steps: options.steps,
    median_local_step_ms: localMs,
    median_typescript_step_ms: tsMs,
    median_python_step_ms: pyMs,
    added_ms_typescript: tsMs - localMs,
    added_ms_python: pyMs === null ? null : pyMs - localMs,
    median_zmq_echo_ms_typescript: echo.typescript,
    median_zmq_echo_ms_python: echo.python,
    steps_per_second_1_worker_8_clients: one,
    steps_per_second_2_workers_8_clients: two,
    scaling_2_over_1: two / one,
  };
}
