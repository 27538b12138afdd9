/**
 * Compiling sources to PassGym bitcode: clang at -O0 with `-Xclang -disable-O0-optnone` (so passes
 * can optimize it, as CompilerGym's datasets are built), `llvm-link` to join translation units
 * into one module, and clang again to turn bitcode into an executable.
 */
import { execFileSync } from 'node:child_process';
import { BenchmarkBuildError, MissingToolError } from '../errors';
import type { LlvmInstallation } from '../llvm/library';

/** The clang flags of every PassGym benchmark build, before the caller's own flags. */
export const BITCODE_FLAGS = ['-O0', '-Xclang', '-disable-O0-optnone', '-emit-llvm', '-c', '-g0'];

/**
 * Warnings that clang 16 made errors by default in C (clang 16 release notes, "Potentially
 * Breaking Changes"): implicit function declarations, implicit `int`, int/pointer conversions
 * and incompatible function pointer types; plain incompatible pointer types are errors in clang
 * 22 (not 19). Old C that gcc and clang 14 accept hits them; these flags make them warnings
 * again (which `-w` silences), so the program means what it meant to clang 14.
 */
export const OLD_C_FLAGS_CLANG16 = [
  '-Wno-error=implicit-function-declaration',
  '-Wno-error=implicit-int',
  '-Wno-error=int-conversion',
  '-Wno-error=incompatible-pointer-types',
  '-Wno-error=incompatible-function-pointer-types',
];

/**
 * The flags that let clang `major` compile old C as clang 14 did: `OLD_C_FLAGS_CLANG16` from
 * clang 16 on, nothing before (so older builds stay byte-identical to what they were).
 */
export function oldCFlags(major: number): string[] {
  return major >= 16 ? [...OLD_C_FLAGS_CLANG16] : [];
}

function clang(llvm: LlvmInstallation): string {
  if (!llvm.tools.clang) throw new MissingToolError(`clang-${llvm.major}`, `clang-${llvm.major}`);
  return llvm.tools.clang;
}

function run(cmd: string, args: string[], what: string, cwd?: string, timeoutMs = 600_000): void {
  try {
    execFileSync(cmd, args, { cwd, stdio: 'pipe', timeout: timeoutMs, maxBuffer: 1 << 26 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const text = (err.stderr?.toString() ?? err.message).trim().split('\n').slice(-15).join('\n');
    throw new BenchmarkBuildError(`${what} failed: ${text}`);
  }
}

/**
 * Compiles one C/C++ source file to -O0 bitcode.
 * @param flags extra flags (defines, include paths, `-w`, `-x c++`…).
 * @throws BenchmarkBuildError with clang's last lines.
 */
export function compileToBitcode(llvm: LlvmInstallation, source: string, out: string, flags: string[] = [], cwd?: string): void {
  run(clang(llvm), [...BITCODE_FLAGS, ...flags, source, '-o', out], `clang ${source}`, cwd);
}

/**
 * Links bitcode files into one module with `llvm-link-N`: `inputs` whole, then from each of
 * `libraries` only the definitions the module reaches (`--only-needed`, what linking with a
 * static library does, at function granularity).
 * @throws BenchmarkBuildError
 */
export function linkBitcode(llvm: LlvmInstallation, inputs: string[], out: string, libraries: string[] = []): void {
  const libs = libraries.flatMap((l) => ['--only-needed', l]);
  run(llvm.tools.llvmLink, ['-o', out, ...inputs, ...libs], `llvm-link ${out}`);
}

/** Builds an executable from bitcode with clang at -O0 (used for -O0 reference runs). @throws BenchmarkBuildError */
export function bitcodeToExecutable(llvm: LlvmInstallation, bitcode: string, exe: string, linkArgs: string[]): void {
  run(clang(llvm), ['-O0', '-w', bitcode, '-o', exe, ...linkArgs], `linking ${bitcode}`);
}
