/**
 * `benchmark://embedded-v0/NAME`: the C programs in `datasets/embedded/`, written for PassGym in
 * the spirit of cBench. Each generates its own input, prints a checksum and exits 0, so all are
 * runnable and self-checking. No download; installs in seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileToBitcode } from '../../env/datasets/build';
import type { DatasetRecipe } from '../../env/datasets/types';

/** Folder of the embedded C programs (found from the sources and from dist/). */
export function embeddedDir(): string {
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(__dirname, up, 'datasets', 'embedded');
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error(`datasets/embedded not found above ${__dirname}`);
}

/** Ids of `benchmark://embedded-v0/…`, sorted. */
export function embeddedBenchmarkIds(): string[] {
  return fs.readdirSync(embeddedDir()).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
}

export const embeddedRecipe: DatasetRecipe = {
  name: 'embedded-v0',
  description: 'Small self-checking C programs shipped with PassGym (qsort, dijkstra, crc32, sha256, ...)',
  license: 'MIT (PassGym)',
  runnable: true,
  debianPackages: [],
  async install(ctx) {
    const ids = embeddedBenchmarkIds().filter((id) => !ctx.only || ctx.only.has(id));
    for (const [k, id] of ids.entries()) {
      ctx.progress(k, ids.length, id);
      const out = path.join(ctx.dir, `${id}.bc`);
      try {
        compileToBitcode(ctx.llvm, path.join(embeddedDir(), `${id}.c`), out, ['-w']);
      } catch (e) {
        ctx.fail(id, 'compile', (e as Error).message);
        continue;
      }
      await ctx.add(id, out, { args: [], inputs: {}, linkArgs: ['-lm'], stdin: null, timeoutSeconds: 60, compare: 'stdout-and-status', outputFiles: [] });
    }
    ctx.progress(ids.length, ids.length);
  },
};
