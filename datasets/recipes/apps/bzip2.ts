/**
 * `benchmark://apps-v0/bzip2`: the bzip2 compressor (Debian source package `bzip2`, bookworm
 * 1.0.8; cBench's `bzip2e`/`bzip2d` are bzip2 too) compressing generated text-like data with `-9`
 * to stdout: the Burrows-Wheeler block sort, MTF/RLE and Huffman coding of libbz2 plus the
 * command-line program, linked into one module.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { debianSource } from '../../../env/datasets/debian';
import type { AppBuilder } from './types';

/** Translation units of libbz2 (the Makefile's `OBJS`); the program adds `bzip2.c`. */
const LIBBZ2_UNITS = ['blocksort', 'huffman', 'crctable', 'randtable', 'compress', 'decompress', 'bzlib'];

/**
 * About `bytes` bytes of deterministic compressible data: prose-like lines from a Zipf-distributed
 * vocabulary, interleaved with log records (timestamps, hex ids, numbers) and short runs of
 * repeated bytes, so that the block sort meets both text and degenerate inputs.
 */
export function bzip2Input(seed: string, bytes: number): Buffer {
  const rng = seedrandom(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  // Letter choice skewed to the front of `letters`, like English letter frequencies.
  const word = () => Array.from({ length: 1 + int(8) }, () => letters[Math.floor(letters.length * rng() ** 2.2)]).join('');
  const vocabulary = Array.from({ length: 4000 }, word);
  const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR'];
  const parts: string[] = [];
  let size = 0;
  let clock = 1_600_000_000;
  while (size < bytes) {
    let line: string;
    const r = rng();
    if (r < 0.6) {
      const n = 5 + int(14);
      const words = Array.from({ length: n }, () => vocabulary[Math.floor(vocabulary.length * rng() ** 3)]);
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      line = `${words.join(' ')}${rng() < 0.8 ? '.' : rng() < 0.5 ? '?' : ';'}`;
    } else if (r < 0.95) {
      clock += int(5000);
      const id = int(0x1000000).toString(16).padStart(6, '0');
      line = `${clock}.${String(int(1000)).padStart(3, '0')} ${levels[int(levels.length)]} worker-${int(16)} req=${id} bytes=${int(70000)} ${vocabulary[int(200)]}=${int(100)}`;
    } else {
      line = String.fromCharCode(33 + int(90)).repeat(10 + int(200));
    }
    parts.push(line, '\n');
    size += line.length + 1;
  }
  return Buffer.from(parts.join(''), 'latin1');
}

/** bzip2 -9 compressing about 2 MB of generated text to stdout. */
export const bzip2App: AppBuilder = {
  id: 'bzip2',
  description: 'bzip2 1.0.8 (libbz2 and the bzip2 program): compress ~2 MB of generated text and log lines with -9 to stdout',
  license: 'bzip2-1.0.6 (BSD-like)',
  origin: 'debian:bzip2',
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const src = debianSource('bzip2', path.join(ctx.work, 'debian-src'), path.join(ctx.work, 'apt'));
    const out = path.join(ctx.work, 'bzip2-bc');
    fs.mkdirSync(out, { recursive: true });
    const compile = (u: string) => {
      const bc = path.join(out, `${u}.bc`);
      compileToBitcode(ctx.llvm, path.join(src, `${u}.c`), bc, ['-w', '-D_FILE_OFFSET_BITS=64']);
      return bc;
    };
    // bzip2.c whole, then from libbz2 only what it reaches, as linking with libbz2.a would.
    const library = path.join(out, 'libbz2.bc');
    linkBitcode(ctx.llvm, LIBBZ2_UNITS.map(compile), library);
    linkBitcode(ctx.llvm, [compile('bzip2')], path.join(ctx.dir, 'bzip2.bc'), [library]);
    fs.mkdirSync(path.join(ctx.dir, 'bzip2'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'bzip2', 'input.txt'), bzip2Input('passgym-bzip2', 2_000_000));
    return {
      args: ['-9', '-c', 'input.txt'],
      inputs: { 'input.txt': 'bzip2/input.txt' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
