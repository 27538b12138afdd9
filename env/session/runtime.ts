/**
 * Building and running the current state of a runnable benchmark, in the worker: object code
 * from the in-process TargetMachine (`IrModule.emitObject`), linked with the system `cc` and the
 * benchmark's link arguments, run by `datasets/run.ts` (scratch folder, timeout, no network).
 * Gives the Runtime and Buildtime observations and the semantic check of `validate()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { IrModule } from '../llvm/module';
import type { BenchmarkRef } from '../benchmarks';
import { CancelledError, MissingToolError, PassGymError, RuntimeBudgetExceededError } from '../errors';
import { runProgram, RunResult } from '../datasets/run';
import { sectionBytes } from '../llvm/elf';

/** CompilerGym's runtime session parameters. */
export interface RuntimeParameters {
  /** Runs whose median is the Runtime observation (CompilerGym: runtime_observation_count, default 1). */
  runtimeObservationCount: number;
  /** Runs before those, not measured (CompilerGym: runtime_warmup_runs_count, default 0). */
  runtimeWarmupRunsCount: number;
}

export const DEFAULT_RUNTIME_PARAMETERS: RuntimeParameters = { runtimeObservationCount: 1, runtimeWarmupRunsCount: 0 };

/**
 * What bounds one Runtime observation: `budgetSeconds` of runs in all (the pool's
 * `runtimeBudgetSeconds`; `passgym serve --runtime-budget-seconds`), and `signal`, which the
 * session's end aborts.
 */
export interface RuntimeLimits {
  budgetSeconds: number;
  signal?: AbortSignal;
}

/** A built executable in its own temporary folder; `dispose()` removes both. */
interface Built {
  exe: string;
  seconds: number;
  dispose(): void;
}

function runnable(ref: BenchmarkRef): NonNullable<BenchmarkRef['run']> {
  if (!ref.run) throw new PassGymError('NOT_RUNNABLE', `${ref.uri} is not runnable (it has no run command); IsRunnable is false`);
  return ref.run;
}

/**
 * Emits and links the module into an executable (`fresh`: code generation is redone even when
 * the module has an object for its current IR, as Buildtime must time it).
 * @throws PassGymError (BUILD_FAILED) with the linker's message; MissingToolError without `cc`.
 */
export function buildExecutable(module: IrModule, ref: BenchmarkRef, options: { fresh?: boolean } = {}): Built {
  const run = runnable(ref);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-build-'));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  try {
    const obj = path.join(dir, 'state.o');
    fs.writeFileSync(obj, options.fresh ? module.emitObject({ fresh: true }) : module.emitObject());
    const exe = path.join(dir, 'state.exe');
    // The TargetMachine uses the target's default (static) relocation model, as stock llc does,
    // so the object links as a non-PIE executable.
    execFileSync('cc', ['-no-pie', obj, '-o', exe, ...run.linkArgs], { stdio: 'pipe' });
    return { exe, seconds: Number(process.hrtime.bigint() - t0) / 1e9, dispose };
  } catch (e) {
    dispose();
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new MissingToolError('cc (a C compiler and linker)', 'gcc');
    if (e instanceof PassGymError) throw e;
    throw new PassGymError('BUILD_FAILED', `${ref.uri}: linking the current state failed: ${err.stderr?.toString().trim() ?? err.message}`);
  }
}

/**
 * Bytes of the `.text` section of the current state linked into an executable with the
 * benchmark's link arguments (CompilerGym's TextSizeBytes: the .text of the compiled binary, where
 * ObjectTextSizeBytes counts the object file's executable sections).
 * @throws PassGymError NOT_RUNNABLE for a benchmark without a run spec (it cannot be linked);
 *   BUILD_FAILED when linking fails.
 */
export function textSizeBytes(module: IrModule, ref: BenchmarkRef): number {
  const built = buildExecutable(module, ref);
  try {
    return sectionBytes(fs.readFileSync(built.exe), '.text');
  } finally {
    built.dispose();
  }
}

/** Seconds to build the current state (CompilerGym's Buildtime). */
export function buildtime(module: IrModule, ref: BenchmarkRef): number {
  const built = buildExecutable(module, ref, { fresh: true });
  built.dispose();
  return built.seconds;
}

