/**
 * `passgym leaderboard validate results.csv`: checks a results CSV without trusting PassGym's
 * environment. Each row's command line is run with the stock `opt` binary of the loaded LLVM
 * version on the benchmark's bitcode; the output's IR instructions are recounted, -Oz is
 * recomputed with the same `opt` (`-passes='default<Oz>'`), and the reward
 * `(n_O0 - n) / max(n_O0 - n_Oz, 1)` (IrInstructionCountOz, `env/rewards.ts`) must match the
 * CSV's within 1e-6 (CompilerGym's state comparison tolerance). For runnable benchmarks the
 * output of `opt` is also built and run, and its output compared with the -O0 reference
 * recorded at install (semantic validation).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveBenchmark, BenchmarkRef } from '../../env/benchmarks';
import { findLlvm } from '../../env/llvm/library';
import { Llvm } from '../../env/llvm/llvm';
import { checkSemantics } from '../../env/session/runtime';
import { readStates } from './results';

/** Reward tolerance (CompilerGym's `CompilerEnvState` equality). */
export const REWARD_TOLERANCE = 1e-6;

/** Verdict on one CSV row. */
export interface RowValidation {
  /** 1-based row number in the CSV (the header is row 0). */
  row: number;
  benchmark: string;
  ok: boolean;
  /** Reward in the CSV. */
  reward: number | null;
  /** Reward recomputed from stock `opt`'s output (null when it could not be computed). */
  recomputed: number | null;
  instructions: number | null;
  /** `ok`, `skipped` (not runnable) or the failure (e.g. `Miscompilation: …`). */
  semantics: string;
  /** What was wrong. */
  error?: string;
}

/** Options of `validateResults`. */
export interface ValidateOptions {
  /** Run runnable benchmarks (default true). */
  semantics?: boolean;
  onRow?: (v: RowValidation) => void;
}

/** Extracts the pass pipeline of `opt[-N] [-passes='P'] input.bc -o output.bc`; '' for no passes. */
export function pipelineOf(commandline: string, major: number): string {
  const m = /^\s*(?:\S*\/)?opt(?:-(\d+))?\s+(?:-passes='([^']*)'\s+)?input\.bc\s+-o\s+output\.bc\s*$/.exec(commandline);
  if (!m) throw new Error(`not a PassGym opt command line (opt-N -passes='…' input.bc -o output.bc): ${commandline.slice(0, 120)}`);
  if (m[1] !== undefined && Number(m[1]) !== major) throw new Error(`the command line is for opt-${m[1]}, but this machine's LLVM is ${major}`);
  return m[2] ?? '';
}

/** Runs stock opt; returns the output bitcode. @throws Error with opt's message. */
function runOpt(opt: string, pipeline: string, input: string, scratch: string): Buffer {
  const out = path.join(scratch, 'output.bc');
  const args = pipeline ? [`-passes=${pipeline}`, input, '-o', out] : [input, '-o', out];
  const r = spawnSync(opt, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.error) throw new Error(`${opt} failed to run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${opt} exited with ${r.status ?? r.signal}: ${r.stderr.trim().slice(-300)}`);
  return fs.readFileSync(out);
}

/**
 * Validates every row of a results CSV with stock `opt`.
 * @returns one verdict per row; the file is valid when all are ok.
 * @throws StateFormatError for a malformed CSV (naming the row), Error when the file cannot be read.
 */
export async function validateResults(csvPath: string, options: ValidateOptions = {}): Promise<RowValidation[]> {
  const states = readStates(csvPath);
  const llvm = findLlvm();
  const ctx = Llvm.get();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-validate-'));
  const baselines = new Map<string, { n0: number; nOz: number }>();
  const count = (bytes: Buffer, name: string) => {
    const m = ctx.parse(bytes, name);
    try {
      return m.instructionCount();
    } finally {
      m.dispose();
    }
  };
  const verdicts: RowValidation[] = [];
  try {
    for (const [i, s] of states.entries()) {
      const v: RowValidation = { row: i + 1, benchmark: s.benchmark, ok: false, reward: s.reward, recomputed: null, instructions: null, semantics: 'skipped' };
      try {
        const pipeline = pipelineOf(s.commandline, llvm.major);
        const ref: BenchmarkRef = await resolveBenchmark(s.benchmark);
        let base = baselines.get(ref.sha256);
        if (!base) {
          base = { n0: count(fs.readFileSync(ref.path), ref.path), nOz: count(runOpt(llvm.tools.opt, 'default<Oz>', ref.path, scratch), 'Oz') };
          baselines.set(ref.sha256, base);
        }
        const output = runOpt(llvm.tools.opt, pipeline, ref.path, scratch);
        const module = ctx.parse(output, 'output.bc');
        try {
          v.instructions = module.instructionCount();
          v.recomputed = (base.n0 - v.instructions) / Math.max(base.n0 - base.nOz, 1);
          const problems: string[] = [];
          if (s.reward === null) problems.push('the row has no reward');
          else if (Math.abs(s.reward - v.recomputed) > REWARD_TOLERANCE) {
            problems.push(`reward ${s.reward} in the CSV, ${v.recomputed} recomputed with ${path.basename(llvm.tools.opt)} (${v.instructions} instructions; -O0 ${base.n0}, -Oz ${base.nOz})`);
          }
          if (options.semantics !== false && ref.run) {
            const sem = await checkSemantics(module, ref);
            v.semantics = sem.ok ? 'ok' : `${sem.errorType}: ${sem.errorDetails}`;
            if (!sem.ok) problems.push(`semantic validation failed: ${v.semantics}`);
          }
          v.ok = problems.length === 0;
          if (!v.ok) v.error = problems.join('; ');
        } finally {
          module.dispose();
        }
      } catch (e) {
        v.error = (e as Error).message;
      }
      verdicts.push(v);
      options.onRow?.(v);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return verdicts;
}
