/**
 * The programs of `benchmark://apps-v0/…`: real applications in the spirit of cBench, each built
 * from npm tarballs or Debian source packages into one module with a generated input.
 */
import type { AppBuilder } from './types';
import { bzip2App } from './bzip2';
import { cjpegApp } from './cjpeg';
import { cmarkGfmApp } from './cmark-gfm';
import { djpegApp } from './djpeg';
import { gifsicleApp } from './gifsicle';
import { jimshApp } from './jimsh';
import { lameApp } from './lame';
import { lz4App } from './lz4';
import { onigurumaApp } from './oniguruma';
import { optipngApp } from './optipng';
import { sqlite3App } from './sqlite3';
import { tiff2bwApp } from './tiff2bw';
import { tiffditherApp } from './tiffdither';
import { tiffmedianApp } from './tiffmedian';
import { toastApp } from './toast';
import { xmllintApp } from './xmllint';
import { xmlwfApp } from './xmlwf';
import { xzApp } from './xz';
import { zopfliApp } from './zopfli';

/** Every apps-v0 program, in id order. */
export const APP_BUILDERS: readonly AppBuilder[] = [
  bzip2App,
  cjpegApp,
  cmarkGfmApp,
  djpegApp,
  gifsicleApp,
  jimshApp,
  lameApp,
  lz4App,
  onigurumaApp,
  optipngApp,
  sqlite3App,
  tiff2bwApp,
  tiffditherApp,
  tiffmedianApp,
  toastApp,
  xmllintApp,
  xmlwfApp,
  xzApp,
  zopfliApp,
].sort((a, b) => a.id.localeCompare(b.id));
