import fs from 'node:fs';
import path from 'node:path';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { LOOP_IR, tempDir } from '../helpers';

const pool = new WorkerPool({ maxWorkers: 2, stepTimeoutMs: 20_000 });
afterAll(() => pool.close());

function waitForExit(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => {
      try {
        process.kill(pid, 0);
        setTimeout(poll, 10);
      } catch {
        resolve();
      }
    };
    poll();
  });
}

describe('sessions live in worker processes that may crash', () => {
  test('a worker killed with SIGKILL mid-episode: the session is replayed to its last good state and the next step works', async () => {
    const env = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' });
    const other = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
    await other.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    await env.multistep(['mem2reg', 'instcombine']);
    await other.step('mem2reg');
    const sha = await env.observe('IrSha1');
    const otherSha = await other.observe('IrSha1');
    const pid = pool.workerPidOf(env.sessionId!);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid);
    // The worker died between requests: its sessions are replayed before anything else runs on it.
    expect(await env.observe('IrSha1')).toBe(sha);
    expect(pool.workerPidOf(env.sessionId!)).not.toBe(pid);
    expect(await other.observe('IrSha1')).toBe(otherSha);
    const r = await env.step('simplifycfg');
    expect(r.info.error_type).toBeUndefined();
    expect(env.actions).toHaveLength(3);
    expect((await other.step('gvn')).info.error_type).toBeUndefined();
    await env.close();
    await other.close();
  });

  test('a pass that aborts LLVM leaves the session at its last good state and the next step works', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'loop.ll');
    fs.writeFileSync(file, LOOP_IR);
    const sid = await pool.startSession(`file://${file}`);
    await pool.step(sid, ['instcombine'], []);
    const before = await pool.observe(sid, ['IrSha1', 'IrInstructionCount']);
    const restarts = pool.restarts;
    // A bare licm (without loop-mssa) asserts MemorySSA and aborts LLVM 14.
    const crash = await pool.step(sid, ['licm'], ['IrInstructionCount']);
    expect(crash.ok).toBe(false);
    if (!crash.ok) {
      expect(crash.errorType).toBe('WorkerCrash');
      expect(crash.errorDetails).toMatch(/licm/);
    }
    expect(pool.restarts).toBe(restarts + 1);
    expect(await pool.observe(sid, ['IrSha1', 'IrInstructionCount'])).toEqual(before);
    const next = await pool.step(sid, ['function(loop-mssa(licm))'], ['IrInstructionCount']);
    expect(next.ok).toBe(true);
    await pool.endSession(sid);
  });

  test('a step that outlives the step timeout is killed and reported, and the session continues', async () => {
    const sid = await pool.startSession('benchmark://embedded-v0/matmul');
    await pool.step(sid, ['mem2reg'], []);
    const before = await pool.observe(sid, ['IrSha1']);
    pool.stepTimeoutMs = 1;
    const r = await pool.step(sid, ['default<O3>'], ['Autophase']);
    pool.stepTimeoutMs = 20_000;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorType).toBe('StepTimeout');
    expect(await pool.observe(sid, ['IrSha1'])).toEqual(before);
    expect((await pool.step(sid, ['instcombine'], [])).ok).toBe(true);
    await pool.endSession(sid);
  });

  test('after a crash, info says whether the replayed state is the last good one (hashed when the history is not deterministic)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'loop.ll');
    fs.writeFileSync(file, LOOP_IR);
    const local = new WorkerPool({ maxWorkers: 1 });
    try {
      const bystander = await make('llvm-v0', { pool: local });
      const sid = await local.startSession(`file://${file}`);
      await bystander.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
      await bystander.step('mem2reg');
      // attributor is declared nondeterministic: from then on the session's states are hashed.
      expect(bystander.actionSpace.metadata[bystander.actionSpace.index('attributor')].deterministic).toBe(false);
      await local.step(sid, ['instcombine', 'attributor'], []);
      const before = (await local.observe(sid, ['IrSha1'])).IrSha1;
      const crash = await local.step(sid, ['licm'], []); // a bare licm aborts LLVM 14, killing the worker
      expect(crash.ok).toBe(false);
      if (crash.ok) return;
      expect(crash.errorType).toBe('WorkerCrash');
      const after = (await local.observe(sid, ['IrSha1'])).IrSha1;
      expect(crash.recovery?.state).toBe(after === before ? 'identical' : 'differs');
      expect(crash.recovery?.details).toContain(String(after));
      // The other session of the dead worker was replayed too; its next step says so.
      const next = await bystander.step('instcombine');
      expect(next.info.error_type).toBeUndefined();
      expect(next.info.recovered_state).toBe('deterministic');
      expect((await bystander.step('gvn')).info.recovered_state).toBeUndefined();
      await bystander.close();
    } finally {
      local.close();
    }
  });
});
