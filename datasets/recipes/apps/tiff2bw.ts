/**
 * `benchmark://apps-v0/tiff2bw`: libtiff's `tiff2bw` (Debian source package `tiff`, bookworm
 * 4.5.0; cBench's `consumer_tiff2bw` is an older libtiff's) converting a generated LZW-compressed
 * RGB TIFF to an LZW-compressed greyscale TIFF: LZW and predictor decoding and encoding, strip
 * I/O and directory reading/writing of libtiff, linked with the tool into one module.
 *
 * Also exports what `tiffdither` and `tiffmedian` share: the libtiff build and making input TIFFs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { bitcodeToExecutable, compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { debianSource } from '../../../env/datasets/debian';
import { BenchmarkBuildError } from '../../../env/errors';
import type { InstallContext } from '../../../env/datasets/types';
import { pnmFile, syntheticPhoto } from './cjpeg';
import type { AppBuilder } from './types';

/** Debian source package of libtiff and its tools. */
export const TIFF_DEBIAN_PACKAGE = 'tiff';

/**
 * libtiff's translation units for the codecs enabled in `tiffconf.h` (`libtiff/CMakeLists.txt`
 * minus the codecs needing other libraries: JPEG, OJPEG, ZIP, PixarLog, LZMA, ZSTD, WebP, JBIG,
 * LERC), with the Unix file I/O.
 */
const LIBTIFF_UNITS = [
  'aux', 'close', 'codec', 'color', 'compress', 'dir', 'dirinfo', 'dirread', 'dirwrite', 'dumpmode', 'error',
  'extension', 'fax3', 'fax3sm', 'flush', 'getimage', 'hash_set', 'luv', 'lzw', 'next', 'open', 'packbits',
  'predict', 'print', 'read', 'strip', 'swab', 'thunder', 'tile', 'version', 'warning', 'write', 'unix',
].map((u) => `tif_${u}`);

/**
 * `tiffconf.h` for Linux x86-64: C99 fixed-size types, little-endian, and the built-in codecs
 * (CCITT fax, LogLuv, LZW, NeXT, PackBits, ThunderScan) but none that need another library.
 */
const TIFFCONF_H = `/* tiffconf.h written by PassGym for libtiff 4.5.0 on Linux x86-64. */
#ifndef _TIFFCONF_
#define _TIFFCONF_
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#define TIFF_INT8_T int8_t
#define TIFF_INT16_T int16_t
#define TIFF_INT32_T int32_t
#define TIFF_INT64_T int64_t
#define TIFF_UINT8_T uint8_t
#define TIFF_UINT16_T uint16_t
#define TIFF_UINT32_T uint32_t
#define TIFF_UINT64_T uint64_t
#define TIFF_SSIZE_T int64_t
#define HAVE_IEEEFP 1
#define HOST_FILLORDER FILLORDER_LSB2MSB
#define HOST_BIGENDIAN 0
#define CCITT_SUPPORT 1
#define LOGLUV_SUPPORT 1
#define LZW_SUPPORT 1
#define NEXT_SUPPORT 1
#define PACKBITS_SUPPORT 1
#define THUNDER_SUPPORT 1
#define STRIPCHOP_DEFAULT TIFF_STRIPCHOP
#define SUBIFD_SUPPORT 1
#define DEFAULT_EXTRASAMPLE_AS_ALPHA 1
#define CHECK_JPEG_YCBCR_SUBSAMPLING 1
#define MDI_SUPPORT 1
#define COLORIMETRY_SUPPORT
#define YCBCR_SUPPORT
#define CMYK_SUPPORT
#define ICC_SUPPORT
#define PHOTOSHOP_SUPPORT
#define IPTC_SUPPORT
#endif
`;

/** `tif_config.h` (the private configuration): POSIX headers, getopt and mmap from glibc, CMake's defaults. */
const TIF_CONFIG_H = `/* tif_config.h written by PassGym for libtiff 4.5.0 on Linux x86-64 (glibc). */
#include "tiffconf.h"
#define HAVE_ASSERT_H 1
#define HAVE_DECL_OPTARG 1
#define HAVE_FCNTL_H 1
#define HAVE_FSEEKO 1
#define HAVE_GETOPT 1
#define HAVE_MMAP 1
#define HAVE_STRINGS_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define PACKAGE "LibTIFF Software"
#define PACKAGE_BUGREPORT "tiff@lists.maptools.org"
#define PACKAGE_NAME "LibTIFF Software"
#define PACKAGE_STRING "LibTIFF Software 4.5.0"
#define PACKAGE_TARNAME "tiff"
#define PACKAGE_URL ""
#define PACKAGE_VERSION "4.5.0"
#define VERSION "4.5.0"
#define SIZEOF_SIZE_T 8
#define STRIP_SIZE_DEFAULT 8192
#define TIFF_MAX_DIR_COUNT 1048576
#define TIFF_SIZE_FORMAT "zu"
#define TIFF_SSIZE_FORMAT PRId64
`;

/** `libport_config.h` of the tools' portability layer: glibc has getopt. */
const LIBPORT_CONFIG_H = `/* libport_config.h written by PassGym: glibc provides getopt and unistd.h. */
#define HAVE_GETOPT 1
#define HAVE_UNISTD_H 1
`;

