// A state is a state: the same benchmark and the same deterministic actions give the same IR,
// IrSha1, Bitcode and feature observations however the state was reached (one step at a time,
// one multistep, a fresh worker's replay, a fork, a worker crowded with modules that have the
// same type names), and nothing another session or a fork does changes a session's observations.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkerPool } from '../../env/session/pool';
import { make } from '../../env/registry';
import { makeRng } from '../../env/spaces';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';
import { deepScevIr, tempDir } from '../helpers';

const BENCHMARKS = [
  ...embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`),
  ...[2, 5, 8].map((seed) => `generator://csmith-v0/${seed}`), // 5 and 8 both have %struct.S0 and %struct.S1
  ...[1, 2, 3].map((seed) => `generator://llvm-stress-v0/${seed}`),
];
const SEQUENCES_PER_BENCHMARK = 2;
const LENGTH = 20;
/** The deterministic observations a state has, apart from the per-benchmark baselines. */
const OBSERVATIONS = ['IrSha1', 'Bitcode', 'InstCount', 'Autophase', 'IrInstructionCount', 'ObjectTextSizeBytes', 'IsBuildable'];

const pool = new WorkerPool({ maxWorkers: 2 });
afterAll(() => pool.close());

/** The session's deterministic observations, with Bitcode reduced to its sha256. */
async function fingerprint(p: WorkerPool, sid: number): Promise<Record<string, unknown>> {
  const obs = await p.observe(sid, OBSERVATIONS);
  return { ...obs, Bitcode: crypto.createHash('sha256').update(obs.Bitcode as Uint8Array).digest('hex') };
}

async function stepped(p: WorkerPool, uri: string, actions: string[]): Promise<number> {
  const sid = await p.startSession(uri);
  for (const a of actions) {
    const r = await p.step(sid, [a], []);
    if (!r.ok) throw new Error(`${uri}: step ${a} failed: ${r.errorDetails}`);
  }
  return sid;
}

describe('the same deterministic actions give the same state by every route', () => {
  test(`${BENCHMARKS.length} benchmarks x ${SEQUENCES_PER_BENCHMARK} random sequences x 5 routes: no mismatch`, async () => {
    const probe = await make('llvm-v0', { pool });
    const space = probe.actionSpace;
    await probe.close();
    const deterministic = space.names.filter((_, k) => space.metadata[k].deterministic);
    expect(deterministic.length).toBeLessThan(space.n); // attributor is declared nondeterministic
    // A worker that already holds every benchmark (csmith programs share %struct.S0, and each
    // benchmark is held twice), in which the stepped route runs again.
    const crowded = new WorkerPool({ maxWorkers: 1 });
    const rng = makeRng('state-identity');
    const mismatches: string[] = [];
    let compared = 0;
    try {
      for (const uri of BENCHMARKS) for (let k = 0; k < 2; k++) await crowded.startSession(uri, k ? ['sroa'] : []);
      for (const uri of BENCHMARKS) {
        const fresh = new WorkerPool({ maxWorkers: 1 });
        try {
          for (let s = 0; s < SEQUENCES_PER_BENCHMARK; s++) {
            const actions = Array.from({ length: LENGTH }, () => deterministic[Math.floor(rng() * deterministic.length)]);
            const half = LENGTH / 2;
            const a = await stepped(pool, uri, actions);
            const reference = await fingerprint(pool, a);
            const b = await pool.startSession(uri);
            expect((await pool.step(b, actions, [])).ok).toBe(true);
            const c = await fresh.startSession(uri, actions);
            const parent = await stepped(pool, uri, actions.slice(0, half));
            const parentBefore = await fingerprint(pool, parent);
            const d = await pool.fork(parent);
            for (const x of actions.slice(half)) expect((await pool.step(d, [x], [])).ok).toBe(true);
            const e = await stepped(crowded, uri, actions);
            const routes: Array<[string, Record<string, unknown>]> = [
              ['multistep', await fingerprint(pool, b)],
              ['fresh-worker replay', await fingerprint(fresh, c)],
              ['fork', await fingerprint(pool, d)],
              ['crowded worker', await fingerprint(crowded, e)],
              ['fork parent after the fork stepped', await fingerprint(pool, parent)],
            ];
            for (const [route, got] of routes) {
              compared++;
              const want = route.startsWith('fork parent') ? parentBefore : reference;
              if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${uri} [${actions.join(',')}] by ${route}`);
            }
            for (const sid of [a, b, parent, d]) await pool.endSession(sid);
            await fresh.endSession(c);
            await crowded.endSession(e);
          }
        } finally {
          fresh.close();
        }
      }
    } finally {
      crowded.close();
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(BENCHMARKS.length * SEQUENCES_PER_BENCHMARK * 5);
  });

  test("strip on a fork changes neither its parent nor later sessions of the benchmark", async () => {
    for (const uri of ['benchmark://embedded-v0/crc32', 'generator://csmith-v0/5']) {
      const parent = await pool.startSession(uri);
      const before = await fingerprint(pool, parent);
      const ir = String((await pool.observe(parent, ['Ir'])).Ir);
      expect(ir).toMatch(/^%struct\.\w+ = type/m);
      const fork = await pool.fork(parent);
      expect((await pool.step(fork, ['strip'], [])).ok).toBe(true);
      expect(String((await pool.observe(fork, ['Ir'])).Ir)).not.toMatch(/^%struct\.\w+ = type/m);
      expect(await fingerprint(pool, parent)).toEqual(before);
      const later = await pool.startSession(uri);
      expect(await fingerprint(pool, later)).toEqual(before);
      for (const sid of [parent, fork, later]) await pool.endSession(sid);
    }
  });

  test('a benchmark uploaded from its own Bitcode keeps its type names in the upload, its fork and a reset', async () => {
    const env = await make('llvm-v0', { pool });
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    const file = path.join(tempDir(), 'crc32.bc');
    fs.writeFileSync(file, (await env.observe('Bitcode')) as Uint8Array);
    const upload = `file://${file}`;
    await env.reset({ benchmark: upload });
    const fork = await env.fork();
    await fork.reset({ benchmark: upload });
    for (const e of [env, fork]) {
      const ir = String(await e.observe('Ir'));
      expect(ir).toMatch(/^%struct\.Rng = type/m);
      expect(ir).not.toMatch(/%struct\.Rng\.\d/);
      expect(ir).toContain(`source_filename = "${upload}"`);
    }
    expect(await fork.observe('IrSha1')).toBe(await env.observe('IrSha1'));
    await fork.close();
    await env.close();
  });

  test('a pass that needs more than 2 MiB of stack does not crash the worker', async () => {
    const file = path.join(tempDir(), 'deep-scev.ll');
    fs.writeFileSync(file, deepScevIr());
    const env = await make('llvm-ic-v0', { pool });
    await env.reset({ benchmark: `file://${file}` });
    const r = await env.step('indvars');
    expect(r.info.error_type).toBeUndefined();
    await env.close();
  });
});
