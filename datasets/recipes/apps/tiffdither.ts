/**
 * `benchmark://apps-v0/tiffdither`: libtiff's `tiffdither` (Debian source package `tiff`, bookworm
 * 4.5.0; cBench's `consumer_tiffdither` is an older libtiff's) Floyd-Steinberg dithering a
 * generated LZW-compressed 8-bit greyscale TIFF to a bilevel image written with CCITT Group 4 fax
 * compression: LZW decoding, error diffusion and the fax3/4 encoder.
 */
import path from 'node:path';
import { TIFF_DEBIAN_PACKAGE, generatedTiff, libtiffBuild, linkTiffTool } from './tiff2bw';
import type { AppBuilder } from './types';

/** libtiff's tiffdither: a generated 2560x1920 greyscale TIFF to a Group 4 bilevel TIFF. */
export const tiffditherApp: AppBuilder = {
  id: 'tiffdither',
  description: 'libtiff 4.5.0 tiffdither: a generated 2560x1920 LZW-compressed greyscale TIFF dithered to a CCITT Group 4 bilevel TIFF',
  license: 'libtiff (BSD-like)',
  origin: `debian:${TIFF_DEBIAN_PACKAGE}`,
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const lib = libtiffBuild(ctx);
    linkTiffTool(ctx, lib, 'tiffdither', path.join(ctx.dir, 'tiffdither.bc'));
    generatedTiff(ctx, lib, 'passgym-tiffdither', 2560, 1920, true, path.join(ctx.dir, 'tiffdither', 'input.tif'));
    return {
      args: ['-c', 'g4', 'input.tif', 'output.tif'],
      inputs: { 'input.tif': 'tiffdither/input.tif' },
      linkArgs: ['-lm'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['output.tif'],
    };
  },
};
