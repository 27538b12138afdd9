import { WorkerPool } from '../../env/session/pool';

test('N sessions started at once on a pool of N workers get N worker processes', async () => {
  const uris = ['qsort', 'dijkstra', 'sha256', 'matmul'].map((id) => `benchmark://embedded-v0/${id}`);
  const pool = new WorkerPool({ maxWorkers: uris.length });
  try {
    const sids = await Promise.all(uris.map((uri) => pool.startSession(uri)));
    expect(pool.workerPids).toHaveLength(uris.length);
    expect(new Set(sids.map((sid) => pool.workerPidOf(sid))).size).toBe(uris.length);
  } finally {
    pool.close();
  }
});
