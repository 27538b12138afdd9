import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

// A private cache: this file alters a recorded reference.
process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-cache-'));

import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { resolveBenchmark } from '../../env/benchmarks';
import { datasetDir } from '../../env/datasets/install';
import { statesToCsv } from '../../env/state';
import type { DatasetManifest } from '../../env/datasets/types';
import { tempDir } from '../helpers';
import { runtimeMedian } from '../../env/rewards';

afterAll(() => fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true }));

const pool = new WorkerPool({ maxWorkers: 2 });
afterAll(() => pool.close());

describe('runtime observations and reward', () => {
  test('a runnable benchmark has IsRunnable, a Runtime in seconds and a Buildtime', async () => {
    const env = await make('llvm-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    expect(await env.observe('IsRunnable')).toBe(true);
    await env.setParameter('runtime_observation_count', 3);
    await env.setParameter('llvm.set_warmup_runs_count_per_runtime_observation', '1');
    // One value per measured run (3), after the warm-up run; the reward's estimate is their median.
    const runs = (await env.observe('Runtime')) as number[];
    expect(runs).toHaveLength(3);
    for (const t of runs) {
      expect(t).toBeGreaterThan(0.001);
      expect(t).toBeLessThan(30);
    }
    expect(runtimeMedian(runs)).toBe([...runs].sort((a, b) => a - b)[1]);
    expect(await env.observe('Buildtime')).toBeGreaterThan(0);
    await expect(env.setParameter('runtime_observation_count', 0)).rejects.toThrow(/decimal whole number in 1\.\.100, got 0/);
    await expect(env.setParameter('bogus', 1)).rejects.toThrow(/unknown parameter 'bogus'; valid: runtime_observation_count/);
    // Only the documented names, and only decimal digits within the bounds.
    for (const name of ['__proto__', 'constructor', 'toString', 'llvm.set_runtime_observation_count']) {
      await expect(env.setParameter(name, 1)).rejects.toMatchObject({ code: 'UNKNOWN_PARAMETER' });
    }
    for (const value of ['1e3', '0x10', ' 3 ', '-1', '3.0', '', '101', 1.5]) {
      await expect(env.setParameter('runtime_observation_count', value)).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    }
    await env.setParameter('llvm.set_runtimes_per_observation_count', '2');
    await env.close();
  });

  test('the Runtime reward is the drop in runtime; -O3 makes a compute-bound program faster', async () => {
    const env = await make('llvm-v0', { pool, rewardSpace: 'Runtime', actionSpace: 'PassesWithLevels' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/matmul' });
    await env.setParameter('runtime_observation_count', 3);
    const r = await env.step('default<O3>');
    expect(r.info.error_type).toBeUndefined();
    expect(r.reward).toBeGreaterThan(0);
    await env.close();
  });

  test('a benchmark without a run command is not runnable, and Runtime says why', async () => {
    const env = await make('llvm-v0', { pool });
    await env.reset({ benchmark: 'generator://llvm-stress-v0/3' });
    expect(await env.observe('IsRunnable')).toBe(false);
    await expect(env.observe('Runtime')).rejects.toThrow(/not runnable/);
    await env.close();
  });
});

describe('semantic validation', () => {
  test('validate() builds and runs the state and compares it with the -O0 reference', async () => {
    const env = await make('llvm-ic-v0', { pool, actionSpace: 'PassesWithLevels' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/sha256' });
    await env.multistep(['mem2reg', 'default<Oz>', 'gvn']);
    const result = await env.validate();
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, rewardValidated: true, semanticsValidated: true });
    await env.close();
  });

  test('validate() catches a program whose output differs from the recorded reference', async () => {
    await resolveBenchmark('benchmark://embedded-v0/bitcount');
    const file = path.join(datasetDir('embedded-v0'), 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetManifest;
    const entry = manifest.entries.find((e) => e.id === 'bitcount')!;
    entry.run!.reference.outputSha256 = '0'.repeat(64);
    fs.writeFileSync(file, JSON.stringify(manifest));
    const env = await make('llvm-ic-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/bitcount' });
    await env.step('instcombine');
    const result = await env.validate();
    expect(result.ok).toBe(false);
    expect(result.rewardValidated).toBe(true);
    expect(result.semanticsValidated).toBe(true);
    expect(result.error?.type).toBe('Miscompilation');
    expect(result.error?.details).toMatch(/output differs/);
    await env.close();
  });

  test('passgym validate STATES.csv checks every state and exits 1 on a failure', async () => {
    const env = await make('llvm-ic-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    await env.multistep(['sroa', 'instcombine']);
    const good = env.state;
    await env.close();
    const dir = tempDir();
    const csv = path.join(dir, 'states.csv');
    fs.writeFileSync(csv, statesToCsv([good, { ...good, reward: (good.reward as number) + 1 }]));
    const cli = path.resolve(__dirname, '..', '..', 'scripts', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'validate', csv, '--json'], { encoding: 'utf8', env: process.env });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.ok)).toEqual([true, false]);
    expect(lines[1].error.type).toBe('RewardMismatch');
    expect(r.status).toBe(1);
    expect(() => execFileSync(process.execPath, [cli, 'validate', path.join(dir, 'missing.csv')], { stdio: 'pipe' })).toThrow(/no such file/);
  });
});
