/**
 * `benchmark://apps-v0/xz`: XZ Utils 5.2.3 (the `xz` command with liblzma), from the release
 * tarball that npm `lzma-native` ships in `deps/`, built single-threaded with a hand-written
 * config.h and compressing a generated file at preset 6 to stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { npmPackage, untar } from '../../../env/datasets/npm';
import { BenchmarkBuildError } from '../../../env/errors';
import { buildModule, mixedData } from './zopfli';
import type { AppBuilder } from './types';

const XZ_NPM_SPEC = 'lzma-native@8.0.6';

/**
 * config.h for glibc on x86-64, in place of running configure: all checks, filters and match
 * finders on; no threads (MYTHREAD_* undefined, so xz -T is ignored and output is the
 * single-threaded stream); gettimeofday for the progress clock; no NLS.
 */
const XZ_CONFIG_H = `/* Written by PassGym for glibc x86-64 (see xz.ts). */
#define PACKAGE "xz"
#define PACKAGE_NAME "XZ Utils"
#define PACKAGE_TARNAME "xz"
#define PACKAGE_VERSION "5.2.3"
#define PACKAGE_STRING "XZ Utils 5.2.3"
#define PACKAGE_BUGREPORT "lasse.collin@tukaani.org"
#define PACKAGE_URL "https://tukaani.org/xz/"
#define _GNU_SOURCE 1
#define ASSUME_RAM 128
#define SIZEOF_SIZE_T 8
#define STDC_HEADERS 1
#define HAVE_STDBOOL_H 1
#define HAVE__BOOL 1
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LIMITS_H 1
#define HAVE_STRING_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STDLIB_H 1
#define HAVE_MEMORY_H 1
#define HAVE_UNISTD_H 1
#define HAVE_FCNTL_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_UINTPTR_T 1
#define HAVE_BYTESWAP_H 1
#define HAVE_BSWAP_16 1
#define HAVE_BSWAP_32 1
#define HAVE_BSWAP_64 1
#define HAVE_GETOPT_H 1
#define HAVE_GETOPT_LONG 1
#define HAVE_FUTIMENS 1
#define HAVE_DECL_CLOCK_MONOTONIC 0
#define HAVE_DECL_PROGRAM_INVOCATION_NAME 1
#define HAVE_STRUCT_STAT_ST_ATIM_TV_NSEC 1
#define HAVE_MBRTOWC 1
#define HAVE_WCWIDTH 1
#define HAVE_POSIX_FADVISE 1
#define HAVE_CHECK_CRC32 1
#define HAVE_CHECK_CRC64 1
#define HAVE_CHECK_SHA256 1
#define HAVE_ENCODERS 1
#define HAVE_DECODERS 1
${['LZMA1', 'LZMA2', 'DELTA', 'X86', 'ARM', 'ARMTHUMB', 'IA64', 'POWERPC', 'SPARC'].map((f) => `#define HAVE_ENCODER_${f} 1\n#define HAVE_DECODER_${f} 1`).join('\n')}
#define HAVE_MF_HC3 1
#define HAVE_MF_HC4 1
#define HAVE_MF_BT2 1
#define HAVE_MF_BT3 1
#define HAVE_MF_BT4 1
#define TUKLIB_CPUCORES_SYSCONF 1
#define TUKLIB_PHYSMEM_SYSCONF 1
#define TUKLIB_FAST_UNALIGNED_ACCESS 1
`;

const TUKLIB = ['cpucores', 'exit', 'mbstr_fw', 'mbstr_width', 'open_stdxxx', 'physmem', 'progname'];

function listC(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listC(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : e.name.endsWith('.c') ? [e.name] : []));
}

/** xz (`xz -6 -c`) compressing 512 KB of generated data. */
export const xzApp: AppBuilder = {
  id: 'xz',
  description: 'XZ Utils 5.2.3 (xz CLI + liblzma, single-threaded) compressing 512 KB of generated data at preset 6',
  license: 'Public domain (liblzma and xz of XZ Utils 5.2.3)',
  origin: `npm:${XZ_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const deps = path.join(npmPackage(XZ_NPM_SPEC, ctx.work), 'deps');
    const tarball = fs.readdirSync(deps).find((f) => /^xz-[\d.]+\.tar\.bz2$/.test(f));
    if (!tarball) throw new BenchmarkBuildError(`${XZ_NPM_SPEC}: no xz tarball in deps/`);
    const root = path.join(ctx.work, 'xz-src', tarball.replace(/\.tar\.bz2$/, ''));
    if (!fs.existsSync(path.join(root, 'src'))) untar(path.join(deps, tarball), path.dirname(root));
    fs.writeFileSync(path.join(root, 'config.h'), XZ_CONFIG_H);
    // liblzma without its table generators, the small CRC variants and the threaded encoder.
    const lib = listC(path.join(root, 'src', 'liblzma'))
      .filter((f) => !/tablegen|_small\.c$|stream_encoder_mt|outqueue/.test(f))
      .sort()
      .map((f) => path.join('src', 'liblzma', f));
    const cli = listC(path.join(root, 'src', 'xz')).sort().map((f) => path.join('src', 'xz', f));
    const tuklib = TUKLIB.map((t) => path.join('src', 'common', `tuklib_${t}.c`));
    const includes = ['.', 'src/common', 'src/liblzma/api', ...['common', 'check', 'lz', 'rangecoder', 'lzma', 'delta', 'simple'].map((d) => `src/liblzma/${d}`)];
    buildModule(ctx, 'xz', root, [...lib, ...cli, ...tuklib], ['-w', '-DHAVE_CONFIG_H', ...includes.map((i) => `-I${path.join(root, i)}`)]);
    fs.mkdirSync(path.join(ctx.dir, 'xz'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'xz', 'data.bin'), mixedData('passgym-xz', 512 * 1024));
    return {
      args: ['-6', '-c', 'data.bin'],
      inputs: { 'data.bin': 'xz/data.bin' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
