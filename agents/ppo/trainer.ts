/**
 * The PPO training loop (CleanRL `ppo.py`'s outer loop): for each update, anneal the learning
 * rate, collect num_steps × num_envs transitions from the environment vector with the current
 * policy, compute GAE, run the PPO update (`ppo.ts`), log the metrics, and checkpoint.
 *
 * Reproducibility: network initialisation, action sampling, benchmark choice and minibatch
 * shuffles all come from `seedrandom` streams derived from `config.seed`; the environments are
 * deterministic (instruction counts), so a seeded run gives the same metrics (on the same
 * backend). `resume` continues from the checkpoint in `out`, including the random state and
 * where each environment was in its episode.
 */
import { PolicyMismatchError, policyMismatchMessage } from '../mcts/policy-prior';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import type { EnvSource } from '../context';
import { Adam } from './adam';
import { selectBackend, tf } from './backend';
import type { BenchmarkSet } from './benchmarks';
import { loadPolicyCheckpoint, loadTrainingState, PolicyMeta, saveCheckpoint, CHECKPOINT_FORMAT } from './checkpoint';
import { batchSize, makeConfig, numUpdates, PpoConfig } from './config';
import { FeatureSpec, networkShapeFor } from './features';
import { appendMetrics, drawCurves, readMetrics, truncateMetrics, UpdateRecord } from './metrics';
import { ActorCritic } from './network';
import { gae, ppoUpdate, Rollout } from './ppo';
import { EnvVector } from './rollout';

/** Options of `trainPpo`. */
export interface TrainOptions {
  config: PpoConfig;
  source: EnvSource;
  benchmarks: BenchmarkSet;
  /** Run folder: checkpoint (model.json, ...), metrics.csv, curves.svg/png. */
  out: string;
  /**
   * Continue the run in `out`: its config and benchmarks are kept, and `config.total_timesteps`
   * may extend it. Any other field of `config` that differs from the run's (only those in
   * `explicit`, when given), or other benchmarks, is refused naming them.
   */
  resume?: boolean;
  /** Config fields the caller chose (CLI flags given); the others are defaults, not compared on `resume`. */
  explicit?: ReadonlySet<keyof PpoConfig>;
  /** Stop (with a checkpoint) after this many updates of this call; `resume` continues. */
  stopAfterUpdates?: number;
  /** Checkpoint every this many updates (default 10) and at the end. */
  checkpointEvery?: number;
  /** Draw curves.svg/png at each checkpoint (default true). */
  curves?: boolean;
  log?: (m: string) => void;
  /** Called after every vector step: steps done, steps in all, mean return of the last 20 episodes. */
  onStep?: (globalStep: number, totalSteps: number, recentReturn: number) => void;
  /** Called after every update with its metrics. */
  onUpdate?: (record: UpdateRecord) => void;
}

/** What `trainPpo` returns. */
export interface TrainResult {
  records: UpdateRecord[];
  /** Wall seconds of this call. */
  seconds: number;
  backend: string;
}

/** CLI flag of each config field `train ppo` sets (the others are the field name in kebab case). */
const FLAG_OF: Partial<Record<keyof PpoConfig, string>> = {
  num_envs: 'envs',
  history_length: 'history',
  observation_space: 'observation',
};

/**
 * What identifies a benchmark set across runs: its description and a hash of its URIs (a
 * generator has none).
 */
export function benchmarkFingerprint(set: BenchmarkSet): string {
  const uris = set.uris ? ` sha256:${crypto.createHash('sha256').update(set.uris.join('\n')).digest('hex').slice(0, 16)}` : '';
  return `${set.describe}${uris}`;
}

/**
 * The differences between a run's config and benchmarks and those of a resume, as `--envs 4 (the
 * run has 2)`; `total_timesteps` may differ (a resume may extend the run).
 * @param explicit the fields to compare (default: all).
 * @param runBenchmarks the run's `benchmarkFingerprint` (absent in checkpoints written before it was recorded).
 */
export function resumeConflicts(run: PpoConfig, next: PpoConfig, explicit: ReadonlySet<keyof PpoConfig> | undefined, runBenchmarks: string | undefined, nextBenchmarks: string): string[] {
  const out: string[] = [];
  for (const key of Object.keys(next) as Array<keyof PpoConfig>) {
    if (key === 'total_timesteps' || (explicit && !explicit.has(key))) continue;
    const [a, b] = [JSON.stringify(run[key]), JSON.stringify(next[key])];
    if (a !== b) out.push(`--${FLAG_OF[key] ?? key.replace(/_/g, '-')} ${b} (the run has ${a})`);
  }
  if (runBenchmarks !== undefined && runBenchmarks !== nextBenchmarks) out.push(`the benchmarks are ${nextBenchmarks} (the run trains on ${runBenchmarks})`);
  return out;
}

