/**
 * `passgym bench step|service|soak|python`: the step benchmark (`scripts/bench/step.ts`: env.step against
 * raw passes and spawned opt, quiet and with `--loaded` under load), the service benchmark
 * (`scripts/bench/service.ts`) the server's memory over a long run (`scripts/bench/soak.ts`) and the Python client's steps/s
 * (`scripts/bench/python-walk.ts`); each is a subcommand with its own options.
 */
import type { CommandModule } from 'yargs';
import { benchService } from '../bench/service';
import { benchSoak } from '../bench/soak';
import { benchPythonWalk } from '../bench/python-walk';
import { benchStep, formatStepBench, STEP_BENCHMARKS } from '../bench/step';
import { benchObservations, defaultObservationBenchmarks, formatObservationCosts } from '../bench/observations';

interface BenchArgs {
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

/** `+0.123` / `-0.045`: a difference with its sign (a remote step can measure faster than local: noise). */
function signed(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${Math.abs(ms).toFixed(3)}`;
}

const json = { type: 'boolean', default: false, describe: 'print one JSON object instead of the text report' } as const;
const seed = { type: 'number', default: 0, describe: 'seed of the random action sequences' } as const;

const step: CommandModule<object, BenchArgs> = {
  command: 'step',
  describe: 'Time env.step against raw in-process passes and a spawned opt, per benchmark (quiet; with --loaded also under load)',
  builder: (y) =>
    y
      .option('steps', { type: 'number', default: 200, describe: 'actions per measured sequence' })
      .option('seed', seed)
      .option('benchmark', { type: 'string', array: true, describe: `benchmarks to use (default: ${STEP_BENCHMARKS.join(', ')})` })
      .option('loaded', { type: 'boolean', default: false, describe: 'measure again with CPU-bound co-runners' })
      .option('co-runners-per-core', { type: 'number', default: 1, describe: 'with --loaded: co-runners per core' })
      .option('json', json) as never,
  handler: async (argv) => {
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

const service: CommandModule<object, BenchArgs> = {
  command: 'service',
  describe: 'Time a step over the service (TypeScript and Python clients) against a local one, and the throughput of 8 clients with 1 and 2 workers',
  builder: (y) =>
    y
      .option('steps', { type: 'number', default: 200, describe: 'actions per measured sequence' })
      .option('seed', seed)
      .option('seconds', { type: 'number', default: 10, describe: 'seconds of each throughput run' })
      .option('json', json) as never,
  handler: async (argv) => {
    const r = await benchService({ steps: argv.steps, seed: argv.seed, seconds: argv.seconds });
    if (argv.json) return void console.log(JSON.stringify(r));
    const py = r.median_python_step_ms === null ? 'Python client unavailable' : `Python ${r.median_python_step_ms.toFixed(3)} ms (${signed(r.added_ms_python!)})`;
    console.log(`median step on ${r.benchmark}: local ${r.median_local_step_ms.toFixed(3)} ms, TypeScript remote ${r.median_typescript_step_ms.toFixed(3)} ms (${signed(r.added_ms_typescript)}), ${py}`);
    const echoPy = r.median_zmq_echo_ms_python === null ? '' : `, from Python ${r.median_zmq_echo_ms_python.toFixed(3)} ms`;
    console.log(`bare ZeroMQ echo over tcp://127.0.0.1 (the transport's floor): from TypeScript ${r.median_zmq_echo_ms_typescript.toFixed(3)} ms${echoPy}`);
    console.log(`8 clients on apps-v0 programs: ${r.steps_per_second_1_worker_8_clients.toFixed(0)} steps/s with 1 worker, ${r.steps_per_second_2_workers_8_clients.toFixed(0)} with 2 (${r.scaling_2_over_1.toFixed(2)}x)`);
  },
};

