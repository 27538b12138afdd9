/**
 * `passgym train ppo --dataset D [--benchmarks URI…] --total-steps N --envs K --out runs/NAME
 * [--resume] [--endpoint tcp://…]…`: trains a PPO pass-ordering policy (agents/ppo), with a
 * progress bar (steps/s, mean episode reward), metrics.csv, learning curves and checkpoints in
 * the run folder.
 */
import os from 'node:os';
import type { CommandModule } from 'yargs';
import cliProgress from 'cli-progress';
import { localSource, remoteSource, EnvSource } from '../../agents/context';
import { benchmarkList, datasetBenchmarks } from '../../agents/ppo/benchmarks';
import { DEFAULT_CONFIG, makeConfig, Normalisation, PpoConfig, RewardKind } from '../../agents/ppo/config';
import { trainPpo } from '../../agents/ppo/trainer';
import { disconnectAll } from '../../env/registry';
import type { Split } from '../../env/datasets/splits';

interface TrainArgs {
  algorithm: string;
  dataset?: string[];
  'max-instructions'?: number;
  split: Split;
  benchmarks?: string[];
  'total-steps': number;
  envs: number;
  out: string;
  resume: boolean;
  endpoint?: string[];
  'workers-per-endpoint': number;
  workers?: number;
  seed: number;
  'num-steps': number;
  horizon: number;
  history: number;
  hidden: string;
  observation: 'Autophase' | 'InstCount';
  normalisation: Normalisation;
  'terminal-action': boolean;
  'learning-rate': number;
  'ent-coef': number;
  'update-epochs': number;
  'num-minibatches': number;
  'checkpoint-every': number;
  'stop-after-updates'?: number;
  'min-oz-reduction': number;
  'reward-clip': number;
  reward: string;
}

/** The config field each `train ppo` flag sets. */
const CONFIG_FLAGS: Record<string, keyof PpoConfig> = {
  'total-steps': 'total_timesteps',
  envs: 'num_envs',
  seed: 'seed',
  'num-steps': 'num_steps',
  horizon: 'horizon',
  history: 'history_length',
  hidden: 'hidden',
  observation: 'observation_space',
  normalisation: 'normalisation',
  'terminal-action': 'terminal_action',
  'learning-rate': 'learning_rate',
  'ent-coef': 'ent_coef',
  'update-epochs': 'update_epochs',
  'num-minibatches': 'num_minibatches',
  'min-oz-reduction': 'min_oz_reduction',
  'reward-clip': 'reward_clip',
  reward: 'reward',
};

/**
 * The config fields whose flags appear on the command line (`--envs 4`, `--envs=4`,
 * `--no-terminal-action`, camelCase too): what `--resume` compares with the run, so that the
 * defaults of flags not given do not count as changes.
 */
