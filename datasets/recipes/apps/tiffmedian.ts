/**
 * `benchmark://apps-v0/tiffmedian`: libtiff's `tiffmedian` (Debian source package `tiff`, bookworm
 * 4.5.0; cBench's `consumer_tiffmedian` is an older libtiff's) reducing a generated LZW-compressed
 * RGB TIFF to a 256-colour palette image by Heckbert's median cut with Floyd-Steinberg dithering,
 * written LZW-compressed.
 */
import path from 'node:path';
import { TIFF_DEBIAN_PACKAGE, generatedTiff, libtiffBuild, linkTiffTool } from './tiff2bw';
import type { AppBuilder } from './types';

/** libtiff's tiffmedian: a generated 1600x1200 RGB TIFF to a dithered 256-colour palette TIFF. */
export const tiffmedianApp: AppBuilder = {
  id: 'tiffmedian',
  description: 'libtiff 4.5.0 tiffmedian: a generated 1600x1200 LZW-compressed RGB TIFF to a 256-colour median-cut palette TIFF with Floyd-Steinberg dithering',
  license: 'libtiff (BSD-like)',
  origin: `debian:${TIFF_DEBIAN_PACKAGE}`,
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const lib = libtiffBuild(ctx);
    linkTiffTool(ctx, lib, 'tiffmedian', path.join(ctx.dir, 'tiffmedian.bc'));
    generatedTiff(ctx, lib, 'passgym-tiffmedian', 1600, 1200, false, path.join(ctx.dir, 'tiffmedian', 'input.tif'));
    return {
      args: ['-c', 'lzw', '-f', 'input.tif', 'output.tif'],
      inputs: { 'input.tif': 'tiffmedian/input.tif' },
      linkArgs: ['-lm'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['output.tif'],
    };
  },
};