const soak: CommandModule<object, BenchArgs> = {
  command: 'soak',
  describe: "A server's memory over a long run of requests, with many sessions open, and after ending them",
  builder: (y) =>
    y
      .option('requests', { type: 'number', default: 100_000, describe: 'requests in all' })
      .option('clients', { type: 'number', default: 8, describe: 'concurrent clients' })
      .option('open-sessions', { type: 'number', default: 500, describe: 'sessions held open at the end' })
      .option('workers', { type: 'number', default: 2, describe: 'worker processes of the server' })
      .option('json', json) as never,
  handler: async (argv) => {
    const r = await benchSoak({ requests: argv.requests, clients: argv.clients, openSessions: argv.openSessions, workers: argv.workers });
    if (argv.json) return void console.log(JSON.stringify(r));
    const fmt = (s: { server_mib: number; workers_mib: number[] }) => `server ${s.server_mib} MiB, workers ${s.workers_mib.join(' + ')} MiB`;
    console.log(`${r.requests} requests from ${r.clients} clients in ${r.seconds.toFixed(1)} s (${r.requests_per_second.toFixed(0)}/s)`);
    console.log(`before:                 ${fmt(r.before)}`);
    console.log(`after the requests:     ${fmt(r.after_requests)}`);
    console.log(`${r.open_sessions} sessions open:      ${fmt(r.with_sessions_open)}`);
    console.log(`after ending them:      ${fmt(r.after_ending_them)}`);
  },
};

const python: CommandModule<object, BenchArgs> = {
  command: 'python',
  describe: 'Steps/s of a random walk: TypeScript local env against Python passgym.make (private server), with and without action_had_no_effect',
  builder: (y) =>
    y
      .option('steps', { type: 'number', default: 200, describe: 'steps of the random walk' })
      .option('seed', seed)
      .option('benchmark', { type: 'string', array: true, describe: 'benchmark to walk on (the first is used; default benchmark://embedded-v0/qsort)' })
      .option('json', json) as never,
  handler: async (argv) => {
    const benchmark = argv.benchmark?.[0] ?? 'benchmark://embedded-v0/qsort';
    const r = await benchPythonWalk({ benchmark, steps: argv.steps, seed: argv.seed });
    if (argv.json) return void console.log(JSON.stringify(r));
    const f = (x: number | null) => (x === null ? 'unavailable' : `${x.toFixed(0)} steps/s`);
    console.log(`random walk of ${r.steps} steps on ${r.benchmark}:`);
    console.log(`  TypeScript, local env:                              ${f(r.typescript_local_steps_per_second)}`);
    console.log(`  Python, passgym.make (private server):              ${f(r.python_make_steps_per_second)}${r.ratio_python_to_typescript === null ? '' : ` (${r.ratio_python_to_typescript.toFixed(2)}x)`}`);
    console.log(`  Python, passgym.make without action_had_no_effect:  ${f(r.python_make_no_effect_steps_per_second)}`);
  },
};

const observations: CommandModule<object, BenchArgs & { repeats: number }> = {
  command: 'observations',
  describe: 'Milliseconds per observation space on embedded-v0/qsort and the two largest apps-v0 programs (when installed), beside one step',
  builder: (y) =>
    y
      .option('benchmark', { type: 'string', array: true, describe: 'benchmarks to measure instead (default: embedded-v0/qsort and the two largest installed apps-v0 programs)' })
      .option('repeats', { type: 'number', default: 5, describe: 'observations timed per space (median)' })
      .option('json', json) as never,
  handler: async (argv) => {
    const rows = await benchObservations(argv.benchmark?.length ? argv.benchmark : defaultObservationBenchmarks(), argv.repeats);
    console.log(argv.json ? JSON.stringify(rows) : formatObservationCosts(rows).join('\n'));
  },
};

export const benchCommand: CommandModule = {
  command: 'bench',
  describe: 'Benchmarks: step (env.step against raw passes and opt), service, soak (server memory), python (client steps/s), observations (ms per space)',
  builder: (y) => y.command(step).command(service).command(soak).command(python).command(observations).demandCommand(1, 'name a benchmark: step, service, soak, python or observations'),
  handler: () => undefined,
};
