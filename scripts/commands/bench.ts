/**
 * `passgym bench step|service`: the step benchmark (`scripts/bench/step.ts`: env.step against raw
 * passes and spawned opt, quiet and with `--loaded` under load) and the service benchmark
 * (`scripts/bench/service.ts`).
 */
import type { CommandModule } from 'yargs';
import { benchService } from '../bench/service';
import { benchStep, formatStepBench, STEP_BENCHMARKS } from '../bench/step';

interface BenchArgs {
  what: string;
  seconds: number;
  json: boolean;
  steps: number;
  seed: number;
  benchmark?: string[];
  loaded: boolean;
  coRunnersPerCore: number;
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
      .option('benchmark', { type: 'string', array: true, describe: `benchmarks to use instead of ${STEP_BENCHMARKS.join(', ')}` })
      .option('loaded', { type: 'boolean', default: false, describe: 'step: measure again with CPU-bound co-runners' })
      .option('co-runners-per-core', { type: 'number', default: 1, describe: 'step, with --loaded: co-runners per core' }) as never,
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
    const r = await benchStep({
      steps: argv.steps,
      seed: argv.seed,
      benchmarks: argv.benchmark?.length ? argv.benchmark : STEP_BENCHMARKS,
      loaded: argv.loaded,
      coRunnersPerCore: argv.coRunnersPerCore,
    });
    console.log(argv.json ? JSON.stringify(r) : formatStepBench(r).join('\n'));
  },
};
