/**
 * `benchmark://libs-v0/LIB.FILE`: every translation unit of real C libraries as its own benchmark,
 * for training diversity. The sources come from npm packages that vendor them for their native
 * addons (npm is the registry PassGym can reach); each library's `.c` files are compiled alone
 * to -O0 bitcode with the include paths and defines its own build uses. The benchmarks are not
 * runnable: a translation unit of a library has no `main` (the few programs kept, such as the
 * SQLite shell, are not run either). A unit that compiles to no instruction at all (data tables,
 * or code its configuration leaves out) is left out of the dataset.
 *
 * A benchmark id is `<lib>.<file stem>` (`zlib.deflate`, `zstd.zstd_compress`); when two files
 * of a library share a stem, both take their path below the library's source root instead, with
 * `/` written `.` (`lib.dir.stem`). `only` may name ids or `<lib>.*` (every unit of one library).
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileToBitcode } from '../../env/datasets/build';
import { npmPackage, untar } from '../../env/datasets/npm';
import { Llvm } from '../../env/llvm/llvm';
import type { DatasetRecipe, InstallContext } from '../../env/datasets/types';

/** How one library is fetched and compiled. */
export interface LibrarySpec {
  /** Library name, the prefix of its benchmark ids. */
  name: string;
  /** npm package holding the sources, pinned (`name@version`) so the dataset stays the same. */
  npm: string;
  license: string;
  /**
   * Folder of the library's sources relative to the unpacked package, or a function that finds
   * (and, for a nested tarball, unpacks into `scratch`) that folder.
   */
  root: string | ((pkg: string, scratch: string) => string);
  /** Translation units relative to the root: a file, or `dir/*.c` for every `.c` file of `dir`. */
  sources: string[];
  /** Files (relative to the root) that a `*.c` pattern matched but that are not library units. */
  exclude?: string[];
  /** Include folders relative to the root. */
  includes?: string[];
  /** Preprocessor definitions, `NAME` or `NAME=VALUE`. */
  defines?: string[];
  /** Other clang flags. */
  flags?: string[];
  /**
   * Headers PassGym writes for a library whose build generates them (a configure-made
   * `config.h`): file name -> text. Their folder comes first on the include path.
   */
  configHeaders?: Record<string, string>;
}

/** The first file of `dir` whose name matches `re`. @throws when there is none */
function findFile(dir: string, re: RegExp): string {
  const name = fs.readdirSync(dir).sort().find((f) => re.test(f));
  if (!name) throw new Error(`no file matching ${re} in ${dir}`);
  return path.join(dir, name);
}

/**
 * `config.h` for liblzma (XZ Utils 5.2), standing in for what its `configure` writes on
 * x86-64 Linux with glibc: every check, filter and match finder built, POSIX threads, the
 * generic C CRC code (no assembly).
 */
const XZ_CONFIG_H = `/* Written by PassGym in place of the config.h XZ Utils' configure makes (x86-64 Linux, glibc). */
#define ASSUME_RAM 128
#define HAVE_CHECK_CRC32 1
#define HAVE_CHECK_CRC64 1
#define HAVE_CHECK_SHA256 1
#define HAVE_DECODERS 1
#define HAVE_ENCODERS 1
#define HAVE_DECODER_ARM 1
#define HAVE_DECODER_ARMTHUMB 1
#define HAVE_DECODER_DELTA 1
#define HAVE_DECODER_IA64 1
#define HAVE_DECODER_LZMA1 1
#define HAVE_DECODER_LZMA2 1
#define HAVE_DECODER_POWERPC 1
#define HAVE_DECODER_SPARC 1
#define HAVE_DECODER_X86 1
#define HAVE_ENCODER_ARM 1
#define HAVE_ENCODER_ARMTHUMB 1
#define HAVE_ENCODER_DELTA 1
#define HAVE_ENCODER_IA64 1
#define HAVE_ENCODER_LZMA1 1
#define HAVE_ENCODER_LZMA2 1
#define HAVE_ENCODER_POWERPC 1
#define HAVE_ENCODER_SPARC 1
#define HAVE_ENCODER_X86 1
#define HAVE_MF_BT2 1
#define HAVE_MF_BT3 1
#define HAVE_MF_BT4 1
#define HAVE_MF_HC3 1
#define HAVE_MF_HC4 1
#define HAVE_BSWAP_16 1
#define HAVE_BSWAP_32 1
#define HAVE_BSWAP_64 1
#define HAVE_BYTESWAP_H 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_DECL_CLOCK_MONOTONIC 1
#define HAVE_DECL_PROGRAM_INVOCATION_NAME 1
#define HAVE_DLFCN_H 1
#define HAVE_FCNTL_H 1
#define HAVE_IMMINTRIN_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LIMITS_H 1
#define HAVE_MBRTOWC 1
#define HAVE_MEMORY_H 1
#define HAVE_PTHREAD_CONDATTR_SETCLOCK 1
#define HAVE_STDBOOL_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UINTPTR_T 1
#define HAVE_UNISTD_H 1
#define HAVE_VISIBILITY 1
#define HAVE_WCWIDTH 1
#define HAVE__BOOL 1
#define HAVE__MM_MOVEMASK_EPI8 1
#define MYTHREAD_POSIX 1
#define PACKAGE "xz"
#define PACKAGE_NAME "XZ Utils"
#define PACKAGE_VERSION "5.2.3"
#define SIZEOF_SIZE_T 8
#define STDC_HEADERS 1
#define TUKLIB_CPUCORES_SCHED_GETAFFINITY 1
#define TUKLIB_FAST_UNALIGNED_ACCESS 1
#define TUKLIB_PHYSMEM_SYSCONF 1
#define VERSION "5.2.3"
#define _GNU_SOURCE 1
`;

