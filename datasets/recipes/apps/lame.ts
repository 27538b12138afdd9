/**
 * `benchmark://apps-v0/lame`: the LAME MP3 encoder (Debian source package `lame`, bookworm 3.100;
 * cBench's `consumer_lame` is an older LAME), encoding a generated 44.1 kHz stereo WAV to a
 * 128 kbit/s joint-stereo MP3: libmp3lame (psychoacoustic model, MDCT, quantization, bit
 * reservoir, Xing/LAME tag) and the `lame` front end, without the mpglib decoder and without SSE.
 * `config.h` is written here instead of running `./configure`.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { debianSource } from '../../../env/datasets/debian';
import type { AppBuilder } from './types';

/** `libmp3lame_la_SOURCES` of `libmp3lame/Makefile.am`. */
const LIBMP3LAME_UNITS = [
  'VbrTag', 'bitstream', 'encoder', 'fft', 'gain_analysis', 'id3tag', 'lame', 'newmdct', 'presets', 'psymodel',
  'quantize', 'quantize_pvt', 'reservoir', 'set_get', 'tables', 'takehiro', 'util', 'vbrquantize', 'version',
  'mpglib_interface',
];

/** `lame_SOURCES` of `frontend/Makefile.am` (`lame_main.c` plus the common sources). */
const FRONTEND_UNITS = ['lame_main', 'main', 'brhist', 'console', 'get_audio', 'lametime', 'parse', 'timestatus'];

/**
 * `config.h` for Linux x86-64 with glibc, as `./configure` would find it, minus optional
 * dependencies: no mpglib (MP3 input decoding), no libsndfile, no termcap/ncurses, no SSE
 * intrinsics, no NASM. `TAKEHIRO_IEEE754_HACK` and `USE_FAST_LOG` are what configure enables on x86.
 */
const CONFIG_H = `/* config.h written by PassGym for LAME 3.100 on Linux x86-64 (glibc). */
#ifndef LAME_CONFIG_H
#define LAME_CONFIG_H
#define STDC_HEADERS 1
#define HAVE_ERRNO_H 1
#define HAVE_FCNTL_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LIMITS_H 1
#define HAVE_MEMORY_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define TIME_WITH_SYS_TIME 1
#define HAVE_GETTIMEOFDAY 1
#define HAVE_STRTOL 1
#define HAVE_INT8_T 1
#define HAVE_INT16_T 1
#define HAVE_INT32_T 1
#define HAVE_INT64_T 1
#define HAVE_UINT8_T 1
#define HAVE_UINT16_T 1
#define HAVE_UINT32_T 1
#define HAVE_UINT64_T 1
#define HAVE_LONG_DOUBLE 1
#define HAVE_LONG_DOUBLE_WIDER 1
typedef float ieee754_float32_t;
typedef double ieee754_float64_t;
typedef long double ieee854_float80_t;
#define SIZEOF_SHORT 2
#define SIZEOF_UNSIGNED_SHORT 2
#define SIZEOF_INT 4
#define SIZEOF_UNSIGNED_INT 4
#define SIZEOF_LONG 8
#define SIZEOF_UNSIGNED_LONG 8
#define SIZEOF_LONG_LONG 8
#define SIZEOF_UNSIGNED_LONG_LONG 8
#define SIZEOF_FLOAT 4
#define SIZEOF_DOUBLE 8
#define SIZEOF_LONG_DOUBLE 16
#define LAME_LIBRARY_BUILD 1
#define TAKEHIRO_IEEE754_HACK 1
#define USE_FAST_LOG 1
#define PACKAGE "lame"
#define PACKAGE_NAME "lame"
#define PACKAGE_TARNAME "lame"
#define PACKAGE_VERSION "3.100"
#define PACKAGE_STRING "lame 3.100"
#define PACKAGE_BUGREPORT "lame-dev@lists.sf.net"
#define PACKAGE_URL ""
#define VERSION "3.100"
#endif
`;

/**
 * `seconds` of deterministic music-like audio as a 16-bit stereo 44.1 kHz WAV file: a melody and
 * chords of harmonic notes with attack/decay envelopes and vibrato, panned differently on the two
 * channels, plus noise-burst percussion, peak-normalized.
 */
