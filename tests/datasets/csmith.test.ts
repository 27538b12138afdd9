// Generates two csmith-v0 benchmarks into a fresh cache folder with the real csmith and clang:
// one whose program prints its checksum, one whose program does not finish within the timeout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-csmith-'));
process.env.PASSGYM_CACHE = tmp;

import { datasetDir, installDataset } from '../../env/datasets/install';
import { bitcodeToExecutable } from '../../env/datasets/build';
import { findLlvm } from '../../env/llvm/library';
import { CSMITH_RUN, csmithGenerator } from '../../datasets/recipes/csmith';
import type { DatasetManifest } from '../../env/datasets/types';
import { seedDataset } from '../../env/datasets/registry';
import { resolveBenchmark } from '../../env/benchmarks';

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A small program (about 200 IR instructions) that prints its checksum at once. */
const RUNNABLE_SEED = 209;
/** Its program loops for minutes at -O0 (and at -O2). */
const ENDLESS_SEED = 223;

/** `generator://csmith-v0/SEED` as the one-benchmark dataset that resolution installs. */
function generate(seed: number): Promise<DatasetManifest> {
  return installDataset(seedDataset(csmithGenerator, seed));
}

test('a terminating program is runnable, its checksum line the reference output', async () => {
  const manifest = await generate(RUNNABLE_SEED);
  expect(manifest.failures).toEqual([]);
  expect(manifest.entries).toHaveLength(1);
  const [e] = manifest.entries;
  expect(e).toMatchObject({ id: String(RUNNABLE_SEED), bitcode: `${RUNNABLE_SEED}.bc` });
  expect(e.run).toMatchObject({ compare: 'stdout-and-status', timeoutSeconds: CSMITH_RUN.timeoutSeconds, reference: { status: 0 } });
  const exe = path.join(tmp, 'runnable.exe');
  bitcodeToExecutable(findLlvm(), path.join(datasetDir(`csmith-v0/${RUNNABLE_SEED}`), e.bitcode), exe, []);
  const stdout = execFileSync(exe, { timeout: 10_000 });
  expect(stdout.toString()).toMatch(/^checksum = [0-9A-F]+\n$/);
  expect(e.run!.reference.outputSha256).toBe(crypto.createHash('sha256').update(stdout).digest('hex'));
}, 60_000);

test('a program that does not terminate still becomes a benchmark, without a run, in bounded time', async () => {
  const t0 = performance.now();
  const manifest = await generate(ENDLESS_SEED);
  expect((performance.now() - t0) / 1000).toBeLessThan(4 * CSMITH_RUN.timeoutSeconds + 20);
  expect(manifest.entries).toHaveLength(1);
  expect(manifest.entries[0]).toMatchObject({ id: String(ENDLESS_SEED), run: null });
  expect(manifest.entries[0].instructions).toBeGreaterThan(0);
  expect(manifest.failures).toEqual([{ id: String(ENDLESS_SEED), step: 'run', message: expect.stringContaining(`exceeded ${CSMITH_RUN.timeoutSeconds} s`) }]);
}, 60_000);

test('seeds outside 0..2^32-1 are refused', async () => {
  for (const seed of [-1, 2 ** 32, 1.5]) {
    await expect(generate(seed)).rejects.toThrow(/seed must be an integer from 0 to 4294967295/);
  }
});

test('generator://csmith-v0/SEED resolves to a runnable benchmark, or a non-runnable one for an endless program', async () => {
  expect((await resolveBenchmark(`generator://csmith-v0/${RUNNABLE_SEED}`)).run).not.toBeNull();
  expect((await resolveBenchmark(`generator://csmith-v0/${ENDLESS_SEED}`)).run).toBeNull();
  await expect(resolveBenchmark('generator://csmith-v0/-1')).rejects.toThrow(/seed must be an integer/);
});
