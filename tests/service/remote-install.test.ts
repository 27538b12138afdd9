// A request that names a dataset the server has not installed never makes the server install it
// in its own process: without --allow-remote-install it is refused with the command to run; with
// it the install runs in a child process and other requests are answered meanwhile. A fresh cache
// folder, so that no dataset is installed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-remote-install-'));

import { PassGymServer } from '../../env/service/server';
import { ServiceClient } from '../../env/service/client';

afterAll(() => fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true }));

test('a benchmark of a dataset that is not installed: DATASET_NOT_INSTALLED at once, naming the command', async () => {
  const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1 });
  await server.start();
  const client = new ServiceClient(server.endpoint, { timeoutMs: 20_000 });
  try {
    const t0 = Date.now();
    await expect(client.call('startSession', { benchmark: 'benchmark://libs-v0/zlib.adler32' })).rejects.toMatchObject({
      code: 'DATASET_NOT_INSTALLED',
      message: expect.stringMatching(/libs-v0 is not installed on this server; run 'passgym datasets install libs-v0' there/),
    });
    await expect(client.call('validate', { benchmark: 'benchmark://apps-v0/bzip2', commandline: '' })).rejects.toMatchObject({ code: 'DATASET_NOT_INSTALLED' });
    // Without its scheme too (the canonical form is checked).
    await expect(client.call('startSession', { benchmark: 'apps-v0/bzip2' })).rejects.toMatchObject({ code: 'DATASET_NOT_INSTALLED' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The shipped default is built on demand (seconds), and an empty benchmark is that default.
    const started = await client.call('startSession', { benchmark: '' });
    expect(started.benchmark).toBe('benchmark://embedded-v0/qsort');
  } finally {
    client.close();
    await server.close();
  }
}, 60_000);

test('with allowRemoteInstall the install runs in the background: DATASET_INSTALLING, and the server keeps answering', async () => {
  const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1, allowRemoteInstall: true });
  await server.start();
  const client = new ServiceClient(server.endpoint, { timeoutMs: 5_000 });
  try {
    await expect(client.call('startSession', { benchmark: 'benchmark://libs-v0/zlib.adler32' })).rejects.toMatchObject({ code: 'DATASET_INSTALLING' });
    // The install is under way in a child process; the server answers within its usual time.
    for (let k = 0; k < 3; k++) {
      const t0 = Date.now();
      expect((await client.call('getVersion', {})).protocol).toBe('passgym.v2');
      expect(Date.now() - t0).toBeLessThan(1_000);
      await expect(client.call('startSession', { benchmark: 'libs-v0/zlib.adler32' })).rejects.toMatchObject({ code: 'DATASET_INSTALLING' });
    }
  } finally {
    client.close();
    await server.close();
  }
}, 60_000);
