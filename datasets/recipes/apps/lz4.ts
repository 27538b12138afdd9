/**
 * `benchmark://apps-v0/lz4`: the LZ4 command-line tool (lz4cli, lz4io, bench, datagen) with the
 * LZ4 block, HC and frame libraries and xxHash, from the copy of lz4 1.9 that npm `lz4` ships,
 * compressing a generated file at level 9 (LZ4 HC) to stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { npmPackage } from '../../../env/datasets/npm';
import { buildModule, mixedData } from './zopfli';
import type { AppBuilder } from './types';

const LZ4_NPM_SPEC = 'lz4@0.6.5';

/** lz4 (`lz4 -9 -c`) compressing 1.5 MB of generated data. */
export const lz4App: AppBuilder = {
  id: 'lz4',
  description: 'LZ4 1.9 CLI (lz4cli + lz4/lz4hc/lz4frame/xxhash) compressing 1.5 MB of generated data with LZ4 HC level 9',
  license: 'BSD-2-Clause (LZ4 library), GPL-2.0-or-later (LZ4 CLI)',
  origin: `npm:${LZ4_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const root = path.join(npmPackage(LZ4_NPM_SPEC, ctx.work), 'deps', 'lz4');
    const sources = ['lib/lz4.c', 'lib/lz4hc.c', 'lib/lz4frame.c', 'lib/xxhash.c', 'programs/lz4cli.c', 'programs/lz4io.c', 'programs/bench.c', 'programs/datagen.c'];
    buildModule(ctx, 'lz4', root, sources, ['-w', `-I${path.join(root, 'lib')}`]);
    fs.mkdirSync(path.join(ctx.dir, 'lz4'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'lz4', 'data.bin'), mixedData('passgym-lz4', 1536 * 1024));
    return {
      args: ['-9', '-c', 'data.bin'],
      inputs: { 'data.bin': 'lz4/data.bin' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
