import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import {
  CommandlineWithTerminalAction,
  ConstrainedCommandline,
  CycleOverBenchmarks,
  ForkOnStep,
  RandomOrderBenchmarks,
  TimeLimit,
} from '../../env/wrappers';

const pool = new WorkerPool({ maxWorkers: 2 });
afterAll(() => pool.close());

describe('wrappers', () => {
  test('TimeLimit truncates at the limit and refuses a further step', async () => {
    const env = new TimeLimit(await make('llvm-ic-v0', { pool }), 3);
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    expect((await env.step('mem2reg')).truncated).toBe(false);
    expect((await env.step('instcombine')).truncated).toBe(false);
    expect((await env.step('gvn')).truncated).toBe(true);
    await expect(env.step('dce')).rejects.toThrow(/episode has ended/);
    await env.reset();
    expect((await env.step('dce')).truncated).toBe(false);
    await env.close();
  });

  test('CommandlineWithTerminalAction ends the episode with terminated', async () => {
    const env = new CommandlineWithTerminalAction(await make('llvm-ic-v0', { pool }));
    expect(env.actionSpace.names.at(-1)).toBe('end-of-episode');
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    await env.step('mem2reg');
    const r = await env.step(env.actionSpace.n - 1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(0);
    expect(env.actions).toHaveLength(1);
    await expect(env.step(0)).rejects.toThrow(/episode has ended/);
    await env.close();
  });

  test('ConstrainedCommandline renumbers a subset of actions', async () => {
    const base = await make('llvm-ic-v0', { pool });
    const env = new ConstrainedCommandline(base, ['mem2reg', '-gvn', 'instcombine']);
    expect(env.actionSpace.n).toBe(3);
    // Names are the loaded LLVM's spellings (instcombine<no-verify-fixpoint> from LLVM 18).
    expect(env.actionSpace.names).toEqual(['mem2reg', 'gvn', base.actionSpace.pipeline(base.actionSpace.index('instcombine'))]);
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    await env.step(1);
    expect(env.actions).toEqual([1]);
    expect(env.commandline()).toContain("module(gvn)");
    await expect(env.step(3)).rejects.toThrow(/out of range/);
    await env.close();
  });

  test('CycleOverBenchmarks and RandomOrderBenchmarks choose benchmarks on reset', async () => {
    const list = ['benchmark://embedded-v0/crc32', 'benchmark://embedded-v0/bitcount'];
    const cycle = new CycleOverBenchmarks(await make('llvm-v0', { pool }), list);
    await cycle.reset();
    expect(cycle.benchmark).toBe(list[0]);
    await cycle.reset();
    expect(cycle.benchmark).toBe(list[1]);
    await cycle.reset();
    expect(cycle.benchmark).toBe(list[0]);
    await cycle.close();
    const draws = async (seed: number) => {
      const env = new RandomOrderBenchmarks(await make('llvm-v0', { pool }), list);
      const seen: string[] = [];
      await env.reset({ seed });
      seen.push(env.benchmark);
      for (let k = 0; k < 5; k++) {
        await env.reset();
        seen.push(env.benchmark);
      }
      await env.close();
      return seen;
    };
    const a = await draws(7);
    expect(await draws(7)).toEqual(a);
    expect(new Set(a).size).toBe(2);
  });

  test('ForkOnStep undoes steps', async () => {
    const env = new ForkOnStep(await make('llvm-ic-v0', { pool }));
    await env.reset({ benchmark: 'benchmark://embedded-v0/sha256' });
    const start = await env.observe('IrInstructionCount');
    await env.step('mem2reg');
    const afterOne = await env.observe('IrInstructionCount');
    await env.step('instcombine');
    expect(env.depth).toBe(2);
    await env.undo();
    expect(await env.observe('IrInstructionCount')).toBe(afterOne);
    expect(env.actions).toHaveLength(1);
    await env.undo();
    expect(await env.observe('IrInstructionCount')).toBe(start);
    await expect(env.undo()).rejects.toThrow(/no step to undo/);
    await env.close();
  });
});
