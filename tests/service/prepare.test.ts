/**
 * A generator seed is built in a child process: while csmith, clang and the reference run take
 * seconds, the server answers everyone else at once. Runs in a fresh cache, so that the seeds are
 * really built here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-prepare-'));
process.env.PASSGYM_CACHE = tmp;

import { PassGymServer } from '../../env/service/server';
import { ServiceClient } from '../../env/service/client';
import { needsChildBuild } from '../../env/service/prepare';

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a csmith seed is built without blocking the server; its errors come back typed', async () => {
  const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1 });
  await server.start();
  const client = new ServiceClient(server.endpoint, { timeoutMs: 120_000 });
  const pinger = new ServiceClient(server.endpoint, { timeoutMs: 10_000 });
  try {
    // Seed 223's program loops: building it runs the -O0 program into its timeout (seconds).
    const uri = 'generator://csmith-v0/223';
    expect(needsChildBuild(uri)).toBe(true);
    let done = false;
    const t0 = Date.now();
    // Two sessions on the seed at once share one build.
    const twin = client.call('startSession', { benchmark: uri });
    const started = client.call('startSession', { benchmark: uri }).finally(() => (done = true));
    let worst = 0;
    let pings = 0;
    while (!done) {
      const p0 = Date.now();
      await pinger.call('getVersion');
      worst = Math.max(worst, Date.now() - p0);
      pings++;
      await new Promise((r) => setTimeout(r, 20));
    }
    const { sessionId, benchmark } = await started;
    expect(benchmark).toBe(uri);
    await client.call('endSession', { sessionId: (await twin).sessionId });
    const buildMs = Date.now() - t0;
    expect(buildMs).toBeGreaterThan(1_000); // the build really took a while
    expect(pings).toBeGreaterThan(10);
    // Nobody waited for it: a server blocked by the build would leave one ping waiting for most of
    // the build. Scheduling on a loaded 2-core machine (jest runs suites in parallel) delays single
    // replies by up to about a second, so the bound is relative to the build, not an absolute time.
    expect(worst).toBeLessThan(Math.max(buildMs / 3, 500));
    expect(needsChildBuild(uri)).toBe(false);
    expect((await client.call('step', { sessionId, actions: [0] })).episodeActions).toEqual([0]);
    await client.call('endSession', { sessionId });
    await expect(client.call('startSession', { benchmark: 'generator://csmith-v0/99999999999' })).rejects.toMatchObject({
      code: 'UNKNOWN_BENCHMARK',
      message: expect.stringMatching(/the seed must be an integer in 0\.\./),
    });
    const stress = await client.call('startSession', { benchmark: 'generator://llvm-stress-v0/7' });
    await client.call('endSession', { sessionId: stress.sessionId });
  } finally {
    client.close();
    pinger.close();
    await server.close();
  }
}, 120_000);
