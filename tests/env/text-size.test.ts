/**
 * TextSizeBytes{,O0,O3,Oz} and the TextSize rewards (CompilerGym's .text of the linked binary):
 * the ELF reader agrees with binutils' `size -A`, the baselines and rewards follow CompilerGym's
 * formulas, and a benchmark that cannot be linked says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { sectionBytes } from '../../env/llvm/elf';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { REWARD_SPACES } from '../../env/rewards';
import { tempDir } from '../helpers';

const pool = new WorkerPool({ maxWorkers: 1 });
afterAll(() => pool.close());

test('the .text of an executable, read from its section headers, is what size -A reports', () => {
  const dir = tempDir();
  const exe = path.join(dir, 'qsort');
  execFileSync('cc', ['-O0', '-w', path.resolve(__dirname, '..', '..', '..', 'datasets', 'embedded', 'qsort.c'), '-o', exe, '-lm']);
  const line = execFileSync('size', ['-A', exe], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('.text '))!;
  const expected = Number(line.trim().split(/\s+/)[1]);
  expect(expected).toBeGreaterThan(0);
  expect(sectionBytes(fs.readFileSync(exe), '.text')).toBe(expected);
  expect(sectionBytes(fs.readFileSync(exe), '.no-such-section')).toBe(0);
});

test('TextSize observations and rewards: O0 is the start, O3/Oz are baselines, rewards follow the formulas', async () => {
  expect(['TextSizeBytes', 'TextSizeNorm', 'TextSizeO3', 'TextSizeOz'].every((n) => REWARD_SPACES.has(n))).toBe(true);
  const env = await make('llvm-v0', { pool, rewardSpace: 'TextSizeOz' });
  try {
    await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
    const o0 = (await env.observe('TextSizeO0')) as number;
    const oz = (await env.observe('TextSizeOz')) as number;
    expect(await env.observe('TextSizeBytes')).toBe(o0);
    expect(oz).toBeLessThan(o0);
    expect(await env.observe('TextSizeO3')).toBeGreaterThan(0);
    const r = await env.multistep(['mem2reg', 'instcombine', 'simplifycfg'], { rewardSpaces: ['TextSizeBytes', 'TextSizeNorm'] });
    const now = (await env.observe('TextSizeBytes')) as number;
    expect(now).toBeLessThan(o0);
    expect(r.reward).toBeCloseTo((o0 - now) / Math.max(o0 - oz, 1), 12);
    expect(r.rewards).toEqual({ TextSizeBytes: o0 - now, TextSizeNorm: (o0 - now) / o0 });
  } finally {
    await env.close();
  }
});

test('TextSizeBytes of a benchmark that cannot be linked is NOT_RUNNABLE, and the session goes on', async () => {
  const env = await make('llvm-v0', { pool });
  try {
    await env.reset({ benchmark: 'generator://llvm-stress-v0/3' });
    await expect(env.observe('TextSizeBytes')).rejects.toMatchObject({ code: 'NOT_RUNNABLE', message: expect.stringMatching(/is not runnable/) });
    expect((await env.step('mem2reg')).info.error_type).toBeUndefined();
  } finally {
    await env.close();
  }
});
