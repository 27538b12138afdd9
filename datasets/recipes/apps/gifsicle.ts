/**
 * `benchmark://apps-v0/gifsicle`: Gifsicle 1.93 (GIF reading, LZW, color quantization, scaling,
 * frame optimization, writing), from the source tarball that npm `gifsicle` ships in
 * `vendor/source/`, built with a hand-written config.h and transforming a generated animated GIF:
 * scaled, reduced to fewer colors with dithering and optimized at -O3, written to stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { npmPackage, untar } from '../../../env/datasets/npm';
import { BenchmarkBuildError } from '../../../env/errors';
import { buildModule } from './zopfli';
import type { AppBuilder } from './types';

const GIFSICLE_NPM_SPEC = 'gifsicle@7.0.1';

/**
 * config.h for glibc on x86-64 in place of configure (the tarball has only configure.ac): the
 * headers and functions glibc has, LP64 sizes, no X11 (gifview is not built), no threads, no
 * SIMD vector types; the allocator lines are configure.ac's AH_BOTTOM.
 */
const GIFSICLE_CONFIG_H = `/* Written by PassGym for glibc x86-64 (see gifsicle.ts). */
#ifndef GIFSICLE_CONFIG_H
#define GIFSICLE_CONFIG_H
#define PACKAGE "gifsicle"
#define PACKAGE_NAME "gifsicle"
#define PACKAGE_VERSION "1.93"
#define VERSION "1.93"
#define HAVE_INTTYPES_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_STRINGS_H 1
#define HAVE_MEMORY_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_SELECT_H 1
#define HAVE_TIME_H 1
#define HAVE_UNISTD_H 1
#define HAVE_INT64_T 1
#define HAVE_UINT64_T 1
#define HAVE_UINTPTR_T 1
#define HAVE_MKSTEMP 1
#define HAVE_POW 1
#define HAVE_STRERROR 1
#define HAVE_STRTOUL 1
#define PATHNAME_SEPARATOR '/'
#define RANDOM random
#define SIZEOF_FLOAT 4
#define SIZEOF_UNSIGNED_INT 4
#define SIZEOF_UNSIGNED_LONG 8
#define SIZEOF_VOID_P 8
#define X_DISPLAY_MISSING 1
#include <stddef.h>
#define GIF_ALLOCATOR_DEFINED 1
#define Gif_Free free
#endif
`;

/** GIF's variable-width LZW of `pixels` (palette indices below 2^minCodeSize), as data sub-blocks. */
function lzw(pixels: Uint8Array, minCodeSize: number): Buffer {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  const bytes: number[] = [];
  let acc = 0;
  let nbits = 0;
  let size = minCodeSize + 1;
  const emit = (code: number) => {
    acc |= code << nbits;
    nbits += size;
    while (nbits >= 8) {
      bytes.push(acc & 0xff);
      acc >>>= 8;
      nbits -= 8;
    }
  };
  let table = new Map<number, number>();
  let next = eoi + 1;
  emit(clear);
  let prefix = pixels[0];
  for (let i = 1; i < pixels.length; i++) {
    const k = pixels[i];
    const key = prefix * 256 + k;
    const found = table.get(key);
    if (found !== undefined) {
      prefix = found;
      continue;
    }
    emit(prefix);
    if (next === 4096) {
      emit(clear);
      table = new Map();
      next = eoi + 1;
      size = minCodeSize + 1;
    } else {
      if (next >= 1 << size) size++;
      table.set(key, next++);
    }
    prefix = k;
  }
  emit(prefix);
  emit(eoi);
  if (nbits > 0) bytes.push(acc & 0xff);
  const blocks: number[] = [minCodeSize];
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  blocks.push(0);
  return Buffer.from(blocks);
}

/**
 * A seeded looping animated GIF of `frames` frames of `width`×`height` with a 128-color global
 * palette: a shifting gradient background, moving discs and a stripe band. Deterministic.
 */
