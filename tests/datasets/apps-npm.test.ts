// Builds two of the apps-v0 programs whose sources come from npm tarballs (jimsh from the SQLite
// autoconf tarball in npm `sqlite3`, and expat's xmlwf from npm `node-expat`: cheap to build)
// through the apps-v0 recipe (only those two), with a fresh cache folder: real npm pack, real clang builds, real
// -O0 reference runs. Needs the npm registry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-apps-npm-'));

import { installDataset } from '../../env/datasets/install';
import { appsRecipe } from '../../datasets/recipes/apps';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { jimScript } from '../../datasets/recipes/apps/jimsh';
import { catalogXml } from '../../datasets/recipes/apps/xmlwf';
import { runtimeMedian } from '../../env/rewards';

const ONLY = ['jimsh', 'xmlwf'];

afterAll(() => {
  fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true });
});

describe('apps-v0 programs from npm tarballs', () => {
  test('generated inputs are deterministic', () => {
    expect(jimScript('s', 1)).toBe(jimScript('s', 1));
    expect(jimScript('s', 1)).not.toBe(jimScript('t', 1));
    expect(catalogXml('s', 50)).toBe(catalogXml('s', 50));
    expect(catalogXml('s', 50)).toContain('<!DOCTYPE catalog [');
  });

  test('jimsh and xmlwf build from npm tarballs into runnable benchmarks with -O0 references of at least 0.1 s', async () => {
    const manifest = await installDataset(appsRecipe, { only: ONLY });
    expect(manifest.failures).toEqual([]);
    expect(manifest.entries.map((e) => e.id)).toEqual(['jimsh', 'xmlwf']);
    const dir = path.join(process.env.PASSGYM_CACHE!, `llvm${manifest.llvmMajor}`, 'datasets', appsRecipe.name);
    for (const entry of manifest.entries) {
      expect(entry.instructions).toBeGreaterThan(10_000);
      expect(fs.existsSync(path.join(dir, entry.bitcode))).toBe(true);
      expect(entry.run).not.toBeNull();
      expect(entry.run!.reference.status).toBe(0);
      expect(entry.run!.reference.seconds).toBeGreaterThanOrEqual(0.1);
      expect(entry.run!.reference.outputSha256).toMatch(/^[0-9a-f]{64}$/);
      for (const input of Object.values(entry.run!.inputs)) expect(fs.existsSync(path.join(dir, input))).toBe(true);
    }
    // xmlwf's output is the canonical XML it writes into the scratch folder.
    expect(manifest.entries.find((e) => e.id === 'xmlwf')!.run!.outputFiles).toEqual(['catalog.xml']);
  }, 90_000);

  test('an environment on apps-v0/jimsh observes Runtime and validates the optimized program', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const env = await make('llvm-ic-v0', { pool, actionSpace: 'PassesWithLevels' });
      await env.reset({ benchmark: 'benchmark://apps-v0/jimsh' });
      expect(await env.observe('IsRunnable')).toBe(true);
      // The median of 5 runs after a warm-up, so that a moment of load on a shared machine does not
      // decide the comparison (one run each flipped it once on this 2-core machine under load).
      await env.setParameter('runtime_observation_count', '5');
      await env.setParameter('runtime_warmup_runs_count', '1');
      const o0 = runtimeMedian((await env.observe('Runtime')) as number[]);
      await env.multistep(['sroa', 'default<O2>']);
      const o2 = runtimeMedian((await env.observe('Runtime')) as number[]);
      expect(o0).toBeGreaterThan(0.05);
      expect(o2).toBeLessThan(o0);
      const v = await env.validate();
      expect(v).toMatchObject({ ok: true, rewardValidated: true, semanticsValidated: true });
      await env.close();
    } finally {
      pool.close();
    }
  }, 120_000);
});
