import fs from 'node:fs';
import path from 'node:path';
import { localSource, EnvSource } from '../../agents/context';
import { benchmarkList } from '../../agents/ppo/benchmarks';
import { makeConfig, PpoConfig } from '../../agents/ppo/config';
import { METRIC_COLUMNS, UpdateRecord } from '../../agents/ppo/metrics';
import { resumeConflicts, resumedTotalSteps, trainPpo } from '../../agents/ppo/trainer';
import { givenConfigFlags } from '../../scripts/commands/train';
import { loadPolicy } from '../../agents/ppo/policy';
import { agentContext } from '../../agents/context';
import { ppoAgent } from '../../agents/ppo/agent';
import { make } from '../../env/registry';
import { EnvVector } from '../../agents/ppo/rollout';
import seedrandom from 'seedrandom';
import { tempDir } from '../helpers';

// Two embedded programs, 8-step episodes, a small network: seconds per update on one worker.
const benchmarks = benchmarkList(['benchmark://embedded-v0/qsort', 'benchmark://embedded-v0/crc32']);
const tiny = (o: Partial<PpoConfig> = {}) =>
  makeConfig({ num_envs: 2, num_steps: 32, horizon: 8, history_length: 1, hidden: [64, 64], learning_rate: 1e-3, seed: 0, ...o });
const timing = new Set(['seconds', 'SPS', 'rollout_seconds', 'update_seconds']);
const learned = (r: UpdateRecord) => METRIC_COLUMNS.filter((c) => !timing.has(c)).map((c) => r[c]);

let source: EnvSource;
beforeAll(() => {
  source = localSource({ workers: 1 });
});
afterAll(() => source.close());

