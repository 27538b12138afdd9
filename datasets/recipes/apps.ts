/**
 * `benchmark://apps-v0/ID`: real applications (sqlite3, bzip2, cjpeg, lame, xz, xmllint, …),
 * each linked into one module with `llvm-link`, with a run command and a deterministic input the
 * builder generates (no downloaded data), taking at least 0.1 s at -O0. Sources come from npm
 * tarballs (`npm pack`) and Debian source packages (`apt-get source` through a private deb-src
 * list). One program that fails to build is recorded and the others still install.
 */
import path from 'node:path';
import type { DatasetRecipe } from '../../env/datasets/types';
import { APP_BUILDERS } from './apps/index';

export const appsRecipe: DatasetRecipe = {
  name: 'apps-v0',
  description: `Real applications with generated inputs, runnable and validated against -O0 output: ${APP_BUILDERS.map((b) => b.id).join(', ')}`,
  license: [...new Set(APP_BUILDERS.map((b) => `${b.id}: ${b.license}`))].join('; '),
  runnable: true,
  debianPackages: [...new Set(APP_BUILDERS.flatMap((b) => b.debianPackages))],
  async install(ctx) {
    const builders = APP_BUILDERS.filter((b) => !ctx.only || ctx.only.has(b.id));
    for (const [k, b] of builders.entries()) {
      ctx.progress(k, builders.length, b.id);
      try {
        const run = await b.build(ctx);
        await ctx.add(b.id, path.join(ctx.dir, `${b.id}.bc`), run);
      } catch (e) {
        ctx.fail(b.id, 'build', `${b.origin}: ${(e as Error).message}`);
      }
    }
    ctx.progress(builders.length, builders.length);
  },
};