/** A compiled libtiff: its bitcode objects, and how to compile and link its tools. */
export interface LibtiffBuild {
  src: string;
  /** The library's translation units linked into one bitcode module (like `libtiff.a`). */
  library: string;
  /** Bitcode of `tools/<name>.c`, compiled on first request. */
  tool(name: string): string;
}

/**
 * Fetches the Debian source of libtiff and compiles the library to bitcode in `ctx.work` (once
 * per install; the three tools share it).
 * @throws BenchmarkBuildError or PassGymError (DOWNLOAD_FAILED) naming the failing step.
 */
export function libtiffBuild(ctx: InstallContext): LibtiffBuild {
  const src = debianSource(TIFF_DEBIAN_PACKAGE, path.join(ctx.work, 'debian-src'), path.join(ctx.work, 'apt'));
  const out = path.join(ctx.work, 'libtiff-bc');
  const inc = path.join(out, 'include');
  fs.mkdirSync(inc, { recursive: true });
  fs.writeFileSync(path.join(inc, 'tiffconf.h'), TIFFCONF_H);
  fs.writeFileSync(path.join(inc, 'tif_config.h'), TIF_CONFIG_H);
  fs.writeFileSync(path.join(inc, 'libport_config.h'), LIBPORT_CONFIG_H);
  const flags = ['-w', `-I${inc}`, `-I${path.join(src, 'libtiff')}`, `-I${path.join(src, 'port')}`];
  const compile = (dir: string, name: string): string => {
    const bc = path.join(out, `${name}.bc`);
    if (!fs.existsSync(bc)) {
      compileToBitcode(ctx.llvm, path.join(src, dir, `${name}.c`), `${bc}.tmp`, flags);
      fs.renameSync(`${bc}.tmp`, bc);
    }
    return bc;
  };
  const library = path.join(out, 'libtiff.bc');
  if (!fs.existsSync(library)) linkBitcode(ctx.llvm, LIBTIFF_UNITS.map((u) => compile('libtiff', u)), library);
  return { src, library, tool: (name) => compile('tools', name) };
}

/**
 * Links `tools/<tool>.c` and, from the library, only the functions and data it reaches
 * (`llvm-link --only-needed`, what linking with a static library does at function granularity)
 * into one bitcode module at `out`.
 */
export function linkTiffTool(ctx: InstallContext, lib: LibtiffBuild, tool: string, out: string): void {
  linkBitcode(ctx.llvm, [lib.tool(tool)], out, [lib.library]);
}

/**
 * Writes a TIFF made from a generated photo (`syntheticPhoto`) to `out`: RGB, or 8-bit greyscale
 * when `grey`, LZW-compressed with horizontal differencing, by libtiff's own `ppm2tiff` built from
 * the same sources in the scratch folder.
 * @throws BenchmarkBuildError when ppm2tiff fails.
 */
export function generatedTiff(ctx: InstallContext, lib: LibtiffBuild, seed: string, width: number, height: number, grey: boolean, out: string): void {
  const tools = path.join(ctx.work, 'libtiff-tools');
  fs.mkdirSync(tools, { recursive: true });
  const exe = path.join(tools, 'ppm2tiff');
  if (!fs.existsSync(exe)) {
    linkTiffTool(ctx, lib, 'ppm2tiff', `${exe}.bc`);
    bitcodeToExecutable(ctx.llvm, `${exe}.bc`, exe, ['-lm']);
  }
  const pnm = path.join(tools, `${seed}.pnm`);
  fs.writeFileSync(pnm, pnmFile(syntheticPhoto(seed, width, height), width, height, grey));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  try {
    execFileSync(exe, ['-c', 'lzw:2', pnm, out], { stdio: 'pipe', timeout: 120_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new BenchmarkBuildError(`making ${path.basename(out)} with ppm2tiff failed: ${err.stderr?.toString().trim() || err.message}`);
  } finally {
    fs.rmSync(pnm, { force: true });
  }
}

/** libtiff's tiff2bw: a generated 2560x1920 LZW RGB TIFF to an LZW greyscale TIFF. */
export const tiff2bwApp: AppBuilder = {
  id: 'tiff2bw',
  description: 'libtiff 4.5.0 tiff2bw: a generated 2560x1920 LZW-compressed RGB TIFF to an LZW-compressed greyscale TIFF',
  license: 'libtiff (BSD-like)',
  origin: `debian:${TIFF_DEBIAN_PACKAGE}`,
  debianPackages: ['dpkg-dev'],
  async build(ctx) {
    const lib = libtiffBuild(ctx);
    linkTiffTool(ctx, lib, 'tiff2bw', path.join(ctx.dir, 'tiff2bw.bc'));
    generatedTiff(ctx, lib, 'passgym-tiff2bw', 2560, 1920, false, path.join(ctx.dir, 'tiff2bw', 'input.tif'));
    return {
      args: ['-c', 'lzw', 'input.tif', 'output.tif'],
      inputs: { 'input.tif': 'tiff2bw/input.tif' },
      linkArgs: ['-lm'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['output.tif'],
    };
  },
};
