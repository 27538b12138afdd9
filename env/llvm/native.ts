/**
 * Builds and loads PassGym's C helpers in `native/`: `features.c` (the per-instruction loops of
 * InstCount, Autophase and the instruction count), `uselists.c` (repairs a module copy: block
 * addresses and use-list order), `canonical.c` (the IR that reading a module back would give) and
 * `programl.c` (the ProGraML program graph).
 * They are compiled on first use with the system C compiler (`cc`)
 * into one shared library linked against the libLLVM that PassGym loaded, and cached under
 * `cacheRoot()/native/` keyed by the sources' hash and the library path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cachePath, sha256, writeFileAtomic } from '../cache';
import { MissingToolError, PassGymError } from '../errors';
import { loadLibrary, type Handle } from './capi';

/** Number of InstCount features (CompilerGym's InstCount space). */
export const INSTCOUNT_DIM = 70;
/** Number of Autophase features (CompilerGym's Autophase space). */
export const AUTOPHASE_DIM = 56;

/** The helper's functions, over a module handle. */
export interface NativeFeatures {
  /** `llvm::Module::getInstructionCount()`: instructions in all function bodies. */
  instructionCount(module: Handle): number;
  /** 70 counts in CompilerGym's InstCount order. */
  instCount(module: Handle): number[];
  /** 56 features in CompilerGym's Autophase order. */
  autophase(module: Handle): number[];
  /**
   * Makes `copy` (an `LLVMCloneModule` of `original`, or its bitcode read back) faithful: block
   * addresses in global initializers point at the copy's blocks, and every use list has the original's order
   * (`native/uselists.c`). @throws PassGymError when the two modules differ in shape.
   */
  fixClone(original: Handle, copy: Handle): void;
  /** Removes the names of local values: arguments, blocks, instructions (`native/canonical.c`). */
  stripLocalNames(module: Handle): void;
  /**
   * Resets every intrinsic declaration's attributes to the intrinsic's own, as reading IR does
   * (`native/canonical.c`). @returns the number of declarations changed.
   */
  canonicalIntrinsicAttributes(module: Handle): number;
  /**
   * The ProGraML graph of the module as raw columns (`native/programl.c`): `ints` holds node
   * type, function and block (nodes each), then flow, source, target, position per edge; `text`
   * holds the node texts, the node full texts, the function names, then the module's source file
   * name, triple and data layout, each NUL-terminated.
   * @throws PassGymError INTERNAL when the printed module does not line up with its instructions.
   */
  programl(module: Handle): { nodes: number; edges: number; functions: number; ints: Int32Array; text: string };
}

/** The C sources compiled into the helper library, and the header they share (hashed, not compiled). */
const SOURCES = ['features.c', 'uselists.c', 'canonical.c', 'programl.c'];
const HEADERS = ['llvm-c.h'];

function sourcePath(name: string): string {
  // Compiled output lives in dist/env/llvm; the C sources stay beside the TypeScript source.
  const beside = path.join(__dirname, 'native', name);
  if (fs.existsSync(beside)) return beside;
  const fromDist = path.resolve(__dirname, '..', '..', '..', 'env', 'llvm', 'native', name);
  if (fs.existsSync(fromDist)) return fromDist;
  throw new PassGymError('INTERNAL', `native/${name} not found beside ${__dirname}`);
}

