/**
 * `passgym bench step [--json]`: one seeded random action sequence (200 steps by default) on a
 * fixed set of benchmarks, timed three ways in one run, as medians over all steps:
 *
 * - raw: `LLVMRunPasses` of each action on the module in this process (no environment);
 * - env: `env.step()` with the IrInstructionCount reward (worker round trip, passes, reward);
 * - opt: stock `opt -passes='module(X)'` spawned per step on the state's bitcode.
 *
 * Prints `ratio_env_to_raw` (env / raw) and `ratio_opt_to_env` (opt / env).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CommandModule } from 'yargs';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { Llvm } from '../../env/llvm/llvm';
import { resolveBenchmark } from '../../env/benchmarks';
import { makeRng } from '../../env/spaces';
import { benchService } from '../bench/service';

/** The benchmarks of the step benchmark: real programs of several sizes. */
export const STEP_BENCHMARKS = [
  'benchmark://embedded-v0/qsort',
  'benchmark://embedded-v0/dijkstra',
  'benchmark://embedded-v0/sha256',
  'benchmark://embedded-v0/matmul',
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

interface BenchArgs {
  what: string;
  seconds: number;
  json: boolean;
  steps: number;
  seed: number;
  benchmark?: string[];
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench <what>',
  describe: 'Benchmarks: `step` times env.step against raw passes and spawned opt; `service` times remote steps and throughput',
  builder: (y) =>
    y
      .positional('what', { type: 'string', choices: ['step', 'service'], demandOption: true })
      .option('seconds', { type: 'number', default: 10, describe: 'service: seconds of each throughput run' })
      .option('json', { type: 'boolean', default: false })
      .option('steps', { type: 'number', default: 200 })
      .option('seed', { type: 'number', default: 0 })
      .option('benchmark', { type: 'string', array: true, describe: `benchmarks to use instead of ${STEP_BENCHMARKS.join(', ')}` }) as never,
  handler: async (argv) => {
    if (argv.what === 'service') {
      const r = await benchService({ steps: argv.steps, seed: argv.seed, seconds: argv.seconds });
      if (argv.json) console.log(JSON.stringify(r));
      else {
        const py = r.median_python_step_ms === null ? 'Python client unavailable' : `Python ${r.median_python_step_ms.toFixed(3)} ms (+${r.added_ms_python!.toFixed(3)})`;
        console.log(`median step on ${r.benchmark}: local ${r.median_local_step_ms.toFixed(3)} ms, TypeScript remote ${r.median_typescript_step_ms.toFixed(3)} ms (+${r.added_ms_typescript.toFixed(3)}), ${py}`);
        const echoPy = r.median_zmq_echo_ms_python === null ? '' : `, from Python ${r.median_zmq_echo_ms_python.toFixed(3)} ms`;
        console.log(`bare ZeroMQ echo over tcp://127.0.0.1 (the transport's floor): from TypeScript ${r.median_zmq_echo_ms_typescript.toFixed(3)} ms${echoPy}`);
        console.log(`8 clients on apps-v0 programs: ${r.steps_per_second_1_worker_8_clients.toFixed(0)} steps/s with 1 worker, ${r.steps_per_second_2_workers_8_clients.toFixed(0)} with 2 (${r.scaling_2_over_1.toFixed(2)}x)`);
      }
      return;
    }
    const pool = new WorkerPool({ maxWorkers: 1 });
    const env = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' });
    const rng = makeRng(argv.seed);
    const sequence = Array.from({ length: argv.steps }, () => env.actionSpace.sample(rng));
    const names = sequence.map((k) => env.actionSpace.names[k]);
    const llvm = Llvm.get();
    const opt = llvm.installation.tools.opt;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-bench-'));
    const raw: number[] = [];
    const stepMs: number[] = [];
    const optMs: number[] = [];
    const perBenchmark: Array<Record<string, number | string>> = [];
    const benchmarks = argv.benchmark?.length ? argv.benchmark : STEP_BENCHMARKS;
    try {
      for (const uri of benchmarks) {
        const ref = await resolveBenchmark(uri);
        // Raw: the same passes on the same module, in this process; the states' bitcode is kept for opt.
        const module = llvm.parse(fs.readFileSync(ref.path), uri);
        const states: string[] = [];
        const r: number[] = [];
        for (let k = 0; k < names.length; k++) {
          const file = path.join(tmp, `state-${k}.bc`);
          fs.writeFileSync(file, module.bitcode());
          states.push(file);
          const t0 = process.hrtime.bigint();
          module.runPasses(`module(${names[k]})`);
          r.push(ms(t0));
        }
        module.dispose();
        // Env: env.step with the IrInstructionCount reward.
        await env.reset({ benchmark: uri });
        const e: number[] = [];
        for (const a of sequence) {
          const t0 = process.hrtime.bigint();
          await env.step(a);
          e.push(ms(t0));
        }
        // opt: one spawned process per step, on the state before that step.
        const o: number[] = [];
        for (let k = 0; k < names.length; k++) {
          const t0 = process.hrtime.bigint();
          execFileSync(opt, [`-passes=module(${names[k]})`, states[k], '-o', path.join(tmp, 'out.bc')]);
          o.push(ms(t0));
        }
        raw.push(...r);
        stepMs.push(...e);
        optMs.push(...o);
        perBenchmark.push({ benchmark: uri, raw_ms: median(r), env_ms: median(e), opt_ms: median(o) });
      }
    } finally {
      await env.close();
      pool.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const result = {
      llvm: llvm.installation.version,
      steps: argv.steps,
      seed: argv.seed,
      benchmarks: perBenchmark,
      median_raw_ms: median(raw),
      median_env_step_ms: median(stepMs),
      median_opt_spawn_ms: median(optMs),
      ratio_env_to_raw: median(stepMs) / median(raw),
      ratio_opt_to_env: median(optMs) / median(stepMs),
      env_steps_per_second: 1000 / median(stepMs),
    };
    if (argv.json) {
      console.log(JSON.stringify(result));
      return;
    }
    console.log(`LLVM ${result.llvm}, ${argv.steps} random steps (seed ${argv.seed}) on each of ${benchmarks.length} benchmarks`);
    for (const b of perBenchmark) {
      console.log(`  ${String(b.benchmark).padEnd(36)} raw ${Number(b.raw_ms).toFixed(3)} ms  env ${Number(b.env_ms).toFixed(3)} ms  opt ${Number(b.opt_ms).toFixed(1)} ms`);
    }
    console.log(`median raw pass ${result.median_raw_ms.toFixed(3)} ms, env.step ${result.median_env_step_ms.toFixed(3)} ms, spawned opt ${result.median_opt_spawn_ms.toFixed(1)} ms`);
    console.log(`ratio_env_to_raw ${result.ratio_env_to_raw.toFixed(2)}  ratio_opt_to_env ${result.ratio_opt_to_env.toFixed(1)}`);
  },
};