export function givenConfigFlags(args: readonly string[]): Set<keyof PpoConfig> {
  const given = new Set<keyof PpoConfig>();
  const camel = (f: string) => f.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  for (const a of args) {
    const m = /^--(?:no-)?([A-Za-z-]+)(?:=|$)/.exec(a);
    if (!m) continue;
    for (const [flag, key] of Object.entries(CONFIG_FLAGS)) if (m[1] === flag || m[1] === camel(flag)) given.add(key);
  }
  return given;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train <algorithm>',
  describe:
    'Train a pass-ordering policy (PPO) on a dataset split or a list of benchmarks. The policy is for the loaded LLVM ' +
    '(its action-space version); for another version run with PASSGYM_LLVM=N (docs/ppo.md)',
  builder: (y) =>
    y
      .positional('algorithm', { type: 'string', choices: ['ppo'], demandOption: true })
      .option('dataset', { type: 'string', array: true, describe: 'datasets to train on (torture-v0, libs-v0, ...; episodes drawn from their union) or one generator (csmith-v0, llvm-stress-v0)' })
      .option('max-instructions', { type: 'number', describe: 'leave out benchmarks with more -O0 IR instructions than this' })
      .option('split', { type: 'string', choices: ['train', 'validation', 'test'], default: 'train', describe: 'split of --dataset' })
      .option('benchmarks', { type: 'string', array: true, describe: 'benchmark URIs to train on instead of --dataset' })
      .option('total-steps', { type: 'number', default: DEFAULT_CONFIG.total_timesteps, describe: 'environment steps in all (total_timesteps)' })
      .option('envs', { type: 'number', default: Math.max(2, os.cpus().length), describe: 'parallel environments (num_envs)' })
      .option('out', { type: 'string', demandOption: true, describe: 'run folder: checkpoint, metrics.csv, curves.svg/png' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the run in --out with its arguments (a larger --total-steps extends it; other changed flags or benchmarks are refused)' })
      .option('endpoint', { type: 'string', array: true, describe: 'passgym serve endpoints to run the environments on (default: a local worker pool)' })
      .option('workers-per-endpoint', { type: 'number', default: 1, describe: '--workers of each server' })
      .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the environments and the network initialisation' })
      .option('num-steps', { type: 'number', default: DEFAULT_CONFIG.num_steps, describe: 'steps per environment per rollout' })
      .option('horizon', { type: 'number', default: DEFAULT_CONFIG.horizon, describe: 'steps per episode' })
      .option('history', { type: 'number', default: DEFAULT_CONFIG.history_length, describe: 'past actions in the policy input' })
      .option('hidden', { type: 'string', default: DEFAULT_CONFIG.hidden.join(','), describe: 'hidden layer widths, comma-separated' })
      .option('observation', { type: 'string', choices: ['Autophase', 'InstCount'], default: DEFAULT_CONFIG.observation_space, describe: 'observation space of the policy input' })
      .option('normalisation', { type: 'string', choices: ['ratio', 'log1p'], default: DEFAULT_CONFIG.normalisation, describe: 'feature normalisation: ratio (counts / total) or log1p' })
      .option('terminal-action', { type: 'boolean', default: DEFAULT_CONFIG.terminal_action, describe: 'let the policy end an episode early' })
      .option('learning-rate', { type: 'number', default: DEFAULT_CONFIG.learning_rate, describe: 'Adam learning rate' })
      .option('ent-coef', { type: 'number', default: DEFAULT_CONFIG.ent_coef, describe: 'entropy bonus coefficient (c2 of the PPO loss)' })
      .option('update-epochs', { type: 'number', default: DEFAULT_CONFIG.update_epochs, describe: 'epochs over each rollout per update (K in the PPO paper)' })
      .option('num-minibatches', { type: 'number', default: DEFAULT_CONFIG.num_minibatches, describe: 'minibatches per epoch' })
      .option('min-oz-reduction', { type: 'number', default: DEFAULT_CONFIG.min_oz_reduction, describe: 'skip benchmarks where -Oz removes fewer instructions (0: keep all)' })
      .option('reward-clip', { type: 'number', default: DEFAULT_CONFIG.reward_clip, describe: 'clip each step reward to ±this for learning' })
      .option('reward', { type: 'string', choices: ['oz', 'log'], default: DEFAULT_CONFIG.reward, describe: 'step reward: oz = IrInstructionCountOz, log = ln(n_prev / n)' })
      .option('stop-after-updates', { type: 'number', describe: 'stop with a checkpoint after this many updates (continue with --resume)' })
      .option('checkpoint-every', { type: 'number', default: 10, describe: 'updates between checkpoints' }) as never,
  handler: async (argv) => {
    if (!argv.dataset?.length && !argv.benchmarks?.length) throw new Error('train ppo needs --dataset or --benchmarks');
    const benchmarks = argv.benchmarks?.length ? benchmarkList(argv.benchmarks) : datasetBenchmarks(argv.dataset!, argv.split, argv['max-instructions'] ?? Infinity);
    const config = makeConfig({
      total_timesteps: argv['total-steps'],
      num_envs: argv.envs,
      seed: argv.seed,
      num_steps: argv['num-steps'],
      horizon: argv.horizon,
      history_length: argv.history,
      hidden: argv.hidden.split(',').map(Number),
      observation_space: argv.observation,
      normalisation: argv.normalisation,
      terminal_action: argv['terminal-action'],
      learning_rate: argv['learning-rate'],
      ent_coef: argv['ent-coef'],
      update_epochs: argv['update-epochs'],
      num_minibatches: argv['num-minibatches'],
      min_oz_reduction: argv['min-oz-reduction'],
      reward_clip: argv['reward-clip'],
      reward: argv.reward as RewardKind,
    });
    const source: EnvSource = argv.endpoint?.length ? remoteSource(argv.endpoint, argv['workers-per-endpoint']) : localSource({ workers: argv.workers });
    const bar = new cliProgress.SingleBar(
      { format: 'PPO [{bar}] {value}/{total} steps | {sps} steps/s | mean episode reward {ret}', stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10000 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const t0 = performance.now();
    let firstStep = -1;
    try {
      const result = await trainPpo({
        config,
        source,
        benchmarks,
        out: argv.out,
        resume: argv.resume,
        explicit: givenConfigFlags(process.argv.slice(2)),
        checkpointEvery: argv['checkpoint-every'],
        stopAfterUpdates: argv['stop-after-updates'],
        log: (m) => console.error(m),
        onStep: (step, total, ret) => {
          if (firstStep < 0) firstStep = step;
          const sps = ((step - firstStep) / Math.max((performance.now() - t0) / 1000, 1e-9)).toFixed(0);
          const payload = { sps, ret: Number.isFinite(ret) ? ret.toFixed(3) : '-' };
          if (!started) {
            bar.start(total, step, payload);
            started = true;
          }
          bar.setTotal(total);
          bar.update(step, payload);
        },
      });
      if (started) bar.stop();
      const last = result.records.at(-1);
      console.log(`trained ${result.records.length} updates in ${result.seconds.toFixed(0)} s on the ${result.backend} backend${last ? `, ${last.SPS.toFixed(0)} steps/s; last update: episodic_return ${last.episodic_return.toFixed(3)}, entropy ${last.entropy.toFixed(3)}` : ''}`);
      console.log(`checkpoint, metrics.csv and curves.svg/png in ${argv.out}`);
    } finally {
      if (started) bar.stop();
      source.close();
      disconnectAll();
    }
  },
};