export function generatedGif(seed: string, width: number, height: number, frames: number): Buffer {
  const rng = seedrandom(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const palette = Buffer.alloc(128 * 3);
  for (let i = 0; i < 128; i++) {
    // 64 colors of a smooth ramp, then 64 random ones.
    const c = i < 64 ? [i * 4, 255 - i * 4, (i * 8) & 0xff] : [int(256), int(256), int(256)];
    palette.set(c, i * 3);
  }
  const discs = Array.from({ length: 6 }, () => ({ x: int(width), y: int(height), r: 6 + int(height / 4), dx: int(9) - 4, dy: int(7) - 3, c: 64 + int(64) }));
  const screen = Buffer.alloc(13);
  screen.writeUInt16LE(width, 6);
  screen.writeUInt16LE(height, 8);
  screen.write('GIF89a', 0, 'latin1');
  screen[10] = 0xf0 | 6; // global color table of 2^(6+1) colors, 8 bits per primary
  const parts: Buffer[] = [screen, palette, Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 0x03, 0x01, 0x00, 0x00, 0x00])];
  for (let f = 0; f < frames; f++) {
    const px = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let c = ((x + y + f * 3) >> 2) & 63;
        if (y > height * 0.8 && ((x + f * 2) >> 3) & 1) c = 70 + (f & 7);
        for (const d of discs) {
          const cx = d.x + d.dx * f;
          const cy = d.y + d.dy * f;
          if ((x - cx) ** 2 + (y - cy) ** 2 < d.r * d.r) c = d.c;
        }
        if (rng() < 0.01) c = int(128);
        px[y * width + x] = c;
      }
    }
    const gce = Buffer.from([0x21, 0xf9, 0x04, 0x04, 8, 0, 0, 0]); // disposal: leave in place; 80 ms
    const desc = Buffer.alloc(10);
    desc[0] = 0x2c;
    desc.writeUInt16LE(width, 5);
    desc.writeUInt16LE(height, 7);
    parts.push(gce, desc, lzw(px, 7));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/** gifsicle (`-O3 --colors 24 --dither --scale 1.5`) on a generated 12-frame 200×150 animation, to stdout. */
export const gifsicleApp: AppBuilder = {
  id: 'gifsicle',
  description: 'Gifsicle 1.93 scaling, color-reducing (with dithering) and -O3 optimizing a generated 12-frame animated GIF',
  license: 'GPL-2.0 (Gifsicle)',
  origin: `npm:${GIFSICLE_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const source = path.join(npmPackage(GIFSICLE_NPM_SPEC, ctx.work), 'vendor', 'source');
    const tarball = fs.existsSync(source) ? fs.readdirSync(source).find((f) => /^gifsicle-[\d.]+\.tar\.gz$/.test(f)) : undefined;
    if (!tarball) throw new BenchmarkBuildError(`${GIFSICLE_NPM_SPEC}: no gifsicle tarball in vendor/source/`);
    const root = path.join(ctx.work, 'gifsicle-src', tarball.replace(/\.tar\.gz$/, ''));
    if (!fs.existsSync(path.join(root, 'src'))) untar(path.join(source, tarball), path.dirname(root));
    const gen = path.join(ctx.work, 'gifsicle-gen');
    fs.mkdirSync(gen, { recursive: true });
    fs.writeFileSync(path.join(gen, 'config.h'), GIFSICLE_CONFIG_H);
    // Makefile.am's gifsicle_SOURCES, with gifwrite.c (configure's default GIFWRITE_O).
    const units = ['clp', 'fmalloc', 'giffunc', 'gifread', 'gifunopt', 'merge', 'optimize', 'quantize', 'support', 'xform', 'gifsicle', 'gifwrite'].map((u) => `src/${u}.c`);
    buildModule(ctx, 'gifsicle', root, units, ['-w', '-DHAVE_CONFIG_H', `-I${gen}`, `-I${path.join(root, 'include')}`]);
    fs.mkdirSync(path.join(ctx.dir, 'gifsicle'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'gifsicle', 'anim.gif'), generatedGif('passgym-gifsicle', 200, 150, 12));
    return {
      args: ['-O3', '--colors', '24', '--dither', '--scale', '1.5', 'anim.gif'],
      inputs: { 'anim.gif': 'gifsicle/anim.gif' },
      linkArgs: ['-lm'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
