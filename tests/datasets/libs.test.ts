// Installs two cheap libraries of libs-v0 (zlib and lz4) into a fresh cache folder: real npm
// downloads, real clang builds. Needs the npm registry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-libs-'));

import { datasetDir, installDataset } from '../../env/datasets/install';
import { LIBRARIES, libsRecipe, unitIds } from '../../datasets/recipes/libs';

afterAll(() => fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true }));

test('ids are <lib>.<stem>, with the path for stems that collide', () => {
  expect(unitIds('zlib', ['deflate.c', 'inflate.c'])).toEqual(['zlib.deflate', 'zlib.inflate']);
  expect(unitIds('x', ['a/util.c', 'b/util.c', 'b/main loop.c'])).toEqual(['x.a.util', 'x.b.util', 'x.main_loop']);
});

test('library names are unique and npm specs are pinned', () => {
  const names = LIBRARIES.map((l) => l.name);
  expect(new Set(names).size).toBe(names.length);
  for (const l of LIBRARIES) {
    expect(l.name).toMatch(/^[A-Za-z0-9_+-]+$/);
    expect(l.npm).toMatch(/.@\d+\.\d+\.\d+$/);
  }
});

test('zlib and lz4 install, every translation unit its own benchmark', async () => {
  const manifest = await installDataset(libsRecipe, { only: ['zlib.*', 'lz4.*'] });
  expect(manifest.failures).toEqual([]);
  const ids = manifest.entries.map((e) => e.id);
  expect(ids).toEqual(expect.arrayContaining(['zlib.deflate', 'zlib.inflate', 'zlib.crc32', 'lz4.lz4', 'lz4.lz4hc']));
  expect(ids.filter((id) => id.startsWith('zlib.')).length).toBeGreaterThanOrEqual(10);
  for (const e of manifest.entries) {
    expect(e.id).toMatch(/^(zlib|lz4)\.[A-Za-z0-9._+-]+$/);
    expect(e.instructions).toBeGreaterThan(0);
    expect(e.run).toBeNull();
    expect(fs.existsSync(path.join(datasetDir('libs-v0'), e.bitcode))).toBe(true);
  }
}, 90_000);
