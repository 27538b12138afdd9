/**
 * Baseline values on disk: the observations of a benchmark's reference states (-O0, -O3, -Oz:
 * IrInstructionCountOz, ObjectTextSizeOz, …) computed once per benchmark content and LLVM
 * version, then read by every worker process. Without it each new pool (an agent's, the
 * leaderboard's replay pool, each CLI run) recomputes them: on apps-v0/sqlite3 an -Oz pipeline and
 * an object emission are seconds each.
 *
 * Files: `cacheRoot()/baselines/v<BASELINE_CACHE_VERSION>/<LLVM version>-<arch>/<benchmark sha256>.json`, `{name: value}`. Only
 * numbers are stored. Writes are atomic; two workers racing on one file may each drop the
 * other's new entry, which is then computed again later (the values are deterministic).
 */
import fs from 'node:fs';
import { cachePath, writeFileAtomic } from '../cache';
import { Llvm } from '../llvm/llvm';

/**
 * Bumped whenever PassGym changes how it computes a baseline (e.g. a change to how modules are
 * cloned, as the clone repair of `native/uselists.c` was), so older files are not read.
 */
export const BASELINE_CACHE_VERSION = 1;

/** The file of a benchmark's baselines for the loaded LLVM and this machine's architecture. */
export function baselineFile(benchmarkSha256: string): string {
  return cachePath('baselines', `v${BASELINE_CACHE_VERSION}`, `${Llvm.get().version}-${process.arch}`, `${benchmarkSha256}.json`);
}

function readAll(path: string): Record<string, number> {
  try {
    const v = JSON.parse(fs.readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** The stored value of baseline `name` for a benchmark, or undefined. */
export function readBaseline(benchmarkSha256: string, name: string): number | undefined {
  const v = readAll(baselineFile(benchmarkSha256))[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Stores baseline `name` of a benchmark (numbers only; other values are not stored). */
export function writeBaseline(benchmarkSha256: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) return;
  const path = baselineFile(benchmarkSha256);
  const all = readAll(path);
  all[name] = value;
  try {
    writeFileAtomic(path, JSON.stringify(all));
  } catch {
    // A read-only cache only costs recomputation.
  }
}