function compile(libraryPath: string): string {
  const srcs = SOURCES.map(sourcePath);
  const text = Buffer.concat([...srcs, ...HEADERS.map(sourcePath)].map((s) => fs.readFileSync(s)));
  const key = sha256(Buffer.concat([text, Buffer.from(`\0${libraryPath}`)])).slice(0, 16);
  const out = cachePath('native', `helpers-${key}.so`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.build`;
  try {
    execFileSync('cc', ['-O2', '-shared', '-fPIC', '-o', tmp, ...srcs, libraryPath], { stdio: 'pipe' });
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new MissingToolError('cc (a C compiler)', 'gcc');
    throw new PassGymError('INTERNAL', `compiling ${srcs.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
  writeFileAtomic(out, fs.readFileSync(tmp));
  fs.rmSync(tmp, { force: true });
  return out;
}

/**
 * Compiles (once) and loads the helper for the given libLLVM.
 * @throws MissingToolError when no C compiler is installed.
 */
export function loadNativeFeatures(libraryPath: string): NativeFeatures {
  const lib = loadLibrary(compile(libraryPath));
  const count = lib.func('int64_t passgym_instruction_count(uintptr_t m)') as (m: Handle) => number | bigint;
  const instcount = lib.func('int passgym_instcount(uintptr_t m, _Out_ int64_t* out)') as (
    m: Handle,
    out: BigInt64Array,
  ) => number;
  const autophase = lib.func('void passgym_autophase(uintptr_t m, _Out_ int64_t* out)') as (
    m: Handle,
    out: BigInt64Array,
  ) => void;
  const fixClone = lib.func('int passgym_fix_clone(uintptr_t original, uintptr_t copy)') as (
    a: Handle,
    b: Handle,
  ) => number;
  const stripLocalNames = lib.func('void passgym_strip_local_names(uintptr_t m)') as (m: Handle) => void;
  const canonicalIntrinsics = lib.func('int passgym_canonical_intrinsic_attributes(uintptr_t m)') as (m: Handle) => number;
  const programlBuild = lib.func('uintptr_t passgym_programl_build(uintptr_t m, _Out_ int32_t* error)') as (m: Handle, error: Int32Array) => number | bigint;
  const programlSize = lib.func('int64_t passgym_programl_size(uintptr_t r, int32_t what)') as (r: number | bigint, what: number) => number | bigint;
  const programlCopy = lib.func('void passgym_programl_copy(uintptr_t r, _Out_ int32_t* ints, _Out_ uint8_t* text)') as (r: number | bigint, ints: Int32Array, text: Buffer) => void;
  const programlFree = lib.func('void passgym_programl_free(uintptr_t r)') as (r: number | bigint) => void;
  return {
    programl(m) {
      const error = new Int32Array(1);
      const r = programlBuild(m, error);
      if (!r || r === 0n) {
        throw new PassGymError('INTERNAL', error[0] === 1 ? 'Programl: the printed module does not line up with its instructions and globals' : 'Programl: out of memory');
      }
      try {
        const [nodes, edges, functions, bytes] = [0, 1, 2, 3].map((w) => Number(programlSize(r, w)));
        const ints = new Int32Array(nodes * 3 + edges * 4);
        const text = Buffer.alloc(bytes);
        programlCopy(r, ints, text);
        return { nodes, edges, functions, ints, text: text.toString('utf8') };
      } finally {
        programlFree(r);
      }
    },
    instructionCount: (m) => Number(count(m)),
    stripLocalNames,
    canonicalIntrinsicAttributes(m) {
      const rc = canonicalIntrinsics(m);
      if (rc < 0) throw new PassGymError('INTERNAL', 'canonicalIntrinsicAttributes: out of memory');
      return rc;
    },
    fixClone(original, copy) {
      const rc = fixClone(original, copy);
      if (rc === -1) throw new PassGymError('INTERNAL', 'fixClone: the clone does not have the shape of its original');
      if (rc !== 0) throw new PassGymError('INTERNAL', 'fixClone: out of memory');
    },
    instCount(m) {
      const out = new BigInt64Array(INSTCOUNT_DIM);
      if (instcount(m, out) !== 0) throw new PassGymError('INTERNAL', 'InstCount met an opcode it does not know');
      return Array.from(out, Number);
    },
    autophase(m) {
      const out = new BigInt64Array(AUTOPHASE_DIM);
      autophase(m, out);
      return Array.from(out, Number);
    },
  };
}