function describeFailure(r: RunResult, timeout: number): string | null {
  if (r.timedOut) return `ran longer than ${timeout} s`;
  if (r.signal) return `died with ${r.signal}${r.stderr ? `: ${r.stderr.trim().slice(-300)}` : ''}`;
  return null;
}

/**
 * Wall times in seconds of `runtimeObservationCount` runs, in the order run, after
 * `runtimeWarmupRunsCount` warm-up runs (CompilerGym's Runtime: one value per run).
 * @throws PassGymError RUN_FAILED when a run crashes or times out; RUNTIME_BUDGET_EXCEEDED when
 *   the runs so far took longer than `limits.budgetSeconds` (no partial list is ever returned);
 *   CANCELLED when `limits.signal` aborted (the running program is killed).
 */
export async function runtime(module: IrModule, ref: BenchmarkRef, params: RuntimeParameters, limits: RuntimeLimits = { budgetSeconds: Infinity }): Promise<number[]> {
  const run = runnable(ref);
  const built = buildExecutable(module, ref);
  const total = params.runtimeWarmupRunsCount + params.runtimeObservationCount;
  const t0 = performance.now();
  try {
    const times: number[] = [];
    for (let k = 0; k < total; k++) {
      const cancelled = () => new CancelledError(`${ref.uri}: the Runtime observation was cancelled after ${k} of ${total} runs (its session ended)`);
      if (limits.signal?.aborted) throw cancelled();
      const spent = (performance.now() - t0) / 1000;
      if (spent > limits.budgetSeconds) {
        throw new RuntimeBudgetExceededError(
          `${ref.uri}: ${k} of ${total} Runtime runs took ${spent.toFixed(1)} s, over the budget of ${limits.budgetSeconds} s per observation; lower runtime_observation_count or runtime_warmup_runs_count`,
        );
      }
      const r = await runProgram(built.exe, run, ref.datasetDir!, limits.signal);
      if (limits.signal?.aborted) throw cancelled();
      const bad = describeFailure(r, run.timeoutSeconds);
      if (bad) throw new PassGymError('RUN_FAILED', `${ref.uri}: the current state ${bad}`);
      if (k >= params.runtimeWarmupRunsCount) times.push(r.seconds);
    }
    return times;
  } finally {
    built.dispose();
  }
}

/** The outcome of a semantic check. */
export interface SemanticsResult {
  ok: boolean;
  /** `Miscompilation` (output or status differs), `RuntimeCrash`, `RuntimeTimeout`, `BuildError`. */
  errorType?: string;
  errorDetails?: string;
}

/**
 * Builds and runs the current state once and compares it with the -O0 reference recorded at
 * install: stdout and output files plus exit status, or the exit status alone, as the run spec says.
 */
export async function checkSemantics(module: IrModule, ref: BenchmarkRef): Promise<SemanticsResult> {
  const run = runnable(ref);
  let built: Built;
  try {
    built = buildExecutable(module, ref);
  } catch (e) {
    return { ok: false, errorType: 'BuildError', errorDetails: (e as Error).message };
  }
  try {
    const r = await runProgram(built.exe, run, ref.datasetDir!);
    if (r.timedOut) return { ok: false, errorType: 'RuntimeTimeout', errorDetails: `ran longer than ${run.timeoutSeconds} s` };
    if (r.signal) return { ok: false, errorType: 'RuntimeCrash', errorDetails: `died with ${r.signal}: ${r.stderr.trim().slice(-300)}` };
    if (r.status !== run.reference.status) {
      return { ok: false, errorType: 'Miscompilation', errorDetails: `exit status ${r.status}, expected ${run.reference.status}` };
    }
    if (run.compare === 'stdout-and-status' && r.outputSha256 !== run.reference.outputSha256) {
      return { ok: false, errorType: 'Miscompilation', errorDetails: `output differs from the -O0 reference (sha256 ${r.outputSha256.slice(0, 12)}…, expected ${run.reference.outputSha256.slice(0, 12)}…)` };
    }
    return { ok: true };
  } finally {
    built.dispose();
  }
}
