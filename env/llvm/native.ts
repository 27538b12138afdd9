/**
 * Builds and loads `native/features.c`, PassGym's C helper for the per-instruction loops
 * (InstCount, Autophase, instruction count). It is compiled on first use with the system C
 * compiler (`cc`), linked against the libLLVM that PassGym loaded, and cached under
 * `cacheRoot()/native/` keyed by the source's hash and the library path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';
import { cachePath, sha256, writeFileAtomic } from '../cache';
import { MissingToolError, PassGymError } from '../errors';
import type { Handle } from './capi';

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
}

const SOURCE = path.join(__dirname, 'native', 'features.c');

function sourcePath(): string {
  // Compiled output lives in dist/env/llvm; the C source stays beside the TypeScript source.
  if (fs.existsSync(SOURCE)) return SOURCE;
  const fromDist = path.resolve(__dirname, '..', '..', '..', 'env', 'llvm', 'native', 'features.c');
  if (fs.existsSync(fromDist)) return fromDist;
  throw new PassGymError('INTERNAL', `native/features.c not found beside ${__dirname}`);
}

function compile(libraryPath: string): string {
  const src = sourcePath();
  const text = fs.readFileSync(src);
  const key = sha256(Buffer.concat([text, Buffer.from(`\0${libraryPath}`)])).slice(0, 16);
  const out = cachePath('native', `features-${key}.so`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.build`;
  try {
    execFileSync('cc', ['-O2', '-shared', '-fPIC', '-o', tmp, src, libraryPath], { stdio: 'pipe' });
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new MissingToolError('cc (a C compiler)', 'gcc');
    throw new PassGymError('INTERNAL', `compiling ${src} failed: ${err.stderr?.toString() ?? err.message}`);
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
  const lib = koffi.load(compile(libraryPath));
  const count = lib.func('int64_t passgym_instruction_count(uintptr_t m)') as (m: Handle) => number | bigint;
  const instcount = lib.func('int passgym_instcount(uintptr_t m, _Out_ int64_t* out)') as (
    m: Handle,
    out: BigInt64Array,
  ) => number;
  const autophase = lib.func('void passgym_autophase(uintptr_t m, _Out_ int64_t* out)') as (
    m: Handle,
    out: BigInt64Array,
  ) => void;
  return {
    instructionCount: (m) => Number(count(m)),
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
