/**
 * `benchmark://apps-v0/cjpeg`: libjpeg-turbo's `cjpeg` (Debian source package `libjpeg-turbo`,
 * bookworm 2.1.5) compressing a generated photo-like PPM image into a progressive, Huffman-optimized
 * JPEG (cBench's `consumer_jpeg_c` is an older libjpeg's cjpeg). The library is built without
 * SIMD (`jsimd_none.c`), so all of the DCT, colour conversion and entropy coding is C.
 *
 * Also exports what `djpeg` shares: the library build and the image generator.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { debianSource } from '../../../env/datasets/debian';
import type { InstallContext } from '../../../env/datasets/types';
import type { AppBuilder } from './types';

/** Debian source package of libjpeg-turbo. */
export const LIBJPEG_DEBIAN_PACKAGE = 'libjpeg-turbo';

/** The library's translation units (CMakeLists.txt `JPEG_SOURCES` with arithmetic coding, no SIMD). */
const LIBJPEG_UNITS = [
  'jcapimin', 'jcapistd', 'jccoefct', 'jccolor', 'jcdctmgr', 'jchuff', 'jcicc', 'jcinit', 'jcmainct', 'jcmarker',
  'jcmaster', 'jcomapi', 'jcparam', 'jcphuff', 'jcprepct', 'jcsample', 'jctrans', 'jdapimin', 'jdapistd', 'jdatadst',
  'jdatasrc', 'jdcoefct', 'jdcolor', 'jddctmgr', 'jdhuff', 'jdicc', 'jdinput', 'jdmainct', 'jdmarker', 'jdmaster',
  'jdmerge', 'jdphuff', 'jdpostct', 'jdsample', 'jdtrans', 'jerror', 'jfdctflt', 'jfdctfst', 'jfdctint', 'jidctflt',
  'jidctfst', 'jidctint', 'jidctred', 'jquant1', 'jquant2', 'jutils', 'jmemmgr', 'jmemnobs', 'jaricom', 'jcarith',
  'jdarith', 'jsimd_none',
];

/** Translation units of the two programs besides the library (CMakeLists.txt `cjpeg-static`, `djpeg-static`). */
export const JPEG_PROGRAM_UNITS: Record<'cjpeg' | 'djpeg', string[]> = {
  cjpeg: ['cjpeg', 'cdjpeg', 'rdgif', 'rdppm', 'rdswitch', 'rdbmp', 'rdtarga'],
  djpeg: ['djpeg', 'cdjpeg', 'rdcolmap', 'rdswitch', 'wrgif', 'wrppm', 'wrbmp', 'wrtarga'],
};

/**
 * `jconfig.h` as libjpeg-turbo's CMake build writes it for Debian's configuration (libjpeg 6.2 API,
 * arithmetic coding and in-memory source/destination managers on), but without SIMD.
 */
const JCONFIG_H = `/* jconfig.h written by PassGym for libjpeg-turbo 2.1.5 on Linux x86-64 (no SIMD). */
#define JPEG_LIB_VERSION  62
#define LIBJPEG_TURBO_VERSION  2.1.5
#define LIBJPEG_TURBO_VERSION_NUMBER  2001005
#define C_ARITH_CODING_SUPPORTED 1
#define D_ARITH_CODING_SUPPORTED 1
#define MEM_SRCDST_SUPPORTED 1
#define BITS_IN_JSAMPLE  8
`;

/**
 * `jconfigint.h`: a fixed build string (no date, so the programs' output is reproducible), plain
 * `__inline__` (not forced inlining: inlining is left to the pass pipeline), 64-bit size_t.
 */
const JCONFIGINT_H = `/* jconfigint.h written by PassGym for libjpeg-turbo 2.1.5 on Linux x86-64. */
#define BUILD  "passgym"
#undef inline
#define INLINE  __inline__
#define THREAD_LOCAL  __thread
#define PACKAGE_NAME  "libjpeg-turbo"
#define VERSION  "2.1.5"
#define SIZEOF_SIZE_T  8
#define HAVE_BUILTIN_CTZL
#if defined(__has_attribute)
#if __has_attribute(fallthrough)
#define FALLTHROUGH  __attribute__((fallthrough));
#else
#define FALLTHROUGH
#endif
#else
#define FALLTHROUGH
#endif
`;