/** The libraries of libs-v0, each with the npm package that vendors its sources. */
export const LIBRARIES: readonly LibrarySpec[] = [
  {
    name: 'sqlite',
    npm: 'sqlite3@6.0.1',
    license: 'Public domain',
    // node-sqlite3 ships SQLite's autoconf tarball; the amalgamation sqlite3.c is one big unit.
    root: (pkg, scratch) => {
      const tarball = findFile(path.join(pkg, 'deps'), /^sqlite-autoconf-\d+\.tar\.gz$/);
      const top = path.basename(tarball, '.tar.gz');
      untar(tarball, scratch, ['sqlite3.c', 'sqlite3.h', 'sqlite3ext.h', 'shell.c'].map((f) => `${top}/${f}`));
      return path.join(scratch, top);
    },
    // shell.c is the sqlite3 command-line program (it has a main); a large, harmless unit.
    sources: ['sqlite3.c', 'shell.c'],
    includes: ['.'],
    defines: ['NDEBUG', '_REENTRANT=1', 'SQLITE_THREADSAFE=1', 'HAVE_USLEEP=1', 'SQLITE_ENABLE_FTS3', 'SQLITE_ENABLE_FTS4', 'SQLITE_ENABLE_FTS5', 'SQLITE_ENABLE_RTREE', 'SQLITE_ENABLE_DBSTAT_VTAB=1', 'SQLITE_ENABLE_MATH_FUNCTIONS'],
  },
  {
    name: 'zstd',
    npm: 'zstd-napi@0.0.13',
    license: 'BSD-3-Clause',
    root: 'deps/zstd/lib',
    sources: ['common/*.c', 'compress/*.c', 'decompress/*.c'],
    includes: ['.', 'common'],
    // ZSTD_DISABLE_ASM: the C Huffman decoder instead of huf_decompress_amd64.S.
    defines: ['NDEBUG', 'XXH_NAMESPACE=ZSTD_', 'ZSTD_MULTITHREAD', 'ZSTD_NO_TRACE', 'ZSTD_DISABLE_ASM=1'],
  },
  {
    name: 'brotli',
    npm: 'iltorb@2.4.5',
    license: 'MIT',
    root: 'brotli/c',
    sources: ['common/*.c', 'dec/*.c', 'enc/*.c'],
    includes: ['include'],
    defines: ['NDEBUG'],
  },
  {
    name: 'zlib',
    npm: 'zlib-sync@0.1.10',
    license: 'Zlib',
    root: 'deps/zlib',
    sources: ['*.c'],
    includes: ['.'],
    defines: ['NDEBUG', 'HAVE_UNISTD_H', 'HAVE_STDARG_H', '_LARGEFILE64_SOURCE=1'],
  },
  {
    name: 'libxml2',
    npm: 'libxmljs2@0.35.0',
    license: 'MIT',
    root: 'vendor/libxml',
    sources: ['*.c'],
    // Programs (xmllint, xmlcatalog, the test runners), the trio printf replacement (unused on
    // Linux) and the RELAX NG compact-syntax experiment are not part of the library.
    exclude: ['runsuite.c', 'rngparser.c', 'xmllint.c', 'xmlcatalog.c', 'trio.c', 'trionan.c', 'triostr.c'],
    includes: ['.', 'include'],
    // XInclude and Schematron as libxmljs2 builds it, plus the reader, debug and nano HTTP/FTP
    // modules its xmlversion.h leaves off (their files would otherwise compile to nothing).
    defines: ['NDEBUG', '_REENTRANT', 'LIBXML_XINCLUDE_ENABLED', 'LIBXML_SCHEMATRON_ENABLED', 'LIBXML_READER_ENABLED', 'LIBXML_DEBUG_ENABLED', 'LIBXML_HTTP_ENABLED', 'LIBXML_FTP_ENABLED'],
  },
  {
    name: 'expat',
    npm: 'node-expat@2.4.1',
    license: 'MIT',
    root: 'deps/libexpat',
    // xmltok_impl.c and xmltok_ns.c are included by xmltok.c, not units of their own.
    sources: ['lib/xmlparse.c', 'lib/xmltok.c', 'lib/xmlrole.c'],
    includes: ['.', 'lib'],
    defines: ['NDEBUG', 'HAVE_EXPAT_CONFIG_H'],
  },
  {
    name: 'lz4',
    npm: 'lz4@0.6.5',
    license: 'BSD-2-Clause',
    root: 'deps/lz4/lib',
    sources: ['*.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
  },
  {
    name: 'oniguruma',
    npm: 'oniguruma@7.2.3',
    license: 'BSD-2-Clause',
    root: 'deps/onig',
    sources: ['*.c', 'enc/*.c'],
    // Test programs and the table generator.
    exclude: ['testc.c', 'testu.c', 'enc/mktable.c'],
    includes: ['.', 'enc'],
    defines: ['NDEBUG'],
  },
  {
    name: 'argon2',
    npm: 'argon2@0.45.1',
    license: 'CC0-1.0 OR Apache-2.0',
    root: 'argon2',
    // opt.c (SSE2) and ref.c (portable C) are the two implementations of the same functions.
    sources: ['src/*.c', 'src/blake2/*.c'],
    includes: ['include', 'src'],
    defines: ['NDEBUG'],
  },
  {
    name: 'secp256k1',
    npm: 'secp256k1@5.0.2',
    license: 'MIT',
    root: 'src/secp256k1',
    // secp256k1.c includes the whole library; the contrib parsers are separate units.
    sources: ['src/secp256k1.c', 'contrib/lax_der_parsing.c', 'contrib/lax_der_privatekey_parsing.c'],
    includes: ['.', 'src', 'include'],
    // The package's x64 configuration, less USE_ASM_X86_64 (C with __int128 instead of inline assembly).
    defines: ['NDEBUG', 'ECMULT_GEN_PREC_BITS=4', 'ECMULT_WINDOW_SIZE=15', 'ENABLE_MODULE_ECDH=1', 'ENABLE_MODULE_RECOVERY=1', 'USE_ENDOMORPHISM=1', 'USE_NUM_NONE=1', 'USE_FIELD_INV_BUILTIN=1', 'USE_SCALAR_INV_BUILTIN=1', 'HAVE___INT128=1', 'USE_FIELD_5X52=1', 'USE_SCALAR_4X64=1'],
  },
  {
    name: 'tree-sitter',
    npm: 'tree-sitter@0.25.1',
    license: 'MIT',
    root: 'vendor/tree-sitter/lib',
    // lib.c includes all the others (a single-unit build); the files are taken one by one instead.
    sources: ['src/*.c'],
    exclude: ['src/lib.c'],
    includes: ['src', 'include'],
    defines: ['NDEBUG', '_POSIX_C_SOURCE=200112L', '_DEFAULT_SOURCE'],
    flags: ['-std=c11'],
  },
  {
    name: 'tree-sitter-c',
    npm: 'tree-sitter-c@0.24.1',
    license: 'MIT',
    root: 'src',
    // The generated parser of the C grammar: large lexer switch and parse tables.
    sources: ['parser.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
    flags: ['-std=c11'],
  },
  {
    name: 'opus',
    npm: '@discordjs/opus@0.10.0',
    license: 'BSD-3-Clause',
    root: 'deps',
    sources: ['opus/src/*.c', 'opus/celt/*.c', 'opus/silk/*.c', 'opus/silk/float/*.c', 'opus/silk/fixed/*.c'],
    // Demo and comparison programs.
    exclude: ['opus/src/opus_demo.c', 'opus/src/opus_compare.c', 'opus/src/repacketizer_demo.c', 'opus/celt/opus_custom_demo.c'],
    includes: ['config/opus/linux/x64', 'opus/include', 'opus/celt', 'opus/silk', 'opus/silk/float', 'opus/silk/fixed'],
    defines: ['NDEBUG', 'HAVE_CONFIG_H'],
  },
  {
    name: 'xz',
    npm: 'lzma-native@8.0.6',
    license: 'Public domain (liblzma)',
    // lzma-native ships the XZ Utils release tarball; liblzma is built from it.
    root: (pkg, scratch) => {
      const tarball = findFile(path.join(pkg, 'deps'), /^xz-[\d.]+\.tar\.bz2$/);
      const top = path.basename(tarball, '.tar.bz2');
      untar(tarball, scratch, [`${top}/src/liblzma`, `${top}/src/common`]);
      return path.join(scratch, top, 'src');
    },
    sources: ['liblzma/check/*.c', 'liblzma/common/*.c', 'liblzma/delta/*.c', 'liblzma/lz/*.c', 'liblzma/lzma/*.c', 'liblzma/rangecoder/*.c', 'liblzma/simple/*.c', 'common/tuklib_cpucores.c', 'common/tuklib_physmem.c'],
    // Table generators (programs) and the small-size CRC variants that replace the table ones.
    exclude: ['liblzma/check/crc32_tablegen.c', 'liblzma/check/crc64_tablegen.c', 'liblzma/lzma/fastpos_tablegen.c', 'liblzma/rangecoder/price_tablegen.c', 'liblzma/check/crc32_small.c', 'liblzma/check/crc64_small.c'],
    includes: ['liblzma/api', 'liblzma/common', 'liblzma/check', 'liblzma/lz', 'liblzma/rangecoder', 'liblzma/lzma', 'liblzma/delta', 'liblzma/simple', 'common'],
    defines: ['NDEBUG', 'HAVE_CONFIG_H', 'TUKLIB_SYMBOL_PREFIX=lzma_'],
    configHeaders: { 'config.h': XZ_CONFIG_H },
  },
  {
    name: 'ed25519',
    npm: 'ed25519@0.0.5',
    license: 'Public domain (SUPERCOP ref10)',
    root: 'src/ed25519',
    sources: ['*.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
  },
  {
    name: 'blake2',
    npm: 'blake2@5.0.1',
    license: 'CC0-1.0',
    root: 'src/BLAKE2',
    // The portable and the SSE implementations (different file names); genkat-* are programs.
    sources: ['ref/*.c', 'sse/*.c'],
    exclude: ['ref/genkat-c.c', 'ref/genkat-json.c', 'sse/genkat-c.c', 'sse/genkat-json.c'],
    defines: ['NDEBUG'],
  },
  {
    name: 'hiredis',
    npm: 'hiredis@0.5.0',
    license: 'BSD-3-Clause',
    root: 'deps/hiredis',
    sources: ['*.c'],
    // dict.c is included by async.c; test.c is the test program.
    exclude: ['test.c', 'dict.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
  },
  {
    name: 'lmdb',
    npm: 'lmdb@3.5.6',
    license: 'OLDAP-2.8',
    root: 'dependencies/lmdb/libraries/liblmdb',
    sources: ['mdb.c', 'midl.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
  },
  {
    name: 'keccak',
    npm: 'keccak@3.0.4',
    license: 'CC0-1.0 (Keccak code package)',
    root: 'src/libkeccak-64',
    sources: ['*.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
  },
  {
    name: 'minilzo',
    npm: 'lzo@0.4.11',
    license: 'GPL-2.0-or-later',
    root: 'lib/minilzo209',
    sources: ['minilzo.c'],
    includes: ['.'],
    defines: ['NDEBUG'],
  },
];

/** Expands `dir/*.c` patterns into sorted source paths relative to `root`. */
function listSources(root: string, lib: LibrarySpec): string[] {
  const out: string[] = [];
  for (const pattern of lib.sources) {
    if (pattern.endsWith('*.c')) {
      const dir = path.dirname(pattern);
      const names = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.c')).sort();
      out.push(...names.map((f) => (dir === '.' ? f : `${dir}/${f}`)));
    } else {
      out.push(pattern);
    }
  }
  const exclude = new Set(lib.exclude ?? []);
  return [...new Set(out)].filter((f) => !exclude.has(f));
}

/**
 * Benchmark ids of a library's sources: `<lib>.<stem>`, or `<lib>.<path.without.ext>` for the
 * files whose stem another file of the library shares. Characters outside `[A-Za-z0-9._+-]`
 * become `_`.
 */
export function unitIds(lib: string, sources: readonly string[]): string[] {
  const stem = (f: string) => path.basename(f, '.c');
  const count = new Map<string, number>();
  for (const f of sources) count.set(stem(f), (count.get(stem(f)) ?? 0) + 1);
  return sources.map((f) => {
    const name = count.get(stem(f))! > 1 ? f.slice(0, -2).split('/').join('.') : stem(f);
    return `${lib}.${name}`.replace(/[^A-Za-z0-9._+-]/g, '_');
  });
}

/** True when `only` (ids, or `<lib>.*`) asks for `id` of `lib`. */
function wanted(only: ReadonlySet<string> | null, lib: string, id: string): boolean {
  return only === null || only.has(id) || only.has(`${lib}.*`);
}

/** True when `only` may ask for some unit of `lib` (so its package must be fetched). */
function libraryWanted(only: ReadonlySet<string> | null, lib: string): boolean {
  return only === null || [...only].some((id) => id.startsWith(`${lib}.`));
}

interface Unit {
  id: string;
  source: string;
  flags: string[];
  cwd: string;
}

/** Fetches one library and lists its wanted units; records a download failure instead of throwing. */
function prepareLibrary(ctx: InstallContext, lib: LibrarySpec): Unit[] {
  const scratch = path.join(ctx.work, 'src', lib.name);
  let root: string;
  try {
    const pkg = npmPackage(lib.npm, path.join(ctx.work, 'npm'));
    root = typeof lib.root === 'string' ? path.join(pkg, lib.root) : lib.root(pkg, scratch);
    if (!fs.existsSync(root)) throw new Error(`${lib.npm} has no ${typeof lib.root === 'string' ? lib.root : 'source folder'}`);
  } catch (e) {
    ctx.fail(lib.name, 'download', (e as Error).message);
    return [];
  }
  const flags = ['-w'];
  if (lib.configHeaders) {
    const dir = path.join(ctx.work, 'config', lib.name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(lib.configHeaders)) fs.writeFileSync(path.join(dir, name), text);
    flags.push('-I', dir);
  }
  for (const inc of lib.includes ?? []) flags.push('-I', path.join(root, inc));
  for (const d of lib.defines ?? []) flags.push(`-D${d}`);
  flags.push(...(lib.flags ?? []));
  let sources: string[];
  try {
    sources = listSources(root, lib);
  } catch (e) {
    ctx.fail(lib.name, 'download', `sources not found: ${(e as Error).message}`);
    return [];
  }
  const ids = unitIds(lib.name, sources);
  return sources
    .map((f, k) => ({ id: ids[k], source: path.join(root, f), flags, cwd: path.dirname(path.join(root, f)) }))
    .filter((u) => wanted(ctx.only, lib.name, u.id));
}

/** True when the bitcode holds no instruction (a unparsable file is left to `ctx.add` to report). */
function definesNoCode(bitcode: string, id: string): boolean {
  try {
    const m = Llvm.get().parse(fs.readFileSync(bitcode), id);
    const n = m.instructionCount();
    m.dispose();
    return n === 0;
  } catch {
    return false;
  }
}

/** libs-v0: the translation units of the libraries in `LIBRARIES`, not runnable. */
export const libsRecipe: DatasetRecipe = {
  name: 'libs-v0',
  description: 'Each translation unit of real C libraries (SQLite, zstd, brotli, zlib, libxml2, expat, lz4, Oniguruma, Argon2, secp256k1, tree-sitter, Opus, liblzma, ...) as its own benchmark; not runnable',
  license: [...new Set(LIBRARIES.map((l) => `${l.name}: ${l.license}`))].join('; '),
  runnable: false,
  debianPackages: [],
  async install(ctx) {
    const libs = LIBRARIES.filter((l) => libraryWanted(ctx.only, l.name));
    const units: Unit[] = [];
    for (const [k, lib] of libs.entries()) {
      ctx.progress(k, libs.length, `download ${lib.npm}`);
      const found = prepareLibrary(ctx, lib);
      ctx.log(`${lib.name}: ${found.length} translation units from ${lib.npm}`);
      units.push(...found);
    }
    for (const [k, unit] of units.entries()) {
      ctx.progress(k, units.length, unit.id);
      const out = path.join(ctx.dir, `${unit.id}.bc`);
      try {
        compileToBitcode(ctx.llvm, unit.source, out, unit.flags, unit.cwd);
      } catch (e) {
        ctx.fail(unit.id, 'compile', (e as Error).message);
        continue;
      }
      if (definesNoCode(out, unit.id)) {
        // Data tables only, or code the configuration leaves out: nothing for passes to do.
        fs.rmSync(out);
        ctx.log(`${unit.id}: no instructions, left out`);
        continue;
      }
      await ctx.add(unit.id, out);
    }
    ctx.progress(units.length, units.length);
  },
};
