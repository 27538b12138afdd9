/**
 * CompilerGym's step(action, observation_spaces, reward_spaces) and info["action_had_no_effect"],
 * locally and over the service: the same values both ways.
 */
import { make, disconnectAll } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { PassGymServer } from '../../env/service/server';
import type { Env } from '../../env/core';
import { INSTCOUNT_NAMES } from '../../env/observations';

let pool: WorkerPool;
let server: PassGymServer;

beforeAll(async () => {
  pool = new WorkerPool({ maxWorkers: 1 });
  server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1 });
  await server.start();
});

afterAll(async () => {
  disconnectAll();
  pool.close();
  await server.close();
});

async function episode(env: Env) {
  await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
  const out: unknown[] = [];
  const first = await env.step('mem2reg');
  out.push(first.reward, first.info.action_had_no_effect);
  const a = await env.multistep(['mem2reg'], { reportEffect: true, observationSpaces: ['IrInstructionCount', 'Autophase'], rewardSpaces: ['IrInstructionCount'] });
  out.push(a.info.action_had_no_effect, a.observations, a.rewards);
  const before = (await env.observe('IrInstructionCount')) as number;
  const b = await env.multistep(['instcombine'], { reportEffect: true, observationSpaces: ['IrInstructionCount'], rewardSpaces: ['IrInstructionCount', 'IrInstructionCountOz'] });
  out.push(b.info.action_had_no_effect, b.observations, b.rewards);
  // The IrInstructionCount reward space, first named one step ago, continues from there.
  expect(b.rewards!.IrInstructionCount).toBe(before - (b.observations!.IrInstructionCount as number));
  expect(b.rewards!.IrInstructionCountOz).toBeCloseTo(b.reward!, 12);
  // A step without actions gives each space's reward since its last update: 0 now.
  const c = await env.multistep([], { rewardSpaces: ['IrInstructionCount'], reportEffect: true });
  out.push(c.rewards, c.info.action_had_no_effect, env.actions.length);
  return out;
}

test('observation_spaces, reward_spaces and action_had_no_effect, the same locally and remotely', async () => {
  const local = await make('llvm-ic-v0', { pool });
  const remote = await make('llvm-ic-v0', { endpoint: server.endpoint });
  try {
    const l = await episode(local);
    const r = await episode(remote);
    expect(r).toEqual(l);
    // mem2reg again: no effect; instcombine after it: an effect; no actions: no effect.
    expect([l[2], l[5], l[9]]).toEqual([true, false, true]);
    expect(l[1]).toBeUndefined(); // not asked, not computed
    expect(l[8]).toEqual({ IrInstructionCount: 0 });
    expect(l[10]).toBe(3);
    await expect(local.multistep([0], { rewardSpaces: ['NoSuchReward'] })).rejects.toMatchObject({ code: 'UNKNOWN_SPACE' });
    await expect(remote.multistep([0], { rewardSpaces: ['NoSuchReward'] })).rejects.toMatchObject({ code: 'UNKNOWN_SPACE' });
    expect(remote.actions).toEqual(local.actions);
  } finally {
    await local.close();
    await remote.close();
  }
});

test('a fork keeps the extra reward spaces where they were', async () => {
  const env = await make('llvm-v0', { pool });
  await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
  await env.multistep(['mem2reg'], { rewardSpaces: ['IrInstructionCount'] });
  const fork = await env.fork();
  const [a, b] = [await env.multistep(['instcombine'], { rewardSpaces: ['IrInstructionCount'] }), await fork.multistep(['instcombine'], { rewardSpaces: ['IrInstructionCount'] })];
  expect(b.rewards).toEqual(a.rewards);
  expect(a.rewards!.IrInstructionCount).toBeGreaterThan(0);
  await fork.close();
  await env.close();
});

test('timeoutSeconds cuts a step off as a StepTimeout and keeps the state, locally and remotely', async () => {
  for (const env of [await make('llvm-v0', { pool, actionSpace: 'PassesWithLevels' }), await make('llvm-v0', { endpoint: server.endpoint, actionSpace: 'PassesWithLevels' })]) {
    try {
      await env.reset({ benchmark: 'benchmark://embedded-v0/matmul' });
      await env.step('mem2reg');
      const before = await env.observe('IrSha1');
      // default<O3> on matmul takes far longer than 1 ms (an agent's budget with 1 ms left).
      const cut = await env.multistep(['default<O3>'], { timeoutSeconds: 0.001 });
      expect(cut.info.error_type).toBe('StepTimeout');
      expect(cut.info.error_details).toMatch(/ran longer than 1 ms/);
      expect(await env.observe('IrSha1')).toBe(before);
      expect(env.actions).toHaveLength(1);
      const ok = await env.multistep(['default<O3>'], { timeoutSeconds: 60 });
      expect(ok.info.error_type).toBeUndefined();
      expect(env.actions).toHaveLength(2);
      await expect(env.multistep(['mem2reg'], { timeoutSeconds: -1 })).rejects.toMatchObject({ code: 'INVALID_VALUE', message: expect.stringMatching(/timeoutSeconds must be a number of seconds > 0, got -1/) });
    } finally {
      await env.close();
    }
  }
});

test('InstCountNormDict is InstCountNorm keyed <Name>Density, the same locally and over the wire', async () => {
  const local = await make('llvm-v0', { pool });
  const remote = await make('llvm-v0', { endpoint: server.endpoint });
  try {
    for (const env of [local, remote]) await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
    const norm = (await local.observe('InstCountNorm')) as number[];
    const dict = (await local.observe('InstCountNormDict')) as Record<string, number>;
    expect(Object.keys(dict)).toHaveLength(69);
    expect(Object.keys(dict)[0]).toBe('TotalBlocksDensity');
    expect(dict.LoadDensity).toBe(norm[INSTCOUNT_NAMES.indexOf('Load') - 1]);
    expect(dict.LoadDensity).toBeGreaterThan(0);
    const overWire = (await remote.observe('InstCountNormDict')) as Record<string, number>;
    for (const [k, v] of Object.entries(dict)) expect(overWire[k]).toBeCloseTo(v, 6);
  } finally {
    await local.close();
    await remote.close();
  }
});

test('observe([names]) answers several spaces at once, as observe(name) does one by one, locally and remotely', async () => {
  const local = await make('llvm-v0', { pool });
  const remote = await make('llvm-v0', { endpoint: server.endpoint });
  try {
    const names = ['IrInstructionCount', 'Autophase', 'IrSha1', 'InstCountNormDict', 'IrInstructionCountOz'];
    for (const env of [local, remote]) {
      await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
      await env.step('mem2reg');
      const many = await env.observe(names);
      expect(Object.keys(many).sort()).toEqual([...names].sort());
      for (const n of names) expect(many[n]).toEqual(await env.observe(n));
      expect(await env.observe([])).toEqual({});
      await expect(env.observe(['IrSha1', 'NoSuchSpace'])).rejects.toMatchObject({ code: 'UNKNOWN_SPACE' });
    }
    expect(await remote.observe(names)).toEqual(await local.observe(names));
  } finally {
    await local.close();
    await remote.close();
  }
});
