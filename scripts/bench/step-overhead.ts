/**
 * Where a small step's time goes, and what a reset and a fork cost. Prints JSON:
 * - `empty_request_ms`: a worker round trip that runs no pass (`pool.step(sid, [], [])`);
 * - `noop_env_step_ms` / `noop_raw_ms`: `env.step('no-op-module')` with the IrInstructionCount
 *   reward, and `LLVMRunPasses('module(no-op-module)')` in this process;
 * - `modules`: per benchmark, its instructions and the medians of a parse (a new episode) and of
 *   `IrModule.fork()` (bitcode into a new context, use-list order copied), in ms.
 * Medians of `--repeats` runs (default 2,000 for the round trips, 5 for parse and fork).
 *
 *   node dist/scripts/bench/step-overhead.js [--repeats N] [URI ...]   (default: embedded-v0/qsort)
 */
import fs from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { WorkerPool } from '../../env/session/pool';
import { make } from '../../env/registry';
import { Llvm } from '../../env/llvm/llvm';
import { resolveBenchmark } from '../../env/benchmarks';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function timed(repeats: number, f: () => unknown): Promise<number> {
  const t: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv)).option('repeats', { type: 'number', default: 2000 }).strictOptions().parse();
  const uris = a._.length ? a._.map(String) : ['benchmark://embedded-v0/qsort'];
  const pool = new WorkerPool({ maxWorkers: 1 });
  const result: Record<string, unknown> = {};
  try {
    const sid = await pool.startSession('benchmark://embedded-v0/qsort');
    result.empty_request_ms = await timed(a.repeats, () => pool.step(sid, [], []));
    const env = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
    result.noop_env_step_ms = await timed(a.repeats, () => env.step('no-op-module'));
    await env.close();
  } finally {
    pool.close();
  }
  const llvm = Llvm.get();
  const qsort = llvm.parse(fs.readFileSync((await resolveBenchmark('benchmark://embedded-v0/qsort')).path), 'qsort');
  result.noop_raw_ms = await timed(a.repeats, () => qsort.runPasses('module(no-op-module)'));
  qsort.dispose();
  const modules = [];
  for (const uri of uris) {
    const bytes = fs.readFileSync((await resolveBenchmark(uri)).path);
    const m = llvm.parse(bytes, uri);
    const parse_ms = await timed(5, () => llvm.parse(bytes, uri).dispose());
    const fork_ms = await timed(5, () => m.fork().dispose());
    modules.push({ benchmark: uri, instructions: m.instructionCount(), parse_ms, fork_ms });
    m.dispose();
  }
  result.modules = modules;
  console.log(JSON.stringify(result, null, 1));
}

void main();
