/**
 * Finds the LLVM installation PassGym uses: the newest major version N in 22..14 for which both
 * the shared library (`libLLVM-N.so` or `libLLVM.so.N.x`) and that version's tools (`opt-N`,
 * `llvm-link-N`, `llvm-stress-N`) are present. `PASSGYM_LLVM=N` (a major version) or
 * `PASSGYM_LLVM=/path/to/libLLVM….so` chooses one. `clang-N` is looked up too but is optional:
 * only C/C++ benchmarks need it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { LlvmNotFoundError } from '../errors';

/** Newest first. 22..14: LLVMRunPasses (new pass manager from C) exists from LLVM 13 on. */
export const SUPPORTED_LLVM_MAJORS = [22, 21, 20, 19, 18, 17, 16, 15, 14];

/** Where one LLVM version's pieces are on this machine. */
export interface LlvmInstallation {
  /** Major version, e.g. 14. */
  major: number;
  /** Full version string as `opt --version` prints it, e.g. "14.0.6". */
  version: string;
  /** Absolute path of the shared library. */
  libraryPath: string;
  /** Absolute paths of the tools; `clang` is null when not installed. */
  tools: { opt: string; llvmLink: string; llvmStress: string; clang: string | null };
}

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

function firstExisting(candidates: string[]): string | null {
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return null;
}

function libraryCandidates(major: number): string[] {
  const names = [`libLLVM-${major}.so.1`, `libLLVM-${major}.so`, `libLLVM.so.${major}.1`, `libLLVM.so.${major}`];
  const dirs = [...LIB_DIRS, `/usr/lib/llvm-${major}/lib`];
  return dirs.flatMap((d) => names.map((n) => path.join(d, n)));
}

function tool(major: number, name: string): string | null {
  return firstExisting([`/usr/bin/${name}-${major}`, `/usr/lib/llvm-${major}/bin/${name}`]);
}

function probe(major: number, libraryPath: string | null): LlvmInstallation | null {
  const lib = libraryPath ?? firstExisting(libraryCandidates(major));
  const opt = tool(major, 'opt');
  const llvmLink = tool(major, 'llvm-link');
  const llvmStress = tool(major, 'llvm-stress');
  if (!lib || !opt || !llvmLink || !llvmStress) return null;
  const versionText = execFileSync(opt, ['--version'], { encoding: 'utf8' });
  const version = /LLVM version (\d+\.\d+\.\d+)/.exec(versionText)?.[1] ?? `${major}`;
  return { major, version, libraryPath: lib, tools: { opt, llvmLink, llvmStress, clang: tool(major, 'clang') } };
}

function missingPieces(major: number): string {
  const parts = [
    firstExisting(libraryCandidates(major)) ? null : `libLLVM-${major}.so`,
    tool(major, 'opt') ? null : `opt-${major}`,
    tool(major, 'llvm-link') ? null : `llvm-link-${major}`,
    tool(major, 'llvm-stress') ? null : `llvm-stress-${major}`,
  ].filter(Boolean);
  return parts.join(', ');
}

let cached: LlvmInstallation | null = null;

/**
 * Returns the LLVM installation to use (cached per process).
 * @throws LlvmNotFoundError when none is complete, naming what is missing and the apt-get line.
 */
export function findLlvm(choice: string | undefined = process.env.PASSGYM_LLVM): LlvmInstallation {
  if (cached && choice === process.env.PASSGYM_LLVM) return cached;
  let found: LlvmInstallation | null = null;
  if (choice && /^\d+$/.test(choice)) {
    const major = Number(choice);
    found = probe(major, null);
    if (!found) {
      throw new LlvmNotFoundError(
        `PASSGYM_LLVM=${choice}, but LLVM ${major} is incomplete here (missing: ${missingPieces(major)}). ` +
          `Install it with: apt-get update && apt-get install -y llvm-${major}`,
      );
    }
  } else if (choice) {
    const m = /libLLVM(?:-(\d+)|\.so\.(\d+))/.exec(path.basename(choice));
    const major = m ? Number(m[1] ?? m[2]) : NaN;
    if (!fs.existsSync(choice) || Number.isNaN(major)) {
      throw new LlvmNotFoundError(
        `PASSGYM_LLVM=${choice} is neither a major version (e.g. 14) nor an existing libLLVM-N.so path`,
      );
    }
    found = probe(major, choice);
    if (!found) {
      throw new LlvmNotFoundError(`PASSGYM_LLVM=${choice}: the tools of LLVM ${major} are missing (${missingPieces(major)})`);
    }
  } else {
    for (const major of SUPPORTED_LLVM_MAJORS) {
      found = probe(major, null);
      if (found) break;
    }
    if (!found) {
      throw new LlvmNotFoundError(
        `No complete LLVM ${SUPPORTED_LLVM_MAJORS.at(-1)}..${SUPPORTED_LLVM_MAJORS[0]} found (library plus opt, llvm-link, llvm-stress). ` +
          'Install one with: apt-get update && apt-get install -y llvm-14',
      );
    }
  }
  if (choice === process.env.PASSGYM_LLVM) cached = found;
  return found;
}
