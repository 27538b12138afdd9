/**
 * Building benchmarks for the server without blocking it. A generator's seed
 * (`generator://csmith-v0/N`, `generator://llvm-stress-v0/N`, …) is built on first use with
 * synchronous compiler runs — 0.2 s, up to seconds for a program that does not terminate — which
 * in the server's own process would stall every client. `prepareInChild` runs that build in a
 * child process; the server then resolves the URI from the cache. Builds (and the compilation of
 * uploads, `buildSlot`) share `BUILD_SLOTS` slots; at most `MAX_QUEUED_BUILDS` wait for one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pLimit from 'p-limit';
import { BuildsBusyError, fromErrorPayload, PassGymError } from '../errors';
import { GENERATOR_RECIPES } from '../datasets/registry';
import { loadManifest } from '../datasets/install';
import { llvmStressPath } from '../benchmarks';

/** Builds running at once (clang, csmith, generators, uploads). */
export const BUILD_SLOTS = 2;
/** Builds that may wait for a slot; one more gets BUILDS_BUSY. */
export const MAX_QUEUED_BUILDS = 32;
/** A child build running longer than this is killed (ms). */
const CHILD_TIMEOUT_MS = 180_000;

const limit = pLimit(BUILD_SLOTS);

/**
 * Runs `work` in one of the build slots.
 * @throws PassGymError BUILDS_BUSY when MAX_QUEUED_BUILDS builds already wait.
 */
export function buildSlot<T>(work: () => Promise<T>): Promise<T> {
  if (limit.pendingCount >= MAX_QUEUED_BUILDS) {
    return Promise.reject(new BuildsBusyError(`the server is building ${limit.activeCount + limit.pendingCount} benchmarks and uploads; retry in a few seconds`));
  }
  return limit(work);
}

/** Whether `uri` names a generator seed that is not built yet (its build would block the server). */
export function needsChildBuild(uri: string): boolean {
  const m = /^generator:\/\/([^/]+)\/(\d+)$/.exec(uri);
  if (!m) return false;
  const [, dataset, digits] = m;
  const seed = Number(digits);
  // A seed out of range is refused by resolveBenchmark at once, in process: no child for it.
  if (dataset === 'llvm-stress-v0') return seed <= 2 ** 32 - 1 && !fs.existsSync(llvmStressPath(seed));
  const generator = GENERATOR_RECIPES.get(dataset);
  return generator !== undefined && seed <= generator.maxSeed && loadManifest(`${generator.name}/${seed}`) === null;
}

/**
 * Builds `uri` into the cache in a child process, in a build slot.
 * @throws the PassGymError the build threw there (UnknownBenchmarkError, BenchmarkBuildError, …);
 *   BUILDS_BUSY; BUILD_FAILED when the child died or timed out.
 */
export function prepareInChild(uri: string): Promise<void> {
  // Concurrent requests for one seed share one build (two would race to install it).
  let build = building.get(uri);
  if (!build) {
    build = buildSlot(() => runChild(uri)).finally(() => building.delete(uri));
    building.set(uri, build);
  }
  return build;
}

/** Builds in progress, by URI. */
const building = new Map<string, Promise<void>>();

/** Runs prepare-child.js on `uri` in its own process group, killed whole on the timeout. */
function runChild(uri: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'prepare-child.js'), uri], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-8000)));
    // csmith, clang and the generated program are the child's children: kill the whole group.
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, CHILD_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new PassGymError('BUILD_FAILED', `building ${uri} failed: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) return resolve();
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        reject(fromErrorPayload(JSON.parse(line) as { code: string; message: string }));
      } catch {
        reject(new PassGymError('BUILD_FAILED', `building ${uri} failed: ${timedOut ? `took longer than ${CHILD_TIMEOUT_MS / 1000} s` : `exit ${code}`}`));
      }
    });
  });
}
