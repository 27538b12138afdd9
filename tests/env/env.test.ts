import fs from 'node:fs';
import path from 'node:path';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { OBSERVATION_SPACES, INSTCOUNT_NAMES, AUTOPHASE_NAMES } from '../../env/observations';
import { REWARD_SPACES } from '../../env/rewards';
import { parseStatesCsv, statesEqual, statesToCsv } from '../../env/state';
import { EpisodeStateError, InvalidIrError, UnknownActionError, UnknownBenchmarkError, UnknownSpaceError } from '../../env/errors';
import { resolveBenchmark } from '../../env/benchmarks';
import { countIrInstructions, runStockOpt, tempDir } from '../helpers';

const pool = new WorkerPool({ maxWorkers: 2 });
afterAll(() => pool.close());

describe('spaces match CompilerGym names and shapes', () => {
  test('observation spaces', () => {
    const expected = ['Ir', 'IrSha1', 'Bitcode', 'InstCount', 'InstCountDict', 'InstCountNorm', 'InstCountNormDict', 'Autophase', 'AutophaseDict',
      'IrInstructionCount', 'IrInstructionCountO0', 'IrInstructionCountO3', 'IrInstructionCountOz', 'ObjectTextSizeBytes',
      'ObjectTextSizeO0', 'ObjectTextSizeO3', 'ObjectTextSizeOz', 'TextSizeBytes', 'TextSizeO0', 'TextSizeO3', 'TextSizeOz',
      'IsBuildable', 'IsRunnable', 'Runtime', 'Buildtime', 'BitcodeFile', 'Programl', 'ProgramlJson', 'LexedIr', 'LexedIrTuple', 'CpuInfo',
      'Inst2vecPreprocessedText', 'Inst2vecEmbeddingIndices', 'Inst2vec'];
    expect([...OBSERVATION_SPACES.keys()].sort()).toEqual(expected.sort());
    expect(OBSERVATION_SPACES.get('InstCount')!.space.describe()).toMatchObject({ shape: [70], dtype: 'int64' });
    expect(OBSERVATION_SPACES.get('InstCountNorm')!.space.describe()).toMatchObject({ shape: [69], dtype: 'float32' });
    expect(OBSERVATION_SPACES.get('Autophase')!.space.describe()).toMatchObject({ shape: [56], dtype: 'int64' });
    expect(INSTCOUNT_NAMES[0]).toBe('TotalInsts');
    expect(INSTCOUNT_NAMES.at(-1)).toBe('Freeze');
    expect(AUTOPHASE_NAMES[0]).toBe('BBNumArgsHi');
    expect(AUTOPHASE_NAMES.at(-1)).toBe('testUnary');
  });

  test('reward spaces', () => {
    expect([...REWARD_SPACES.keys()].sort()).toEqual(
      ['IrInstructionCount', 'IrInstructionCountNorm', 'IrInstructionCountO3', 'IrInstructionCountOz', 'ObjectTextSizeBytes',
        'ObjectTextSizeNorm', 'ObjectTextSizeO3', 'ObjectTextSizeOz', 'TextSizeBytes', 'TextSizeNorm', 'TextSizeO3', 'TextSizeOz',
        'Runtime'].sort(),
    );
  });

  test('every observation value is in its space', async () => {
    const env = await make('llvm-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    await env.step('mem2reg');
    for (const [name, spec] of OBSERVATION_SPACES) {
      const value = await env.observe(name);
      expect([name, spec.space.contains(value)]).toEqual([name, true]);
    }
    await env.close();
  });
});

describe('LlvmEnv', () => {
  test.each([
    ['benchmark://embedded-v0/dijkstra', 3],
    ['benchmark://embedded-v0/matmul', 4],
    ['benchmark://embedded-v0/adpcm', 5],
    ['generator://llvm-stress-v0/11', 6],
  ])('IrInstructionCount after a commandline equals stock opt plus a count of the printed IR (%s)', async (benchmark, seed) => {
    const env = await make('llvm-v0', { pool });
    await env.reset({ benchmark, seed });
    for (let k = 0; k < 40; k++) await env.step(env.actionSpace.sample(env.rng));
    const count = (await env.observe('IrInstructionCount')) as number;
    const stock = runStockOpt(env.commandline(), (await resolveBenchmark(env.benchmark)).path);
    expect(count).toBe(countIrInstructions(stock));
    await env.close();
  });

  test('on llvm-ic-v0 with PassesWithLevels, the single action default<Oz> gives an episode reward of 1.0', async () => {
    const env = await make('llvm-ic-v0', { pool, actionSpace: 'PassesWithLevels' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
    const r = await env.step('default<Oz>');
    expect(Math.abs((env.episodeReward as number) - 1.0)).toBeLessThanOrEqual(1e-9);
    expect(r.reward).toBeCloseTo(1.0, 9);
    await env.close();
  });

  test('fork gives independent sessions', async () => {
    const env = await make('llvm-v0', { pool, rewardSpace: 'IrInstructionCount' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/sha256' });
    await env.step('mem2reg');
    const copy = await env.fork();
    const before = (await env.observe('IrInstructionCount')) as number;
    expect(await copy.observe('IrInstructionCount')).toBe(before);
    await copy.step('instcombine');
    await copy.step('gvn');
    expect(await env.observe('IrInstructionCount')).toBe(before);
    expect(await copy.observe('IrInstructionCount')).toBeLessThan(before);
    expect(copy.actions).toHaveLength(3);
    expect(env.actions).toHaveLength(1);
    await copy.close();
    await env.close();
  });

  test('state CSV as CompilerGym reads it: any column order, optional header, empty reward and walltime', () => {
    const cl = 'opt -mem2reg input.bc -o output.bc';
    const reordered = parseStatesCsv(`Commandline,Walltime,Benchmark,Reward\n${cl},3.5,benchmark://embedded-v0/qsort,0.25\n`);
    expect(reordered).toEqual([{ benchmark: 'benchmark://embedded-v0/qsort', reward: 0.25, walltime: 3.5, commandline: cl }]);
    const headerless = parseStatesCsv(`benchmark://embedded-v0/crc32,,,${cl}\n`);
    expect(headerless).toEqual([{ benchmark: 'benchmark://embedded-v0/crc32', reward: null, walltime: 0, commandline: cl }]);
    expect(() => parseStatesCsv(`benchmark,reward,walltime,commandline\nb,x,1,${cl}\n`)).toThrow(/line 2: reward 'x' is not a number/);
    // Equality: rewards within 1e-5, a missing reward matches any, wall time ignored.
    const a = reordered[0];
    expect(statesEqual(a, { ...a, reward: 0.25 + 5e-6, walltime: 99 })).toBe(true);
    expect(statesEqual(a, { ...a, reward: 0.25 + 2e-5 })).toBe(false);
    expect(statesEqual(a, { ...a, reward: null })).toBe(true);
    expect(statesEqual(a, { ...a, commandline: 'opt input.bc -o output.bc' })).toBe(false);
  });

  test('state CSV round-trips and validate() reproduces the reward', async () => {
    const env = await make('llvm-ic-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/bitcount' });
    await env.multistep(['sroa', 'instcombine', 'simplifycfg']);
    const state = env.state;
    const [back] = parseStatesCsv(statesToCsv([state]));
    expect(statesEqual(back, state)).toBe(true);
    expect(back.commandline).toBe(state.commandline);
    const ok = await env.validate(back);
    expect(ok.ok).toBe(true);
    expect(ok.rewardValidated).toBe(true);
    const bad = await env.validate({ ...back, reward: (back.reward as number) + 0.5 });
    expect(bad.ok).toBe(false);
    expect(bad.error?.type).toBe('RewardMismatch');
    // CompilerGym's flags: the reward was checked, and the check failed.
    expect(bad).toMatchObject({ rewardValidated: true, rewardValidationFailed: true, semanticsValidationFailed: false });
    expect(ok).toMatchObject({ rewardValidationFailed: false, semanticsValidated: true, semanticsValidationFailed: false });
    await env.close();
  });

  test('CompilerGym legacy commandlines replay', async () => {
    const env = await make('llvm-ic-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/adpcm' });
    await env.multistep(['-mem2reg', '-early-cse-memssa', '-licm']);
    const result = await env.validate({
      benchmark: env.benchmark,
      reward: env.episodeReward,
      walltime: 0,
      commandline: 'opt -mem2reg -early-cse-memssa -licm input.bc -o output.bc',
    });
    expect(result.ok).toBe(true);
    await env.close();
  });
});

describe('bad input gets an error naming what was wrong and what is valid', () => {
  test('unknown benchmark lists the valid ids', async () => {
    const env = await make('llvm-v0', { pool });
    await expect(env.reset({ benchmark: 'benchmark://embedded-v0/nope' })).rejects.toThrow(UnknownBenchmarkError);
    await expect(env.reset({ benchmark: 'benchmark://embedded-v0/nope' })).rejects.toThrow(/valid: .*qsort/);
    await expect(env.reset({ benchmark: 'file:///does/not/exist.ll' })).rejects.toThrow(/no such file/);
    await expect(env.reset({ benchmark: 'generator://llvm-stress-v0/x' })).rejects.toThrow(/seed/);
    await env.close();
  });

  test('invalid IR is rejected with LLVM\'s message, and the pool keeps serving', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.ll');
    fs.writeFileSync(file, 'define i32 @f() {\n  ret i64 0\n}\n');
    const env = await make('llvm-v0', { pool });
    await expect(env.reset({ benchmark: `file://${file}` })).rejects.toThrow(InvalidIrError);
    await env.reset({ benchmark: 'generator://llvm-stress-v0/5' });
    expect(await env.observe('IrInstructionCount')).toBeGreaterThan(0);
    await env.close();
  });

  test('unknown action index or name', async () => {
    const env = await make('llvm-v0', { pool });
    await env.reset();
    await expect(env.step(10_000)).rejects.toThrow(UnknownActionError);
    await expect(env.step(10_000)).rejects.toThrow(/0\.\.\d+/);
    await expect(env.step('not-a-pass')).rejects.toThrow(/unknown action 'not-a-pass'/);
    await expect(env.step('-prune-eh')).rejects.toThrow(/has no action/);
    // Every name of an action selects it: a flag with or without its dash, and each spelling.
    const licm = env.actionSpace.index('function(loop-mssa(licm))');
    expect([env.actionSpace.index('-licm'), env.actionSpace.index('licm')]).toEqual([licm, licm]);
    const instcombine = env.actionSpace.index('-instcombine');
    expect(['instcombine', 'instcombine<no-verify-fixpoint>'].filter((n) => env.actionSpace.names.includes(n))).toHaveLength(1);
    expect(env.actionSpace.index('instcombine<no-verify-fixpoint>')).toBe(instcombine);
    expect(env.actionSpace.index('instcombine')).toBe(instcombine);
    expect(env.actionSpace.index('flattencfg')).toBe(env.actionSpace.index('flatten-cfg'));
    expect(env.actionSpace.aliases(instcombine).sort()).toEqual(
      ['-instcombine', 'instcombine', 'instcombine<no-verify-fixpoint>'].filter((n) => n !== env.actionSpace.names[instcombine]).sort(),
    );
    await env.close();
  });

  test('unknown observation space, reward space and env id', async () => {
    await expect(make('llvm-nope-v0', { pool })).rejects.toThrow(UnknownSpaceError);
    await expect(make('llvm-v0', { pool, rewardSpace: 'Nope' })).rejects.toThrow(/valid: IrInstructionCount/);
    const env = await make('llvm-v0', { pool });
    await env.reset();
    await expect(env.observe('Nope')).rejects.toThrow(/unknown observation space 'Nope'; valid: Ir/);
    await env.close();
  });

  test('a step before reset or after the episode ended', async () => {
    const env = await make('llvm-v0', { pool });
    await expect(env.step(0)).rejects.toThrow(EpisodeStateError);
    await env.reset();
    env.endEpisode();
    await expect(env.step(0)).rejects.toThrow(/episode has ended/);
    await env.reset();
    await env.step(0);
    await env.close();
  });
});
