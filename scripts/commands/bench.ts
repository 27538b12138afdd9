/**
 * `passgym bench step|service|soak`: the step benchmark (`scripts/bench/step.ts`: env.step against
 * raw passes and spawned opt, quiet and with `--loaded` under load), the service benchmark
 * (`scripts/bench/service.ts`) and the server's memory over a long run (`scripts/bench/soak.ts`).
 */
import type { CommandModule } from 'yargs';
import { benchService } from '../bench/service';
import { benchSoak } from '../bench/soak';
import { benchPythonWalk } from '../bench/python-walk';
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
  requests: number;
  clients: number;
  openSessions: number;
  workers: number;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench <what>',
  describe: 'Benchmarks: `step` times env.step against raw passes and spawned opt; `service` times remote steps and throughput',
  builder: (y) =>
    y
      .positional('what', { type: 'string', choices: ['step', 'service', 'soak', 'python'], demandOption: true })
      .option('requests', { type: 'number', default: 100_000, describe: 'soak: requests in all' })
      .option('clients', { type: 'number', default: 8, describe: 'soak: concurrent clients' })
      .option('open-sessions', { type: 'number', default: 500, describe: 'soak: sessions held open at the end' })
      .option('workers', { type: 'number', default: 2, describe: 'soak: worker processes of the server' })
      .option('seconds', { type: 'number', default: 10, describe: 'service: seconds of each throughput run' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the text report' })
      .option('steps', { type: 'number', default: 200, describe: 'step, service: actions per measured sequence; python: steps of the random walk' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the random action sequences' })
      .option('benchmark', { type: 'string', array: true, describe: `benchmarks to use instead of ${STEP_BENCHMARKS.join(', ')}` })
      .option('loaded', { type: 'boolean', default: false, describe: 'step: measure again with CPU-bound co-runners' })
      .option('co-runners-per-core', { type: 'number', default: 1, describe: 'step, with --loaded: co-runners per core' }) as never,
  handler: async (argv) => {
    if (argv.what === 'python') {
      const benchmark = argv.benchmark?.[0] ?? 'benchmark://embedded-v0/qsort';
      const r = await benchPythonWalk({ benchmark, steps: argv.steps, seed: argv.seed });
      if (argv.json) console.log(JSON.stringify(r));
      else {
        const f = (x: number | null) => (x === null ? 'unavailable' : `${x.toFixed(0)} steps/s`);
        console.log(`random walk of ${r.steps} steps on ${r.benchmark}:`);
        console.log(`  TypeScript, local env:                              ${f(r.typescript_local_steps_per_second)}`);
        console.log(`  Python, passgym.make (private server):              ${f(r.python_make_steps_per_second)}${r.ratio_python_to_typescript === null ? '' : ` (${r.ratio_python_to_typescript.toFixed(2)}x)`}`);
        console.log(`  Python, passgym.make without action_had_no_effect:  ${f(r.python_make_no_effect_steps_per_second)}`);
      }
      return;
    }
    if (argv.what === 'soak') {
      const r = await benchSoak({ requests: argv.requests, clients: argv.clients, openSessions: argv.openSessions, workers: argv.workers });
      if (argv.json) console.log(JSON.stringify(r));
      else {
        const fmt = (s: { server_mib: number; workers_mib: number[] }) => `server ${s.server_mib} MiB, workers ${s.workers_mib.join(' + ')} MiB`;
        console.log(`${r.requests} requests from ${r.clients} clients in ${r.seconds.toFixed(1)} s (${r.requests_per_second.toFixed(0)}/s)`);
        console.log(`before:                 ${fmt(r.before)}`);
        console.log(`after the requests:     ${fmt(r.after_requests)}`);
        console.log(`${r.open_sessions} sessions open:      ${fmt(r.with_sessions_open)}`);
        console.log(`after ending them:      ${fmt(r.after_ending_them)}`);
      }
      return;
    }
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
