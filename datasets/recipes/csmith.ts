/**
 * `generator://csmith-v0/SEED`: one random C program per seed from Csmith (Debian's `csmith`
 * 2.3.0, with the runtime headers of `libcsmith-dev` in /usr/include/csmith), compiled to -O0
 * bitcode. Csmith programs are free of undefined behaviour and print a checksum of their
 * globals, so a terminating one is runnable and compared on stdout plus exit status.
 *
 * About one program in twenty (5 of seeds 200..259 and 300..339 with the options below) runs past
 * the timeout, typically for minutes or forever (seeds 223 and 224 ran past 120 s at -O0 and past
 * 60 s at -O2); such a seed still becomes a benchmark, without a
 * run (the manifest keeps the installer's `run` failure as the reason). Generating a seed takes
 * about 0.3 s, or twice the run timeout for such a program (the installer runs it twice).
 */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { compileToBitcode } from '../../env/datasets/build';
import { MissingToolError, PassGymError, UnknownBenchmarkError } from '../../env/errors';
import type { GeneratorRecipe, RunSpec } from '../../env/datasets/types';

/**
 * Csmith options beyond `--seed`. CompilerGym used Csmith's defaults (up to 10 functions, blocks
 * nested 5 deep: about 1,600 lines, 1 s to generate, and 8 of 40 programs ran past 5 s);
 * `--max-funcs 5 --max-block-depth 3` keeps every language feature but gives programs of about
 * 600 lines (100 to 8,500 IR instructions at -O0, median about 2,000), generated in 0.1 s, that
 * mostly run in under 0.1 s.
 */
export const CSMITH_OPTIONS = ['--max-funcs', '5', '--max-block-depth', '3'];

/** Include folder of Csmith's runtime headers (`csmith.h`), from `libcsmith-dev`. */
export const CSMITH_INCLUDE = '/usr/include/csmith';

/**
 * The run of a Csmith program: no arguments (so only the final `checksum = …` line is printed).
 * Terminating programs take well under 0.1 s at -O0, the others loop far longer, so 3 s separates them.
 */
export const CSMITH_RUN: RunSpec = { args: [], inputs: {}, linkArgs: [], stdin: null, timeoutSeconds: 3, compare: 'stdout-and-status', outputFiles: [] };

/** Largest seed: Csmith's seeds are 32-bit unsigned. */
const MAX_SEED = 2 ** 32 - 1;

/** Csmith gets this long to write one program (it takes well under a second). */
const GENERATE_TIMEOUT_MS = 60_000;

/**
 * Runs `csmith --seed SEED` with `CSMITH_OPTIONS`, writing `out`.
 * @throws MissingToolError when csmith is not installed; PassGymError (BENCHMARK_BUILD_FAILED)
 *   when it fails or runs past 60 s.
 */
export function runCsmith(seed: number, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('csmith', ['--seed', String(seed), ...CSMITH_OPTIONS, '--output', out], { timeout: GENERATE_TIMEOUT_MS, killSignal: 'SIGKILL' }, (e, _stdout, stderr) => {
      if (!e) resolve();
      else if ((e as NodeJS.ErrnoException).code === 'ENOENT') reject(new MissingToolError('csmith', 'csmith libcsmith-dev'));
      else if (e.killed) reject(new PassGymError('BENCHMARK_BUILD_FAILED', `csmith --seed ${seed} ran past ${GENERATE_TIMEOUT_MS / 1000} s`));
      else reject(new PassGymError('BENCHMARK_BUILD_FAILED', `csmith --seed ${seed} failed: ${String(stderr || e.message).trim()}`));
    });
  });
}

export const csmithGenerator: GeneratorRecipe = {
  name: 'csmith-v0',
  description: `Random C programs from Csmith 2.3.0 (${CSMITH_OPTIONS.join(' ')}), printing a checksum; one per seed`,
  license: 'BSD-2-Clause (Csmith and its runtime headers)',
  runnable: true,
  debianPackages: ['csmith', 'libcsmith-dev'],
  maxSeed: MAX_SEED,
  /**
   * Generates, compiles and adds the benchmark `String(seed)` (bitcode `SEED.bc` in `ctx.dir`).
   * A program that does not finish within `CSMITH_RUN.timeoutSeconds` (or otherwise fails its
   * reference runs) is added without a run; one that csmith or clang fails on is `ctx.fail`ed.
   * @throws UnknownBenchmarkError for a seed that is not an integer in 0..2^32-1.
   */
  async generate(seed, ctx) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new UnknownBenchmarkError(`generator://csmith-v0/${seed}: the seed must be an integer from 0 to ${MAX_SEED}`);
    }
    const id = String(seed);
    const source = path.join(ctx.work, `${id}.c`);
    const bitcode = path.join(ctx.dir, `${id}.bc`);
    ctx.progress(0, 3, 'csmith');
    try {
      await runCsmith(seed, source);
    } catch (e) {
      if (e instanceof MissingToolError) throw e;
      ctx.fail(id, 'generate', (e as Error).message);
      return;
    }
    ctx.progress(1, 3, 'compile');
    try {
      compileToBitcode(ctx.llvm, `${id}.c`, bitcode, ['-I', CSMITH_INCLUDE, '-w'], ctx.work);
    } catch (e) {
      ctx.fail(id, 'compile', (e as Error).message);
      return;
    }
    ctx.progress(2, 3, 'reference run');
    // A failed reference run (e.g. past the timeout) leaves a benchmark that cannot be validated
    // by running it; it is still a program to optimize. Ids register only on success, so this
    // second add is allowed.
    if (!(await ctx.add(id, bitcode, CSMITH_RUN))) await ctx.add(id, bitcode);
    ctx.progress(3, 3);
  },
};
