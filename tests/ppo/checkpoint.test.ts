import fs from 'node:fs';
import path from 'node:path';
import { selectBackend, tf } from '../../agents/ppo/backend';
import { CHECKPOINT_FORMAT, saveCheckpoint, loadPolicyCheckpoint, CheckpointError } from '../../agents/ppo/checkpoint';
import { makeConfig } from '../../agents/ppo/config';
import { encode, FeatureSpec, networkShapeFor } from '../../agents/ppo/features';
import { ActorCritic, orthogonal } from '../../agents/ppo/network';
import { loadPolicy } from '../../agents/ppo/policy';
import { PRETRAINED_DIR } from '../../agents/ppo/agent';
import { make } from '../../env/registry';
import { createAgent } from '../../agents/registry';
import { agentContext, localSource } from '../../agents/context';
import { WorkerPool } from '../../env/session/pool';
import { tempDir } from '../helpers';

const spec: FeatureSpec = { observationSpace: 'Autophase', normalisation: 'ratio', historyLength: 2, horizon: 10, actionCount: 7 };

test('orthogonal() gives orthonormal columns times the gain', () => {
  let seed = 1;
  const rng = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const w = orthogonal(6, 3, 2, rng);
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let i = 0; i < 6; i++) dot += w[i * 3 + a] * w[i * 3 + b];
      expect(dot).toBeCloseTo(a === b ? 4 : 0, 5);
    }
  }
});

test('a saved checkpoint loads as a Policy with the same action probabilities and its metadata', async () => {
  await selectBackend();
  const dir = path.join(tempDir(), 'run');
  const config = makeConfig({ hidden: [16, 8], history_length: 2, horizon: 10, terminal_action: true });
  const net = ActorCritic.create(networkShapeFor(spec, true, config.hidden), 3);
  // Move the weights away from the near-uniform initial policy so that the comparison means something.
  tf.tidy(() => {
    for (const v of net.variables.values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.5, 'float32', 7)));
  });
  const raw = Array.from({ length: 56 }, (_, i) => (i * 37) % 11);
  raw[51] = 40;
  const history = [3, 1, 6];
  const x = encode(spec, raw, history);
  const logits = tf.tidy(() => net.logits(tf.tensor2d(x, [1, x.length])).dataSync());
  const meta = {
    format: CHECKPOINT_FORMAT,
    actionSpace: 'PassesAll',
    actionSpaceVersion: 'PassesAll-test',
    features: spec,
    terminalAction: true,
    hidden: config.hidden,
    config,
    trainedOn: 'test',
    update: 1,
    globalStep: 8,
    trainSeconds: 0,
    savedAt: new Date().toISOString(),
  } as const;
  await saveCheckpoint(dir, Object.fromEntries(net.variables), meta);
  net.dispose();
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);

  const policy = await loadPolicy(dir);
  try {
    expect(policy.observationSpace).toBe('Autophase');
    expect(policy.actionSpaceVersion).toBe('PassesAll-test');
    const p = await policy.probabilities(raw, history);
    // Softmax over the 7 actions without the terminal action (index 7), renormalised.
    const exp = Array.from(logits.slice(0, 7), (l) => Math.exp(l));
    const sum = exp.reduce((s, x) => s + x, 0);
    expect(p.length).toBe(7);
    exp.forEach((e, a) => expect(p[a]).toBeCloseTo(e / sum, 5));
    expect(Math.max(...p) - Math.min(...p)).toBeGreaterThan(0.01);
    await expect(policy.probabilities(raw.slice(1), history)).rejects.toThrow(/55 values, expected 56/);
  } finally {
    policy.dispose();
  }
});

test('loadPolicy() on a folder without a checkpoint names the folder', async () => {
  const dir = tempDir();
  expect(() => loadPolicyCheckpoint(dir)).toThrow(CheckpointError);
  await expect(loadPolicy(dir)).rejects.toThrow(new RegExp(`no PPO checkpoint in ${dir}`));
});

test('the committed checkpoint loads, matches the action space, and gives a distribution over its actions', async () => {
  const policy = await loadPolicy(PRETRAINED_DIR);
  const pool = new WorkerPool({ maxWorkers: 1 });
  try {
    const env = await make('llvm-v0', { pool, observationSpace: 'Autophase' });
    const { observation } = await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
    // The committed policy is LLVM 14's (agents/ppo/pretrained/README.md).
    expect(policy.actionSpaceVersion).toMatch(/^PassesAll-llvm14-/);
    if (env.actionSpace.llvmMajor !== 14) {
      // Elsewhere the ppo agent refuses it, naming the LLVM to load and how to retrain.
      const agent = await createAgent('ppo', {});
      const ctx = agentContext(localSource({ pool }), { benchmark: 'benchmark://embedded-v0/qsort', budget: { steps: 10 }, seed: 0 });
      await expect(agent.run(ctx)).rejects.toThrow(new RegExp(`trained on LLVM 14 and LLVM ${env.actionSpace.llvmMajor} is loaded: run with PASSGYM_LLVM=14, or train a policy`));
      await agent.close?.();
      await env.close();
      return;
    }
    expect(policy.actionSpaceVersion).toBe(env.actionSpace.version);
    const p = await policy.probabilities(observation as number[], []);
    expect(p.length).toBe(env.actionSpace.n);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 4);
    // Trained, not uniform: the most probable action is well above 1/|A|.
    expect(Math.max(...p)).toBeGreaterThan(3 / env.actionSpace.n);
    await env.close();
  } finally {
    pool.close();
    policy.dispose();
  }
});