/** Image formats the programs read and write (CMakeLists.txt `COMPILE_FLAGS` of the 8-bit build). */
const JPEG_FLAGS = ['-w', '-DBMP_SUPPORTED', '-DGIF_SUPPORTED', '-DPPM_SUPPORTED', '-DTARGA_SUPPORTED'];

/** A compiled libjpeg-turbo: its bitcode objects, and how to compile the programs' own units. */
export interface LibjpegBuild {
  /** Unpacked Debian source folder. */
  src: string;
  /** The library's translation units linked into one bitcode module (like `libjpeg.a`). */
  library: string;
  /** Bitcode of one program unit (`cjpeg`, `rdppm`…), compiled on first request. */
  unit(name: string): string;
  /** Scratch folder of the build's objects. */
  out: string;
}

/**
 * Fetches the Debian source of libjpeg-turbo and compiles the library to bitcode in `ctx.work`
 * (once per install: later calls, e.g. from `djpeg` after `cjpeg`, reuse the objects).
 * @throws BenchmarkBuildError or PassGymError (DOWNLOAD_FAILED) naming the failing step.
 */
export function libjpegBuild(ctx: InstallContext): LibjpegBuild {
  const src = debianSource(LIBJPEG_DEBIAN_PACKAGE, path.join(ctx.work, 'debian-src'), path.join(ctx.work, 'apt'));
  const out = path.join(ctx.work, 'libjpeg-turbo-bc');
  const inc = path.join(out, 'include');
  fs.mkdirSync(inc, { recursive: true });
  fs.writeFileSync(path.join(inc, 'jconfig.h'), JCONFIG_H);
  fs.writeFileSync(path.join(inc, 'jconfigint.h'), JCONFIGINT_H);
  const jversion = fs.readFileSync(path.join(src, 'jversion.h.in'), 'utf8').replace(/@COPYRIGHT_YEAR@/g, '1991-2023');
  fs.writeFileSync(path.join(inc, 'jversion.h'), jversion);
  const flags = [...JPEG_FLAGS, `-I${inc}`, `-I${src}`];
  const unit = (name: string): string => {
    const bc = path.join(out, `${name}.bc`);
    if (!fs.existsSync(bc)) {
      compileToBitcode(ctx.llvm, path.join(src, `${name}.c`), `${bc}.tmp`, flags);
      fs.renameSync(`${bc}.tmp`, bc);
    }
    return bc;
  };
  const library = path.join(out, 'libjpeg.bc');
  if (!fs.existsSync(library)) linkBitcode(ctx.llvm, LIBJPEG_UNITS.map(unit), library);
  return { src, library, unit, out };
}

/**
 * Links `cjpeg` or `djpeg` into one bitcode module at `out`: the program's units whole, then from
 * the library only the functions and data they reach (`llvm-link --only-needed`, what linking with
 * a static library does at function granularity), so the module holds no dead library code.
 */
export function linkJpegProgram(ctx: InstallContext, lib: LibjpegBuild, program: 'cjpeg' | 'djpeg', out: string): void {
  const main = path.join(lib.out, `${program}-main.bc`);
  linkBitcode(ctx.llvm, JPEG_PROGRAM_UNITS[program].map((u) => lib.unit(u)), main);
  // llvm-link's --only-needed applies to the files after the first one.
  linkBitcode(ctx.llvm, [main], out, [lib.library]);
}

/**
 * A deterministic photo-like RGB image (`width*height*3` bytes, row-major): fractal value noise
 * per channel (smooth regions and texture), a few dozen blended ellipses and rectangles (edges), and
 * fine grain, all from the seed.
 */
