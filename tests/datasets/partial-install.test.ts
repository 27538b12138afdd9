// A partial install (`datasets install NAME --only ID…`) is recorded as partial: the split of it is
// refused, a member it left out says "not installed: run …", and installs widen or complete it.
// Real builds of embedded-v0 (seconds) in a fresh cache folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-partial-'));

import { installDataset } from '../../env/datasets/install';
import { embeddedRecipe } from '../../datasets/recipes/embedded';
import { splitUris } from '../../env/datasets/split-uris';
import { resolveBenchmark } from '../../env/benchmarks';
import { datasetRows } from '../../scripts/commands/datasets';

afterAll(() => fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true }));

test('a partial install says so, refuses to be scored, names what installs the rest, and completes', async () => {
  const first = await installDataset(embeddedRecipe, { only: ['qsort'] });
  expect(first.entries.map((e) => e.id)).toEqual(['qsort']);
  expect(first.only).toEqual(['qsort']);
  expect(datasetRows().find((r) => r.name === 'embedded-v0')).toMatchObject({ size: 1, only: ['qsort'] });

  expect(() => splitUris('embedded-v0', 'validation')).toThrow(/installed only in part \(--only qsort: 1 benchmarks\).*run 'passgym datasets install embedded-v0'/);
  await expect(resolveBenchmark('benchmark://embedded-v0/crc32')).rejects.toMatchObject({
    code: 'DATASET_NOT_INSTALLED',
    message: expect.stringMatching(/crc32 is not installed: .*run 'passgym datasets install embedded-v0' to install the rest/),
  });
  expect((await resolveBenchmark('benchmark://embedded-v0/qsort')).path).toMatch(/qsort\.bc$/);

  // Asking again for what is there builds nothing; asking for more adds it.
  expect((await installDataset(embeddedRecipe, { only: ['qsort'] })).builtAt).toBe(first.builtAt);
  const wider = await installDataset(embeddedRecipe, { only: ['crc32'] });
  expect(wider.entries.map((e) => e.id)).toEqual(['crc32', 'qsort']);
  expect(wider.only).toEqual(['qsort', 'crc32']);

  // A plain install completes it; then a missing id does not exist at all.
  const whole = await installDataset(embeddedRecipe);
  expect(whole.builtAt).not.toBe(wider.builtAt); // rebuilt: a partial install is not taken for whole
  expect(whole.only).toBeUndefined();
  expect(whole.entries.length).toBeGreaterThan(2);
  expect(whole.entries.map((e) => e.id)).toEqual(expect.arrayContaining(['crc32', 'dijkstra', 'qsort', 'sha256']));
  expect(splitUris('embedded-v0', 'validation')).toHaveLength(whole.entries.length);
  await expect(resolveBenchmark('benchmark://embedded-v0/nope')).rejects.toMatchObject({ code: 'UNKNOWN_BENCHMARK' });
}, 120_000);
