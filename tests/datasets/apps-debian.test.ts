// Builds two of the apps-v0 programs that come from Debian source packages (bzip2 and libgsm's
// toast: the cheapest) through the apps-v0 recipe (only those two), with a fresh cache folder: real apt-get source,
// real clang builds, real -O0 reference runs. Needs the network to deb.debian.org and root.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-apps-debian-'));

import { installDataset } from '../../env/datasets/install';
import { appsRecipe } from '../../datasets/recipes/apps';

const ONLY = ['bzip2', 'toast'];

afterAll(() => {
  fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true });
});

describe('apps-v0 programs from Debian source packages', () => {
  test('bzip2 and toast build from apt-get source into runnable benchmarks with -O0 references of about 0.1 s', async () => {
    const manifest = await installDataset(appsRecipe, { only: ONLY });
    expect(manifest.failures).toEqual([]);
    expect(manifest.entries.map((e) => e.id)).toEqual(['bzip2', 'toast']);
    for (const entry of manifest.entries) {
      expect(entry.instructions).toBeGreaterThan(10_000);
      expect(entry.run).not.toBeNull();
      expect(entry.run!.reference.status).toBe(0);
      // The recipe sizes inputs for about 0.1 s at -O0 on a 2-core reference machine; a faster or
      // quieter machine measures somewhat less (bzip2 measured 0.098 s once), so the test checks
      // the order of magnitude, not the machine's speed.
      expect(entry.run!.reference.seconds).toBeGreaterThanOrEqual(0.05);
      expect(entry.run!.reference.outputSha256).toMatch(/^[0-9a-f]{64}$/);
      for (const input of Object.values(entry.run!.inputs)) {
        expect(fs.existsSync(path.join(process.env.PASSGYM_CACHE!, `llvm${manifest.llvmMajor}`, 'datasets', appsRecipe.name, input))).toBe(true);
      }
    }
  }, 90_000);
});
