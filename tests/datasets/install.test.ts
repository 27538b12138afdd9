import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.PASSGYM_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-install-'));

import { datasetDir, installDataset, loadManifest } from '../../env/datasets/install';
import { compileToBitcode } from '../../env/datasets/build';
import { npmPackage } from '../../env/datasets/npm';
import type { DatasetRecipe, InstallContext } from '../../env/datasets/types';

afterAll(() => fs.rmSync(process.env.PASSGYM_CACHE!, { recursive: true, force: true }));

const C_PROGRAM = '#include <stdio.h>\nint main(void) { unsigned s = 0; for (unsigned i = 0; i < 1000; i++) s = s * 31 + i; printf("%u\\n", s); return 0; }\n';

function recipe(name: string, install: (ctx: InstallContext) => Promise<void>): DatasetRecipe {
  return { name, description: 'test', license: 'MIT', runnable: true, debianPackages: [], install };
}

async function addProgram(ctx: InstallContext, id: string): Promise<void> {
  const src = path.join(ctx.work, `${id}.c`);
  fs.writeFileSync(src, C_PROGRAM);
  compileToBitcode(ctx.llvm, src, path.join(ctx.dir, `${id}.bc`));
  await ctx.add(id, path.join(ctx.dir, `${id}.bc`), { args: [], inputs: {}, linkArgs: [], stdin: null, timeoutSeconds: 10, compare: 'stdout-and-status', outputFiles: [] });
}

describe('dataset installs', () => {
  test('a failed download is recorded with the package and the step, and the other benchmarks still install', async () => {
    const manifest = await installDataset(
      recipe('partial-v0', async (ctx) => {
        await addProgram(ctx, 'good');
        try {
          npmPackage('passgym-no-such-package-4b1d', ctx.work);
        } catch (e) {
          ctx.fail('missing', 'download', (e as Error).message);
        }
      }),
    );
    expect(manifest.entries.map((e) => e.id)).toEqual(['good']);
    expect(manifest.entries[0].run!.reference.status).toBe(0);
    expect(manifest.failures).toHaveLength(1);
    expect(manifest.failures[0]).toMatchObject({ id: 'missing', step: 'download' });
    expect(manifest.failures[0].message).toMatch(/npm pack passgym-no-such-package-4b1d failed: .*(404|not found|E404)/i);
  });

  test('an interrupted install leaves no dataset and no staging folder behind', async () => {
    await expect(
      installDataset(
        recipe('broken-v0', async (ctx) => {
          await addProgram(ctx, 'first');
          throw new Error('interrupted');
        }),
      ),
    ).rejects.toThrow('interrupted');
    expect(loadManifest('broken-v0')).toBeNull();
    const parent = path.dirname(datasetDir('broken-v0'));
    expect(fs.readdirSync(parent).filter((f) => f.startsWith('broken-v0'))).toEqual([]);
  });

  test('a recipe that builds nothing fails and names the first failures', async () => {
    await expect(
      installDataset(
        recipe('empty-v0', async (ctx) => {
          ctx.fail('a', 'compile', 'clang said no');
        }),
      ),
    ).rejects.toThrow(/empty-v0: no benchmark could be built: a \(compile\): clang said no/);
  });
});
