import { ActionLike, Env, Wrapper } from '../../env/core';
import { InvalidValueError, PassGymError } from '../../env/errors';
import type { ObservationValue } from '../../env/observations';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import type { CompilerEnvState } from '../../env/state';
import type { ValidationResult } from '../../env/validation';
import {
  ActionWrapper,
  BenchmarksExhaustedError,
  CommandlineWithTerminalAction,
  ConstrainedCommandline,
  Counter,
  CycleOverBenchmarks,
  ForkOnStep,
  IterateOverBenchmarks,
  ObservationWrapper,
  RandomOrderBenchmarks,
  RewardWrapper,
  RuntimePointEstimateReward,
  TimeLimit,
  ValidateBenchmarkAfterEveryStep,
} from '../../env/wrappers';

const CRC32 = 'benchmark://embedded-v0/crc32';
const BITCOUNT = 'benchmark://embedded-v0/bitcount';

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
    await expect(env.step(10_000)).rejects.toThrow(/out of range/); // a step that throws leaves the stack as it was
    expect(env.depth).toBe(0);
    await env.close();
  });

  test('the fork of every wrapper is wrapped the same way, with its own position', async () => {
    const list = [CRC32, BITCOUNT];
    const cycle = new CycleOverBenchmarks(await make('llvm-v0', { pool }), list);
    await cycle.reset();
    const cycleFork = await cycle.fork();
    expect(cycleFork).toBeInstanceOf(CycleOverBenchmarks);
    await cycleFork.reset();
    expect(cycleFork.benchmark).toBe(BITCOUNT);
    await cycleFork.reset();
    expect(cycleFork.benchmark).toBe(CRC32);
    await cycle.reset(); // the original's position did not move with the fork's
    expect(cycle.benchmark).toBe(BITCOUNT);
    await Promise.all([cycle.close(), cycleFork.close()]);

    const random = new RandomOrderBenchmarks(await make('llvm-v0', { pool }), list, 3);
    await random.reset();
    const randomFork = await random.fork();
    expect(randomFork).toBeInstanceOf(RandomOrderBenchmarks);
    const draws = async (env: Env) => {
      const seen: string[] = [];
      for (let k = 0; k < 6; k++) {
        await env.reset();
        seen.push(env.benchmark);
      }
      return seen;
    };
    expect(await draws(randomFork)).toEqual(await draws(random)); // a copy of the RNG, not a reseed
    await Promise.all([random.close(), randomFork.close()]);

    const limited = new TimeLimit(await make('llvm-ic-v0', { pool }), 2);
    await limited.reset({ benchmark: CRC32 });
    await limited.step('mem2reg');
    const limitedFork = await limited.fork();
    expect(limitedFork).toBeInstanceOf(TimeLimit);
    expect((await limitedFork.step('gvn')).truncated).toBe(true);
    await Promise.all([limited.close(), limitedFork.close()]);

    const constrained = new ConstrainedCommandline(new CommandlineWithTerminalAction(await make('llvm-ic-v0', { pool })), ['gvn', 'end-of-episode']);
    await constrained.reset({ benchmark: CRC32 });
    const constrainedFork = await constrained.fork();
    expect(constrainedFork).toBeInstanceOf(ConstrainedCommandline);
    expect((constrainedFork as ConstrainedCommandline).env).toBeInstanceOf(CommandlineWithTerminalAction);
    expect(constrainedFork.actionSpace.names).toEqual(['gvn', 'end-of-episode']);
    expect((await constrainedFork.step(1)).terminated).toBe(true);
    expect(constrained.episodeEnded).toBe(false);
    await Promise.all([constrained.close(), constrainedFork.close()]);

    const undoable = new ForkOnStep(await make('llvm-ic-v0', { pool }));
    await undoable.reset({ benchmark: CRC32 });
    await undoable.step('mem2reg');
    const undoableFork = (await undoable.fork()) as ForkOnStep;
    expect(undoableFork).toBeInstanceOf(ForkOnStep);
    expect(undoableFork.depth).toBe(0);
    expect(undoableFork.actions).toHaveLength(1);
    await undoableFork.step('gvn');
    await undoableFork.undo();
    expect(undoableFork.actions).toHaveLength(1);
    expect(undoable.depth).toBe(1);
    await Promise.all([undoable.close(), undoableFork.close()]);
  });

  test('IterateOverBenchmarks takes each benchmark once, then throws BENCHMARKS_EXHAUSTED', async () => {
    function* uris() {
      yield CRC32;
      yield BITCOUNT;
    }
    const env = new IterateOverBenchmarks(await make('llvm-v0', { pool }), uris());
    expect((await env.reset()).info.benchmark).toBe(CRC32);
    const fork = await env.fork();
    expect(fork).toBeInstanceOf(IterateOverBenchmarks);
    await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' }); // named: does not advance
    await env.reset();
    expect(env.benchmark).toBe(BITCOUNT);
    const error = await env.reset().catch((e) => e);
    expect(error).toBeInstanceOf(BenchmarksExhaustedError);
    expect(error).toBeInstanceOf(PassGymError);
    expect(error.code).toBe('BENCHMARKS_EXHAUSTED');
    // The fork advances on its own copy of the sequence.
    await fork.reset();
    expect(fork.benchmark).toBe(BITCOUNT);
    await expect(fork.reset()).rejects.toThrow(BenchmarksExhaustedError);
    await Promise.all([env.close(), fork.close()]);
  });

  test('Counter counts reset, step, fork and close; a fork has its own counts', async () => {
    const env = new Counter(await make('llvm-ic-v0', { pool }));
    expect(env.counters).toEqual({ close: 0, reset: 0, step: 0, fork: 0 });
    await env.reset({ benchmark: CRC32 });
    await env.step('mem2reg');
    await env.multistep(['instcombine', 'gvn']);
    const fork = (await env.fork()) as Counter;
    expect(fork).toBeInstanceOf(Counter);
    expect(fork.counters).toEqual({ close: 0, reset: 0, step: 0, fork: 0 });
    await fork.step('dce');
    await fork.close();
    expect(fork.counters).toEqual({ close: 1, reset: 0, step: 1, fork: 0 });
    await env.reset();
    expect(env.counters).toEqual({ close: 0, reset: 2, step: 2, fork: 1 }); // reset does not clear them
    await env.close();
    expect(env.counters.close).toBe(1);
  });

  test('RuntimePointEstimateReward rewards the decrease of the Runtime estimate', async () => {
    expect(() => new RuntimePointEstimateReward(null as unknown as Env, 1000)).toThrow(InvalidValueError);
    expect(() => new RuntimePointEstimateReward(null as unknown as Env, 3, 11)).toThrow(/0\.\.10/);
    const inner = await make('llvm-ic-v0', { pool });
    const env = new RuntimePointEstimateReward(inner, 3, 1);
    expect(env.rewardSpaceName).toBe('Runtime');
    expect(inner.rewardSpaceName).toBe('IrInstructionCountOz');
    await env.reset({ benchmark: 'benchmark://embedded-v0/matmul' });
    expect(env.episodeReward).toBe(0);
    const r1 = await env.step('mem2reg');
    const r2 = await env.step('instcombine');
    for (const r of [r1, r2]) {
      expect(typeof r.reward).toBe('number');
      expect(Number.isFinite(r.reward)).toBe(true);
      expect(Math.abs(r.reward!)).toBeLessThan(60);
    }
    expect(env.episodeReward).toBeCloseTo(r1.reward! + r2.reward!, 12);
    expect(env.state.reward).toBe(env.episodeReward);
    expect(inner.episodeReward).not.toBe(env.episodeReward); // the wrapped env keeps its own reward
    const fork = await env.fork();
    expect(fork).toBeInstanceOf(RuntimePointEstimateReward);
    expect(fork.episodeReward).toBe(env.episodeReward);
    expect(typeof (await fork.step('gvn')).reward).toBe('number');
    await Promise.all([env.close(), fork.close()]);
  });

  test('ValidateBenchmarkAfterEveryStep keeps good steps and ends the episode on a failed validation', async () => {
    const env = new ValidateBenchmarkAfterEveryStep(await make('llvm-ic-v0', { pool }));
    expect(env.rewardPenalty).toBe(-1e3);
    await env.reset({ benchmark: CRC32 });
    const ok = await env.step('mem2reg');
    expect(ok.terminated).toBe(false);
    expect(ok.reward).toBeGreaterThan(0);
    expect(ok.info.error_type).toBeUndefined();
    const fork = await env.fork();
    expect(fork).toBeInstanceOf(ValidateBenchmarkAfterEveryStep);
    await Promise.all([env.close(), fork.close()]);

    // A validation that fails, as a miscompiling pass would make it.
    class FailingValidation extends Wrapper {
      seen: CompilerEnvState[] = [];
      override async validate(state?: CompilerEnvState): Promise<ValidationResult> {
        this.seen.push(state!);
        return {
          benchmark: state!.benchmark, ok: false, rewardValidated: false, rewardValidationFailed: false,
          semanticsValidated: true, semanticsValidationFailed: true, expectedReward: null, actualReward: null,
          walltime: 0, error: { type: 'Miscompilation', details: 'output differs' },
        };
      }
    }
    const failing = new FailingValidation(await make('llvm-ic-v0', { pool }));
    const penalized = new ValidateBenchmarkAfterEveryStep(failing, -5);
    await penalized.reset({ benchmark: CRC32 });
    const bad = await penalized.step('mem2reg');
    expect(bad.reward).toBe(-5);
    expect(bad.terminated).toBe(true);
    expect(bad.info.error_type).toBe('Miscompilation');
    expect(bad.info.error_details).toBe('output differs');
    expect((bad.info.validation as ValidationResult).ok).toBe(false);
    expect(failing.seen[0].reward).toBeNull(); // validated without the reward
    expect(failing.seen[0].commandline).toContain('mem2reg');
    await expect(penalized.step('gvn')).rejects.toThrow(/episode has ended/);
    await penalized.close();
  });

  test('ActionWrapper, ObservationWrapper and RewardWrapper transform actions, observations and rewards', async () => {
    class Reversed extends ActionWrapper {
      override action(a: ActionLike) {
        return this.env.actionSpace.n - 1 - this.env.actionSpace.index(a);
      }
    }
    class Doubled extends ObservationWrapper {
      override observation(o: ObservationValue | null) {
        return (o as number) * 2;
      }
    }
    class Negated extends RewardWrapper {
      override reward(r: number) {
        return -r;
      }
    }
    const base = await make('llvm-ic-v0', { pool, observationSpace: 'IrInstructionCount' });
    const env = new Negated(new Doubled(new Reversed(base)));
    const { observation } = await env.reset({ benchmark: CRC32 });
    const count0 = (await env.observe('IrInstructionCount')) as number;
    expect(observation).toBe(2 * count0);
    const k = base.actionSpace.index('mem2reg');
    const step = await env.step(base.actionSpace.n - 1 - k);
    expect(base.actions).toEqual([k]);
    const count1 = (await env.observe('IrInstructionCount')) as number;
    expect(step.observation).toBe(2 * count1);
    expect(step.reward).toBeLessThan(0);
    expect(step.reward).toBeCloseTo(-base.episodeReward!, 12);
    expect(env.episodeReward).toBeCloseTo(step.reward!, 12);
    expect(env.state.reward).toBe(env.episodeReward);
    expect((await env.validate()).ok).toBe(true); // the wrapped env's own state replays
    const fork = await env.fork();
    expect(fork).toBeInstanceOf(Negated);
    expect((fork as Negated).env).toBeInstanceOf(Doubled);
    expect(((fork as Negated).env as Doubled).env).toBeInstanceOf(Reversed);
    expect(fork.episodeReward).toBe(env.episodeReward);
    const again = await fork.step(base.actionSpace.n - 1 - base.actionSpace.index('instcombine'));
    expect(again.reward).toBeLessThanOrEqual(0);
    expect(fork.episodeReward).toBeCloseTo(step.reward! + again.reward!, 12);
    expect(env.episodeReward).toBeCloseTo(step.reward!, 12);
    await Promise.all([env.close(), fork.close()]);
  });
});