/**
 * The total steps of a resumed run: a larger `total_timesteps` extends it, when given (in
 * `explicit`, or always without `explicit`); else the run keeps its own.
 */
export function resumedTotalSteps(run: PpoConfig, next: PpoConfig, explicit: ReadonlySet<keyof PpoConfig> | undefined): number {
  const given = !explicit || explicit.has('total_timesteps');
  return given ? Math.max(run.total_timesteps, next.total_timesteps) : run.total_timesteps;
}

/** Samples an index from log-probabilities `logp` (one row) with `u` uniform in [0, 1). */
function sampleCategorical(logp: Float32Array, offset: number, n: number, u: number): number {
  let c = 0;
  for (let a = 0; a < n; a++) {
    c += Math.exp(logp[offset + a]);
    if (u < c) return a;
  }
  return n - 1;
}

/**
 * Trains PPO (see the module TSDoc).
 * @throws Error for a bad config, an unusable benchmark set, a checkpoint that does not match
 * the environments' action space, or `resume` without a checkpoint in `out`.
 */
export async function trainPpo(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => undefined);
  const backend = await selectBackend(log);
  const t0 = performance.now();
  const checkpointEvery = options.checkpointEvery ?? 10;
  const metricsFile = path.join(options.out, 'metrics.csv');

  let config = options.config;
  let net: ActorCritic | null = null;
  let startUpdate = 0;
  let globalStep = 0;
  let secondsBefore = 0;
  let resumed: ReturnType<typeof loadTrainingState> = null;
  let meta: PolicyMeta | null = null;
  if (options.resume) {
    const loaded = loadPolicyCheckpoint(options.out);
    meta = loaded.meta;
    resumed = loadTrainingState(options.out);
    if (!resumed) throw new Error(`${options.out} holds a policy without trainer state (training.json); it cannot be resumed`);
    const changed = resumeConflicts(meta.config, options.config, options.explicit, resumed.state.benchmarks, benchmarkFingerprint(options.benchmarks));
    if (changed.length) {
      throw new Error(
        `--resume continues the run in ${options.out} as it was started, but ${changed.join('; ')}: drop those arguments (or give the run's values), or start a new run in another --out`,
      );
    }
    config = makeConfig({ ...meta.config, total_timesteps: resumedTotalSteps(meta.config, options.config, options.explicit) });
    net = ActorCritic.fromWeights(networkShapeFor(meta.features, meta.terminalAction, meta.hidden), loaded.weights);
    tf.dispose(Object.values(loaded.weights));
    startUpdate = meta.update;
    globalStep = meta.globalStep;
    secondsBefore = meta.trainSeconds;
    truncateMetrics(metricsFile, startUpdate);
    log(`resuming ${options.out} at update ${startUpdate} (${globalStep} steps)`);
  } else {
    if (fs.existsSync(path.join(options.out, 'model.json'))) throw new Error(`${options.out} already holds a checkpoint: use --resume to continue it or choose another --out`);
    fs.rmSync(metricsFile, { force: true });
  }

  const rng = seedrandom(`ppo-${config.seed}`, { state: resumed ? (resumed.state.rngState as seedrandom.State.Arc4) : true });
  // The first environment tells the action space; open the vector before building the network.
  const probe = await options.source.open({ benchmark: 'benchmark://embedded-v0/qsort', actionSpace: 'PassesAll', observationSpace: null, rewardSpace: null });
  const actionSpace = probe.actionSpace;
  await probe.close();
  const spec: FeatureSpec = {
    observationSpace: config.observation_space,
    normalisation: config.normalisation,
    historyLength: config.history_length,
    horizon: config.horizon,
    actionCount: actionSpace.n,
  };
  if (meta && meta.actionSpaceVersion !== actionSpace.version) {
    net?.dispose();
    throw new PolicyMismatchError(policyMismatchMessage(meta.actionSpaceVersion, actionSpace.version, `the checkpoint in ${options.out} (resumed)`));
  }
  const network = net ?? ActorCritic.create(networkShapeFor(spec, config.terminal_action, config.hidden), config.seed);
  const optimizer = new Adam(network.variables);
  if (resumed) {
    optimizer.restore(resumed.optimizer, resumed.state.adamStep);
    tf.dispose(Object.values(resumed.optimizer));
  }

  const vector = await EnvVector.open({
    source: options.source,
    count: config.num_envs,
    benchmarks: options.benchmarks,
    spec,
    terminalAction: config.terminal_action,
    minOzReduction: config.min_oz_reduction,
    reward: config.reward,
    rng,
    snapshots: resumed?.state.snapshots,
    log,
  });
  log(`PPO on ${options.benchmarks.describe}: ${config.num_envs} envs × ${config.num_steps} steps, ${numUpdates(config)} updates, input ${vector.width}, network ${vector.width}-${config.hidden.join('-')}-${vector.policyActions}, backend ${backend}`);

  const T = config.num_steps;
  const N = config.num_envs;
  const D = vector.width;
  const A = vector.policyActions;
  const total = numUpdates(config);
  const lastUpdate = Math.min(total, startUpdate + (options.stopAfterUpdates ?? Infinity));
  const records: UpdateRecord[] = [];
  const recent: number[] = [];
  const stepsAtStart = globalStep;
  const save = async (update: number) => {
    const m: PolicyMeta = {
      format: CHECKPOINT_FORMAT,
      actionSpace: actionSpace.name,
      actionSpaceVersion: actionSpace.version,
      features: spec,
      terminalAction: config.terminal_action,
      hidden: config.hidden,
      config,
      trainedOn: options.benchmarks.describe,
      update,
      globalStep,
      trainSeconds: secondsBefore + (performance.now() - t0) / 1000,
      savedAt: new Date().toISOString(),
    };
    const named = Object.fromEntries(network.variables) as tf.NamedTensorMap;
    await saveCheckpoint(options.out, named, m, { state: { rngState: rng.state(), adamStep: optimizer.step, snapshots: vector.snapshots(), benchmarks: benchmarkFingerprint(options.benchmarks) }, optimizer: optimizer.weights() });
    if (options.curves ?? true) await drawCurves(readMetrics(metricsFile), path.join(options.out, 'curves.svg'), `PPO ${path.basename(options.out)}`);
  };

  try {
    for (let update = startUpdate + 1; update <= lastUpdate; update++) {
      const frac = 1 - (update - 1) / total;
      const lr = config.anneal_lr ? frac * config.learning_rate : config.learning_rate;
      const rollout: Rollout = {
        obs: new Float32Array(T * N * D),
        actions: new Int32Array(T * N),
        logprobs: new Float32Array(T * N),
        rewards: new Float32Array(T * N),
        dones: new Float32Array(T * N),
        values: new Float32Array(T * N),
      };
      const episodes: Array<{ return: number; length: number }> = [];
      const tRollout = performance.now();
      for (let step = 0; step < T; step++) {
        const row = step * N;
        rollout.obs.set(vector.obs, row * D);
        rollout.dones.set(vector.dones, row);
        const [logp, value] = tf.tidy(() => {
          const out = network.forward(tf.tensor2d(vector.obs, [N, D]));
          return [tf.logSoftmax(out.logits), out.value];
        });
        const logpData = logp.dataSync() as Float32Array;
        rollout.values.set(value.dataSync(), row);
        tf.dispose([logp, value]);
        const actions = new Int32Array(N);
        for (let e = 0; e < N; e++) {
          actions[e] = sampleCategorical(logpData, e * A, A, rng());
          rollout.logprobs[row + e] = logpData[e * A + actions[e]];
        }
        rollout.actions.set(actions, row);
        const { rewards, finished } = await vector.step(actions, rng);
        rollout.rewards.set(rewards.map((r) => Math.min(config.reward_clip, Math.max(-config.reward_clip, r))), row);
        globalStep += N;
        for (const ep of finished) {
          episodes.push(ep);
          recent.push(ep.return);
          if (recent.length > 20) recent.shift();
        }
        options.onStep?.(globalStep, total * batchSize(config), recent.length ? recent.reduce((s, x) => s + x, 0) / recent.length : NaN);
      }
      const tUpdate = performance.now();
      const nextValue = tf.tidy(() => network.value(tf.tensor2d(vector.obs, [N, D])));
      const { advantages, returns } = gae(rollout, nextValue.dataSync(), vector.dones, T, N, config.gamma, config.gae_lambda);
      nextValue.dispose();
      const metrics = ppoUpdate(network, optimizer, config, rollout, advantages, returns, D, lr, rng);
      const elapsed = (performance.now() - t0) / 1000;
      const record: UpdateRecord = {
        update,
        global_step: globalStep,
        episodes: episodes.length,
        episodic_return: episodes.length ? episodes.reduce((s, e) => s + e.return, 0) / episodes.length : NaN,
        episodic_length: episodes.length ? episodes.reduce((s, e) => s + e.length, 0) / episodes.length : NaN,
        SPS: (globalStep - stepsAtStart) / elapsed,
        seconds: secondsBefore + elapsed,
        rollout_seconds: (tUpdate - tRollout) / 1000,
        update_seconds: (performance.now() - tUpdate) / 1000,
        ...metrics,
      };
      records.push(record);
      if (update === startUpdate + 1 || update % checkpointEvery === 0) log(`update ${update}: ${vector.skippedCount} benchmarks skipped so far (-Oz removes < ${config.min_oz_reduction} instructions, or failed to load)`);
      appendMetrics(metricsFile, [record]);
      options.onUpdate?.(record);
      if (update % checkpointEvery === 0 || update === lastUpdate) await save(update);
    }
  } finally {
    await vector.close();
    network.dispose();
    optimizer.dispose();
  }
  return { records, seconds: (performance.now() - t0) / 1000, backend };
}
