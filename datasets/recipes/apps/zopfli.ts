/**
 * `benchmark://apps-v0/zopfli`: Google's Zopfli deflate compressor (the `zopfli` command and its
 * library, from the copy that npm `node-zopfli` ships), compressing a generated file to gzip on
 * stdout. Also home of `mixedData`, the seeded compressible input shared by the compressor apps.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { npmPackage } from '../../../env/datasets/npm';
import type { InstallContext } from '../../../env/datasets/types';
import type { AppBuilder } from './types';

const ZOPFLI_NPM_SPEC = 'node-zopfli@2.1.4';

/**
 * Seeded data of `size` bytes in the mix a general-purpose compressor meets: prose-like text
 * from a small vocabulary, CSV records, a table of slowly varying little-endian integers, and
 * short runs of incompressible bytes. Deterministic for a given seed and size.
 */
export function mixedData(seed: string, size: number): Buffer {
  const rng = seedrandom(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const syll = ['the', 'an', 'ing', 'er', 'on', 'at', 'ri', 'so', 'ma', 'ke', 'lo', 'tu', 'ex', 'pa', 'vi', 'der'];
  const vocabulary = Array.from({ length: 400 }, () => Array.from({ length: 1 + int(3) }, () => syll[int(syll.length)]).join(''));
  const word = () => vocabulary[Math.floor(vocabulary.length * rng() ** 3)];
  const parts: Buffer[] = [];
  let total = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    total += b.length;
  };
  while (total < size) {
    const kind = int(8);
    if (kind < 4) {
      const sentences: string[] = [];
      for (let s = 0; s < 5 + int(20); s++) {
        const words = Array.from({ length: 4 + int(12) }, word);
        words[0] = words[0][0].toUpperCase() + words[0].slice(1);
        sentences.push(words.join(' ') + (rng() < 0.8 ? '.' : ','));
      }
      push(Buffer.from(sentences.join(' ') + '\n\n'));
    } else if (kind < 6) {
      const rows: string[] = [];
      for (let r = 0; r < 10 + int(60); r++) {
        rows.push(`${10000 + int(5000)},${word()},${(int(100000) / 100).toFixed(2)},${['ok', 'late', 'void'][int(3)]},2024-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}\n`);
      }
      push(Buffer.from(rows.join('')));
    } else if (kind === 6) {
      const n = 64 + int(512);
      const b = Buffer.alloc(n * 4);
      let v = int(1 << 20);
      for (let i = 0; i < n; i++) {
        v = (v + int(64) - 24) >>> 0;
        b.writeUInt32LE(v, i * 4);
      }
      push(b);
    } else {
      const b = Buffer.alloc(16 + int(200));
      for (let i = 0; i < b.length; i++) b[i] = int(256);
      push(b);
    }
  }
  return Buffer.concat(parts).subarray(0, size);
}

/** Compiles `sources` (relative to `root`) into bitcode under `ctx.work/<id>-bc` and links them into `ctx.dir/<id>.bc`. */
export function buildModule(ctx: InstallContext, id: string, root: string, sources: readonly string[], flags: readonly string[]): void {
  const obj = path.join(ctx.work, `${id}-bc`);
  fs.mkdirSync(obj, { recursive: true });
  const units = sources.map((rel, k) => {
    const out = path.join(obj, `${k}-${path.basename(rel).replace(/\.\w+$/, '')}.bc`);
    compileToBitcode(ctx.llvm, path.join(root, rel), out, [...flags]);
    return out;
  });
  linkBitcode(ctx.llvm, units, path.join(ctx.dir, `${id}.bc`));
}

/** Zopfli (`zopfli -c --i10`) compressing a generated 6 KB file to gzip on stdout. */
export const zopfliApp: AppBuilder = {
  id: 'zopfli',
  description: 'Zopfli deflate compressor (zopfli CLI + library) compressing generated text/CSV/binary data to gzip',
  license: 'Apache-2.0 (Zopfli)',
  origin: `npm:${ZOPFLI_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const root = path.join(npmPackage(ZOPFLI_NPM_SPEC, ctx.work), 'zopfli', 'src', 'zopfli');
    const lib = ['blocksplitter.c', 'cache.c', 'deflate.c', 'gzip_container.c', 'hash.c', 'katajainen.c', 'lz77.c', 'squeeze.c', 'tree.c', 'util.c', 'zlib_container.c', 'zopfli_lib.c'];
    buildModule(ctx, 'zopfli', root, [...lib, 'zopfli_bin.c'], ['-w']);
    fs.mkdirSync(path.join(ctx.dir, 'zopfli'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'zopfli', 'data.txt'), mixedData('passgym-zopfli', 6 * 1024));
    return {
      args: ['-c', '--i10', 'data.txt'],
      inputs: { 'data.txt': 'zopfli/data.txt' },
      linkArgs: ['-lm'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