export function musicWav(seed: string, seconds: number): Buffer {
  const rate = 44100;
  const rng = seedrandom(seed);
  const n = Math.round(seconds * rate);
  const left = new Float64Array(n);
  const right = new Float64Array(n);
  const scale = [0, 2, 3, 5, 7, 8, 10, 12];
  const beat = Math.round(rate * (0.18 + rng() * 0.1));
  const root = 110 * 2 ** (Math.floor(rng() * 12) / 12);
  const note = (start: number, len: number, freq: number, amp: number, pan: number, harmonics: number) => {
    const vibrato = 3 + rng() * 4;
    for (let k = 0; k < len && start + k < n; k++) {
      const t = k / rate;
      const env = Math.min(1, k / 400) * Math.exp((-3 * k) / len);
      const f = freq * (1 + 0.004 * Math.sin(2 * Math.PI * vibrato * t));
      let v = 0;
      for (let h = 1; h <= harmonics; h++) v += Math.sin(2 * Math.PI * f * h * t) / (h * h * 0.6 + 0.4);
      left[start + k] += amp * env * v * (1 - pan);
      right[start + k] += amp * env * v * pan;
    }
  };
  for (let start = 0; start < n; start += beat) {
    const degree = scale[Math.floor(rng() * scale.length)];
    note(start, beat * (1 + Math.floor(rng() * 2)), root * 4 * 2 ** (degree / 12), 0.5, 0.3 + rng() * 0.4, 6);
    if (Math.floor(start / beat) % 4 === 0) {
      for (const d of [0, 4, 7]) note(start, beat * 4, root * 2 ** ((degree + d) / 12), 0.25, 0.2 + rng() * 0.6, 4);
    }
    if (rng() < 0.5) {
      // Percussion: a decaying noise burst, slightly different on each channel.
      const len = Math.round(rate * 0.08);
      for (let k = 0; k < len && start + k < n; k++) {
        const env = 0.4 * Math.exp((-6 * k) / len);
        left[start + k] += env * (rng() * 2 - 1);
        right[start + k] += env * (rng() * 2 - 1);
      }
    }
  }
  let peak = 1e-9;
  for (let k = 0; k < n; k++) peak = Math.max(peak, Math.abs(left[k]), Math.abs(right[k]));
  const data = Buffer.alloc(n * 4);
  for (let k = 0; k < n; k++) {
    data.writeInt16LE(Math.round((left[k] / peak) * 26000), 4 * k);
    data.writeInt16LE(Math.round((right[k] / peak) * 26000), 4 * k + 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // channels
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 4, 28); // bytes per second
  header.writeUInt16LE(4, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** LAME encoding 6 s of generated stereo music to a 128 kbit/s MP3. */
export const lameApp: AppBuilder = {
  id: 'lame',
  description: 'LAME 3.100 (libmp3lame and the lame front end, no SSE): 6 s of generated 44.1 kHz stereo music (WAV) to a 128 kbit/s MP3',
  license: 'LGPL-2.0-or-later (LAME)',
  origin: 'debian:lame',
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const src = debianSource('lame', path.join(ctx.work, 'debian-src'), path.join(ctx.work, 'apt'));
    const out = path.join(ctx.work, 'lame-bc');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'config.h'), CONFIG_H);
    const flags = ['-w', '-DHAVE_CONFIG_H', `-I${out}`, `-I${path.join(src, 'include')}`, `-I${path.join(src, 'libmp3lame')}`];
    const compile = (dir: string, u: string) => {
      const bc = path.join(out, `${dir}-${u}.bc`);
      compileToBitcode(ctx.llvm, path.join(src, dir, `${u}.c`), bc, flags);
      return bc;
    };
    // The front end whole, then from libmp3lame only what it reaches (linkBitcode's libraries), as linking with libmp3lame.a would.
    const frontend = path.join(out, 'frontend.bc');
    const library = path.join(out, 'libmp3lame.bc');
    linkBitcode(ctx.llvm, FRONTEND_UNITS.map((u) => compile('frontend', u)), frontend);
    linkBitcode(ctx.llvm, LIBMP3LAME_UNITS.map((u) => compile('libmp3lame', u)), library);
    linkBitcode(ctx.llvm, [frontend], path.join(ctx.dir, 'lame.bc'), [library]);
    fs.mkdirSync(path.join(ctx.dir, 'lame'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'lame', 'input.wav'), musicWav('passgym-lame', 6));
    return {
      args: ['--quiet', 'input.wav', 'output.mp3'],
      inputs: { 'input.wav': 'lame/input.wav' },
      linkArgs: ['-lm'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['output.mp3'],
    };
  },
};
