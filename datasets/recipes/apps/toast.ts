/**
 * `benchmark://apps-v0/toast`: `toast`, the GSM 06.10 full-rate speech encoder of libgsm (Debian
 * source package `libgsm`, bookworm 1.0.22; cBench's `telecom_gsm` is this program), encoding a
 * generated Sun `.au` u-law speech-like signal to GSM frames on stdout. Built as the upstream
 * Makefile builds it: `-DSASR -DWAV49 -DNeedFunctionPrototypes=1`, the library plus `toast*.c`.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { debianSource } from '../../../env/datasets/debian';
import type { AppBuilder } from './types';

/** `GSM_SOURCES` of libgsm's Makefile (in `src/`). */
const LIBGSM_UNITS = [
  'add', 'code', 'debug', 'decode', 'long_term', 'lpc', 'preprocess', 'rpe', 'gsm_destroy', 'gsm_decode',
  'gsm_encode', 'gsm_explode', 'gsm_implode', 'gsm_create', 'gsm_print', 'gsm_option', 'short_term', 'table',
];

/** `TOAST_SOURCES` of libgsm's Makefile. */
const TOAST_UNITS = ['toast', 'toast_lin', 'toast_ulaw', 'toast_alaw', 'toast_audio'];

/** G.711 mu-law encoding of a 16-bit sample. */
function ulaw(sample: number): number {
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += 0x84;
  let exponent = 7;
  for (let mask = 0x4000; exponent > 0 && (s & mask) === 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/**
 * `seconds` of deterministic speech-like audio at 8 kHz as a Sun `.au` file (8-bit u-law): a
 * sequence of voiced segments (a glottal pulse train with drifting pitch through three formant
 * resonators), unvoiced segments (noise through a high resonator) and pauses.
 */
export function speechAu(seed: string, seconds: number): Buffer {
  const rate = 8000;
  const rng = seedrandom(seed);
  const n = Math.round(seconds * rate);
  const signal = new Float64Array(n);
  // Two-pole resonators, one per formant: y = a x + b y1 + c y2.
  const resonator = (freq: number, bw: number) => {
    const c = -Math.exp((-2 * Math.PI * bw) / rate);
    const b = 2 * Math.exp((-Math.PI * bw) / rate) * Math.cos((2 * Math.PI * freq) / rate);
    return { a: 1 - b - c, b, c, y1: 0, y2: 0 };
  };
  const step = (r: ReturnType<typeof resonator>, x: number) => {
    const y = r.a * x + r.b * r.y1 + r.c * r.y2;
    r.y2 = r.y1;
    r.y1 = y;
    return y;
  };
  let i = 0;
  let phase = 0;
  let gain = 0;
  while (i < n) {
    const len = Math.min(n - i, Math.round(rate * (0.04 + rng() * 0.3)));
    const kind = rng();
    const voiced = kind < 0.6;
    const pause = kind >= 0.88;
    const f = [250 + rng() * 600, 850 + rng() * 1500, 2300 + rng() * 800];
    const formants = voiced ? f.map((x, k) => resonator(x, 60 + 40 * k + rng() * 40)) : [resonator(3000 + rng() * 1500, 400)];
    const pitch0 = 85 + rng() * 140;
    const pitch1 = pitch0 * (0.8 + rng() * 0.4);
    const target = pause ? 0 : voiced ? 9000 + rng() * 9000 : 2500 + rng() * 3000;
    for (let k = 0; k < len; k++, i++) {
      gain += (target - gain) * 0.004;
      let x: number;
      if (voiced) {
        phase += (pitch0 + ((pitch1 - pitch0) * k) / len) / rate;
        x = phase >= 1 ? 1 : 0;
        if (phase >= 1) phase -= 1;
        x += (rng() - 0.5) * 0.05;
      } else {
        x = rng() - 0.5;
      }
      let y = 0;
      for (const r of formants) y += step(r, x);
      signal[i] = gain * y * (voiced ? 1 : 0.5) + (rng() - 0.5) * 0.02 * target;
    }
  }
  // Peak-normalized to about 60% of full scale, then mu-law encoded.
  let peak = 1;
  for (const v of signal) peak = Math.max(peak, Math.abs(v));
  const data = Buffer.alloc(n);
  for (let k = 0; k < n; k++) data[k] = ulaw((signal[k] * 20000) / peak);
  const header = Buffer.alloc(24);
  header.write('.snd', 0, 'latin1');
  header.writeUInt32BE(24, 4); // header size
  header.writeUInt32BE(n, 8); // data size
  header.writeUInt32BE(1, 12); // 8-bit u-law
  header.writeUInt32BE(rate, 16);
  header.writeUInt32BE(1, 20); // mono
  return Buffer.concat([header, data]);
}

/** libgsm's toast encoding 90 s of generated speech-like u-law audio. */
export const toastApp: AppBuilder = {
  id: 'toast',
  description: 'libgsm 1.0.22 toast: GSM 06.10 encoding of 90 s of generated speech-like 8 kHz u-law audio (.au) to stdout',
  license: 'TU-Berlin-2.0 (libgsm)',
  origin: 'debian:libgsm',
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const src = debianSource('libgsm', path.join(ctx.work, 'debian-src'), path.join(ctx.work, 'apt'));
    const out = path.join(ctx.work, 'libgsm-bc');
    fs.mkdirSync(out, { recursive: true });
    const flags = ['-w', '-DSASR', '-DWAV49', '-DNeedFunctionPrototypes=1', `-I${path.join(src, 'inc')}`];
    const compile = (u: string) => {
      const bc = path.join(out, `${u}.bc`);
      compileToBitcode(ctx.llvm, path.join(src, 'src', `${u}.c`), bc, flags);
      return bc;
    };
    // The program whole, then from libgsm only what it reaches, as linking with libgsm.a would.
    const program = path.join(out, 'toast-main.bc');
    const library = path.join(out, 'libgsm.bc');
    linkBitcode(ctx.llvm, TOAST_UNITS.map(compile), program);
    linkBitcode(ctx.llvm, LIBGSM_UNITS.map(compile), library);
    linkBitcode(ctx.llvm, [program], path.join(ctx.dir, 'toast.bc'), [library]);
    fs.mkdirSync(path.join(ctx.dir, 'toast'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'toast', 'speech.au'), speechAu('passgym-toast', 90));
    return {
      // -f force, -p keep the input, -s Sun .au input, -c encode to stdout.
      args: ['-fps', '-c', 'speech.au'],
      inputs: { 'speech.au': 'toast/speech.au' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
