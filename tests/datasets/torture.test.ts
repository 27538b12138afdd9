// Installs a few programs of torture-v0 into a fresh cache folder: a real download of Debian's
// gcc-12-source (83 MB), real clang and opt builds, real runs. Needs the Debian mirror and root.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-torture-'));

import { datasetDir, installDataset } from '../../env/datasets/install';
import { dgFlags, tortureRecipe } from '../../datasets/recipes/torture';

afterAll(() => fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true }));

/** Programs that qualify with LLVM 14. */
const GOOD = ['20000112-1', '20040409-1w', 'pr46909-1', 'va-arg-1', 'strct-pack-1'];
/** Nested functions: a GNU C extension clang does not compile. */
const NO_COMPILE = 'nestfunc-1';
/** Relies on __builtin_return_address and frame layout, which default<O3> changes: aborts. */
const O3_ABORTS = '20010122-1';

test('dg-options flags are kept only when meaningful to clang and not target-specific', () => {
  expect(dgFlags('/* { dg-options "-fwrapv" } */')).toEqual(['-fwrapv']);
  expect(dgFlags('/* { dg-options { "-fwrapv" } } */')).toEqual(['-fwrapv']);
  expect(dgFlags('/* { dg-additional-options "-fno-common" } */\n/* { dg-options "-Wno-psabi -std=gnu89" } */')).toEqual(['-fno-common', '-std=gnu89']);
  expect(dgFlags('/* { dg-options "-mno-mmx" { target { x86_64-*-* } } } */')).toEqual([]);
  expect(dgFlags('/* { dg-options "-O2 -ftree-vectorize" } */')).toEqual([]);
});

test('qualifying programs install runnable with exit status 0; the others are failures with their step', async () => {
  const manifest = await installDataset(tortureRecipe, { only: [...GOOD, NO_COMPILE, O3_ABORTS] });
  expect(manifest.entries.map((e) => e.id)).toEqual([...GOOD].sort());
  for (const e of manifest.entries) {
    expect(fs.existsSync(path.join(datasetDir('torture-v0'), e.bitcode))).toBe(true);
    expect(e.instructions).toBeGreaterThan(0);
    expect(e.run).toMatchObject({ args: [], linkArgs: ['-lm'], compare: 'status', timeoutSeconds: 10, reference: { status: 0 } });
  }
  const failures = Object.fromEntries(manifest.failures.map((f) => [f.id, f]));
  expect(Object.keys(failures).sort()).toEqual([O3_ABORTS, NO_COMPILE].sort());
  expect(failures[NO_COMPILE].step).toBe('compile');
  expect(failures[NO_COMPILE].message).toContain('nestfunc-1.c');
  expect(failures[O3_ABORTS].step).toBe('O3-run');
  expect(failures[O3_ABORTS].message).toMatch(/SIGABRT/);
}, 90_000);