export function syntheticPhoto(seed: string, width: number, height: number): Buffer {
  const rng = seedrandom(seed);
  const octaves = [192, 96, 48, 24, 12];
  // Value-noise grids: per channel and octave, random values in [-1, 1] at the cell corners.
  const grids = [0, 1, 2].map(() =>
    octaves.map((cell) => {
      const gw = Math.ceil(width / cell) + 2;
      const gh = Math.ceil(height / cell) + 2;
      return { cell, gw, v: Float64Array.from({ length: gw * gh }, () => rng() * 2 - 1) };
    }),
  );
  const base = [0, 1, 2].map(() => 70 + rng() * 110);
  const contrast = [0, 1, 2].map(() => 60 + rng() * 50);
  const img = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let amp = 1;
        for (const g of grids[c]) {
          const fx = x / g.cell;
          const fy = y / g.cell;
          const ix = Math.floor(fx);
          const iy = Math.floor(fy);
          const tx = fx - ix;
          const ty = fy - iy;
          const i = iy * g.gw + ix;
          const top = g.v[i] + (g.v[i + 1] - g.v[i]) * tx;
          const bottom = g.v[i + g.gw] + (g.v[i + g.gw + 1] - g.v[i + g.gw]) * tx;
          s += amp * (top + (bottom - top) * ty);
          amp *= 0.5;
        }
        img[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(base[c] + contrast[c] * s)));
      }
    }
  }
  // Shapes: flat-coloured ellipses and rectangles blended over the noise.
  const shapes = 24 + Math.floor(rng() * 24);
  for (let k = 0; k < shapes; k++) {
    const ellipse = rng() < 0.6;
    const cx = rng() * width;
    const cy = rng() * height;
    const rx = 8 + rng() * width * 0.12;
    const ry = 8 + rng() * height * 0.12;
    const colour = [rng() * 255, rng() * 255, rng() * 255];
    const alpha = 0.4 + rng() * 0.5;
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, Math.ceil(cx + rx)); x++) {
        if (ellipse && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1) continue;
        const p = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) img[p + c] = Math.round(img[p + c] * (1 - alpha) + colour[c] * alpha);
      }
    }
  }
  // Grain: +-3 from a 32-bit xorshift seeded by the generator.
  let st = (Math.floor(rng() * 0xffffffff) | 1) >>> 0;
  for (let i = 0; i < img.length; i++) {
    st ^= st << 13;
    st >>>= 0;
    st ^= st >>> 17;
    st ^= st << 5;
    st >>>= 0;
    img[i] = Math.max(0, Math.min(255, img[i] + (st % 7) - 3));
  }
  return img;
}

/** A binary PPM (P6) file of an RGB image, or a PGM (P5) when `grey` (luma of the RGB image). */
export function pnmFile(rgb: Buffer, width: number, height: number, grey = false): Buffer {
  if (!grey) return Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`), rgb]);
  const g = Buffer.alloc(width * height);
  for (let i = 0; i < g.length; i++) g[i] = (77 * rgb[3 * i] + 150 * rgb[3 * i + 1] + 29 * rgb[3 * i + 2]) >> 8;
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), g]);
}

/** libjpeg-turbo's cjpeg: a generated 2048x1536 PPM to a progressive, optimized JPEG. */
export const cjpegApp: AppBuilder = {
  id: 'cjpeg',
  description: 'libjpeg-turbo 2.1.5 cjpeg (no SIMD): a generated 2048x1536 PPM photo to a progressive, Huffman-optimized JPEG',
  license: 'IJG AND BSD-3-Clause (libjpeg-turbo)',
  origin: `debian:${LIBJPEG_DEBIAN_PACKAGE}`,
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const lib = libjpegBuild(ctx);
    linkJpegProgram(ctx, lib, 'cjpeg', path.join(ctx.dir, 'cjpeg.bc'));
    const [w, h] = [2048, 1536];
    fs.mkdirSync(path.join(ctx.dir, 'cjpeg'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'cjpeg', 'input.ppm'), pnmFile(syntheticPhoto('passgym-cjpeg', w, h), w, h));
    return {
      args: ['-dct', 'int', '-progressive', '-optimize', '-outfile', 'output.jpg', 'input.ppm'],
      inputs: { 'input.ppm': 'cjpeg/input.ppm' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['output.jpg'],
    };
  },
};
