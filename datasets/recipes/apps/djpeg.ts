/**
 * `benchmark://apps-v0/djpeg`: libjpeg-turbo's `djpeg` (Debian source package `libjpeg-turbo`,
 * bookworm 2.1.5, no SIMD) decoding a JPEG into a PPM (cBench's `consumer_jpeg_d` is an older
 * libjpeg's djpeg). The JPEG is made at install time by a cjpeg built in the scratch folder from the
 * same sources, out of a generated photo-like image.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { bitcodeToExecutable } from '../../../env/datasets/build';
import { BenchmarkBuildError } from '../../../env/errors';
import { LIBJPEG_DEBIAN_PACKAGE, libjpegBuild, linkJpegProgram, pnmFile, syntheticPhoto } from './cjpeg';
import type { AppBuilder } from './types';

/** libjpeg-turbo's djpeg: a generated 2560x1920 quality-95 progressive JPEG to a PPM. */
export const djpegApp: AppBuilder = {
  id: 'djpeg',
  description: 'libjpeg-turbo 2.1.5 djpeg (no SIMD): a 2560x1920 quality-95 progressive JPEG (made by cjpeg from a generated photo) to a PPM',
  license: 'IJG AND BSD-3-Clause (libjpeg-turbo)',
  origin: `debian:${LIBJPEG_DEBIAN_PACKAGE}`,
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const lib = libjpegBuild(ctx);
    linkJpegProgram(ctx, lib, 'djpeg', path.join(ctx.dir, 'djpeg.bc'));
    // The input JPEG: a cjpeg from the same sources, built and run in the scratch folder.
    const tools = path.join(ctx.work, 'djpeg-input');
    fs.mkdirSync(tools, { recursive: true });
    const cjpegBc = path.join(tools, 'cjpeg.bc');
    const cjpegExe = path.join(tools, 'cjpeg');
    linkJpegProgram(ctx, lib, 'cjpeg', cjpegBc);
    bitcodeToExecutable(ctx.llvm, cjpegBc, cjpegExe, []);
    const [w, h] = [2560, 1920];
    const ppm = path.join(tools, 'photo.ppm');
    fs.writeFileSync(ppm, pnmFile(syntheticPhoto('passgym-djpeg', w, h), w, h));
    fs.mkdirSync(path.join(ctx.dir, 'djpeg'), { recursive: true });
    const jpeg = path.join(ctx.dir, 'djpeg', 'input.jpg');
    try {
      execFileSync(cjpegExe, ['-quality', '95', '-progressive', '-outfile', jpeg, ppm], { stdio: 'pipe', timeout: 120_000 });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new BenchmarkBuildError(`making djpeg's input with cjpeg failed: ${err.stderr?.toString().trim() || err.message}`);
    }
    return {
      args: ['-dct', 'int', '-ppm', '-outfile', 'output.ppm', 'input.jpg'],
      inputs: { 'input.jpg': 'djpeg/input.jpg' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['output.ppm'],
    };
  },
};