test('ten PPO updates on two embedded programs: finite losses, and the episode return improves (seed 0)', async () => {
  const out = path.join(tempDir(), 'run');
  const { records } = await trainPpo({ config: tiny({ total_timesteps: 640 }), source, benchmarks, out, curves: false });
  expect(records).toHaveLength(10);
  for (const r of records) {
    for (const k of ['policy_loss', 'value_loss', 'entropy', 'approx_kl', 'clipfrac', 'grad_norm'] as const) expect(Number.isFinite(r[k])).toBe(true);
    expect(r.episodes).toBe(8);
  }
  const mean = (rs: UpdateRecord[]) => rs.reduce((s, r) => s + r.episodic_return, 0) / rs.length;
  const first = mean(records.slice(0, 3));
  const last = mean(records.slice(-3));
  expect(last).toBeGreaterThan(first + 0.15);
  expect(records.at(-1)!.entropy).toBeLessThan(records[0].entropy);
  expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
  expect(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').split('\n')[0]).toBe(METRIC_COLUMNS.join(','));
  const policy = await loadPolicy(out);
  expect(policy.actionSpaceVersion).toMatch(/^PassesAll-/);
  policy.dispose();

  // The trained policy as a leaderboard agent: best of 3 rollouts of 8 steps within 20 compilations.
  const agent = ppoAgent({ checkpoint: out, k: 3 });
  const benchmark = 'benchmark://embedded-v0/qsort';
  const result = await agent.run(agentContext(source, { benchmark, budget: { steps: 20 }, seed: 0 }));
  await agent.close!();
  expect(result.steps).toBe(20);
  expect(result.actions.length).toBeGreaterThan(0);
  expect(result.actions.length).toBeLessThanOrEqual(8);
  const env = await make('llvm-ic-v0', { pool: source.pool });
  await env.reset({ benchmark });
  await env.multistep(result.actions);
  expect(env.episodeReward).toBeCloseTo(Number(result.stats!.bestReward), 5);
  expect(env.episodeReward!).toBeGreaterThan(0);

  // length=20 chains the 8-step policy into one greedy rollout of 20 steps.
  const long = ppoAgent({ checkpoint: out, k: 1, length: 20 });
  const chained = await long.run(agentContext(source, { benchmark, budget: { steps: 100 }, seed: 0 }));
  await long.close!();
  expect(chained.steps).toBe(20);
  expect(chained.stats).toMatchObject({ rollouts: 1, length: 20 });
  await env.reset({ benchmark });
  await env.multistep(chained.actions);
  expect(env.episodeReward).toBeCloseTo(Number(chained.stats!.bestReward), 5);
  await env.close();
});

test('a run stopped after 2 updates and resumed gives the same updates as one straight run', async () => {
  const config = tiny({ total_timesteps: 256, seed: 5 });
  const straight = await trainPpo({ config, source, benchmarks, out: path.join(tempDir(), 'a'), curves: false });
  const dir = path.join(tempDir(), 'b');
  const part1 = await trainPpo({ config, source, benchmarks, out: dir, stopAfterUpdates: 2, curves: false });
  await expect(trainPpo({ config, source, benchmarks, out: dir, curves: false })).rejects.toThrow(/already holds a checkpoint: use --resume/);
  // A resume with other arguments or benchmarks is refused, naming each difference.
  await expect(trainPpo({ config: { ...config, num_envs: config.num_envs + 1, learning_rate: 0.5 }, source, benchmarks, out: dir, resume: true, curves: false })).rejects.toThrow(
    new RegExp(`--resume continues the run in .* but --learning-rate 0.5 \\(the run has ${config.learning_rate}\\); --envs ${config.num_envs + 1} \\(the run has ${config.num_envs}\\): drop those`),
  );
  const others = benchmarkList(['benchmark://embedded-v0/crc32']);
  await expect(trainPpo({ config, source, benchmarks: others, out: dir, resume: true, curves: false })).rejects.toThrow(/the benchmarks are 1 benchmarks sha256:\w+ \(the run trains on /);
  // Flags not given on the command line are not compared (their defaults are not changes).
  expect([...givenConfigFlags(['--resume', '--envs=4', '--out', 'x', '--no-terminal-action', '--learningRate', '1'])].sort()).toEqual(['learning_rate', 'num_envs', 'terminal_action']);
  expect(resumeConflicts(config, { ...config, num_envs: 99 }, new Set(), undefined, '')).toEqual([]);
  // --resume without --total-steps keeps the run's total (not the flag's default); with it, extends.
  expect(resumedTotalSteps({ ...config, total_timesteps: 20_000 }, { ...config, total_timesteps: 100_000 }, new Set())).toBe(20_000);
  expect(resumedTotalSteps({ ...config, total_timesteps: 20_000 }, { ...config, total_timesteps: 100_000 }, new Set(['total_timesteps']))).toBe(100_000);
  expect(resumedTotalSteps({ ...config, total_timesteps: 20_000 }, { ...config, total_timesteps: 5_000 }, undefined)).toBe(20_000);
  const part2 = await trainPpo({ config, source, benchmarks, out: dir, resume: true, curves: false });
  expect(part1.records.map((r) => r.update)).toEqual([1, 2]);
  expect(part2.records.map((r) => r.update)).toEqual([3, 4]);
  expect([...part1.records, ...part2.records].map(learned)).toEqual(straight.records.map(learned));
});

test('reward log: the step rewards of an episode sum to ln(n_O0 / n) of its final state, and a PPO run on it has finite losses', async () => {
  const probe = await make('llvm-v0', { pool: source.pool });
  const actionCount = probe.actionSpace.n;
  await probe.close();
  const spec = { observationSpace: 'Autophase' as const, normalisation: 'ratio' as const, historyLength: 1, horizon: 6, actionCount };
  const vector = await EnvVector.open({ source, count: 1, benchmarks: benchmarkList(['benchmark://embedded-v0/crc32']), spec, terminalAction: false, minOzReduction: 0, reward: 'log', rng: seedrandom('t') });
  try {
    const env = await make('llvm-v0', { pool: source.pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    const n0 = (await env.observe('IrInstructionCount')) as number;
    const names = ['sroa', 'instcombine', 'simplifycfg', 'gvn', 'dce', 'inline'];
    let sum = 0;
    let finished: Awaited<ReturnType<EnvVector['step']>>['finished'] = [];
    for (const name of names) {
      const step = await vector.step([env.actionSpace.index(name)], seedrandom('s'));
      sum += step.rewards[0];
      finished = step.finished;
    }
    await env.multistep(names);
    const n = (await env.observe('IrInstructionCount')) as number;
    expect(n).toBeLessThan(n0);
    expect(sum).toBeCloseTo(Math.log(n0 / n), 5);
    expect(finished).toHaveLength(1);
    expect(finished[0].return).toBeCloseTo(Math.log(n0 / n), 5);
    await env.close();
  } finally {
    await vector.close();
  }
  const { records } = await trainPpo({ config: tiny({ total_timesteps: 128, reward: 'log' }), source, benchmarks, out: path.join(tempDir(), 'log'), curves: false });
  for (const r of records) for (const k of ['policy_loss', 'value_loss', 'entropy', 'episodic_return'] as const) expect(Number.isFinite(r[k])).toBe(true);
});
