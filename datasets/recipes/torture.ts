/**
 * `benchmark://torture-v0/NAME`: GCC's C torture execution tests
 * (`gcc/testsuite/gcc.c-torture/execute/*.c`, the top-level files; the `ieee/` and `builtins/`
 * subfolders need harnesses of their own and are left out), taken from the GCC source tarball in
 * Debian's `gcc-12-source` package. Each program checks itself: it exits 0 when right and calls
 * `abort()` otherwise, so the run compares the exit status only.
 *
 * A program qualifies when it compiles with clang, exits 0 at -O0 (twice, the same way), and still
 * exits 0 after `opt -passes='default<O3>'`; the others are recorded as failures with the step
 * that rejected them (`compile`, `O0-link`, `O0-status`, `O3-opt`, `O3-link`, `O3-run`, or the
 * installer's `verify`/`link`/`run`). Two programs are built and checked at a time. With LLVM 14,
 * 1,530 of the 1,592 candidates qualify (measured; 43 do not compile with clang: nested functions,
 * variable-length arrays in structs…).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { compileToBitcode, oldCFlags } from '../../env/datasets/build';
import { debianPackageContents } from '../../env/datasets/debian';
import { untar } from '../../env/datasets/npm';
import { runProgram, type RunResult } from '../../env/datasets/run';
import { BenchmarkBuildError, MissingToolError, PassGymError } from '../../env/errors';
import type { DatasetRecipe, InstallContext, RunSpec } from '../../env/datasets/types';

/** Debian binary package that ships GCC's source tarball under `usr/src/gcc-12/`. */
const SOURCE_PACKAGE = 'gcc-12-source';

/** Flags of every torture program: old GNU C as the testsuite is written in, warnings off. */
export const TORTURE_FLAGS = ['-w', '-fgnu89-inline', '-Wno-error=return-type', '-Wno-error=implicit-function-declaration'];

/** The flags of every torture program for clang `major` (clang 16+ gets `oldCFlags`). */
export function tortureFlags(major: number): string[] {
  return [...TORTURE_FLAGS, ...oldCFlags(major)];
}

/** The run of every torture program: self-checking, so the exit status (0) is the output. */
export const TORTURE_RUN: RunSpec = { args: [], inputs: {}, linkArgs: ['-lm'], stdin: null, timeoutSeconds: 10, compare: 'status', outputFiles: [] };

/**
 * Flags of a `dg-options` / `dg-additional-options` comment that clang understands and that
 * change what the program means (wrapping overflow, language standard, inline semantics…).
 * Optimization levels, target (`-m…`) and GCC-only flags are dropped.
 */
const KEPT_DG_FLAG = /^-(fwrapv|fno-strict-overflow|fgnu89-inline|fno-common|fno-inline|finstrument-functions|fno-builtin(-\w+)?|std=[\w+]+|finput-charset=utf-8)$/;

/**
 * The extra clang flags a torture program asks for in its `{ dg-options "…" }` or
 * `{ dg-additional-options "…" }` comments, keeping only those without a target selector and
 * in `KEPT_DG_FLAG`.
 * @param source the C source text.
 */
export function dgFlags(source: string): string[] {
  const flags: string[] = [];
  for (const m of source.matchAll(/\{\s*dg-(?:additional-)?options\s+(?:"([^"]*)"|\{\s*"([^"]*)"\s*\})\s*(\{[^}]*\})?\s*\}/g)) {
    if (m[3]) continue; // only for some targets
    for (const f of (m[1] ?? m[2]).split(/\s+/)) if (KEPT_DG_FLAG.test(f)) flags.push(f);
  }
  return flags;
}

/**
 * Fetches `gcc-12-source`, finds GCC's source tarball in it and unpacks only the top-level files
 * of `gcc/testsuite/gcc.c-torture/execute/` under `work`.
 * @returns the `execute/` folder.
 * @throws PassGymError (DOWNLOAD_FAILED) when the package or the folder inside it is not found.
 */
export function unpackTortureExecute(work: string): string {
  const pkg = debianPackageContents(SOURCE_PACKAGE, path.join(work, 'deb'));
  const srcDir = path.join(pkg, 'usr', 'src', 'gcc-12');
  const tarball = fs.existsSync(srcDir) ? fs.readdirSync(srcDir).find((f) => /^gcc-[\d.]+.*\.tar\.(xz|gz|bz2)$/.test(f)) : undefined;
  if (!tarball) throw new PassGymError('DOWNLOAD_FAILED', `${SOURCE_PACKAGE}: no gcc-*.tar.* source tarball in usr/src/gcc-12/`);
  const dest = path.join(work, 'src');
  try {
    untar(path.join(srcDir, tarball), dest, ['--wildcards', '--no-wildcards-match-slash', '*/gcc/testsuite/gcc.c-torture/execute/*']);
  } catch (e) {
    throw new PassGymError('DOWNLOAD_FAILED', `${SOURCE_PACKAGE}: unpacking gcc.c-torture/execute from ${tarball} failed: ${(e as Error).message}`);
  }
  fs.rmSync(path.join(work, 'deb'), { recursive: true, force: true });
  const top = fs.readdirSync(dest).find((d) => fs.existsSync(path.join(dest, d, 'gcc/testsuite/gcc.c-torture/execute')));
  if (!top) throw new PassGymError('DOWNLOAD_FAILED', `${SOURCE_PACKAGE}: ${tarball} holds no gcc/testsuite/gcc.c-torture/execute/`);
  return path.join(dest, top, 'gcc/testsuite/gcc.c-torture/execute');
}

/** Why a run is not a clean exit 0, or null when it is. */
function notZero(r: RunResult, spec: RunSpec): string | null {
  if (r.timedOut) return `ran past ${spec.timeoutSeconds} s`;
  if (r.signal !== null) return `died (${r.signal}): ${r.stderr.trim()}`;
  if (r.status !== 0) return `exited ${r.status}: ${r.stderr.trim()}`;
  return null;
}

/** What failed, at which step; thrown inside `qualify` only. */
class StepFailure extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a tool without blocking the event loop, so two programs can be checked at once. */
function tool(step: string, cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 1 << 24 }, (e, _out, stderr) => {
      if (e) reject(new StepFailure(step, `${path.basename(cmd)} failed: ${String(stderr || e.message).trim().split('\n').slice(-10).join('\n')}`));
      else resolve();
    });
  });
}

/**
 * Checks that the program in `bitcode` exits 0 at -O0 and after `opt -passes='default<O3>'`
 * (each built as `bitcodeToExecutable` builds the -O0 reference: clang -O0 -w, then the link arguments).
 * @throws StepFailure naming the step that rejected it.
 */
async function qualify(ctx: InstallContext, id: string, bitcode: string): Promise<void> {
  const clang = ctx.llvm.tools.clang;
  if (!clang) throw new MissingToolError(`clang-${ctx.llvm.major}`, `clang-${ctx.llvm.major}`);
  const exe = path.join(ctx.work, `${id}.check.exe`);
  const o3 = path.join(ctx.work, `${id}.O3.bc`);
  const link = (step: string, bc: string) => tool(step, clang, ['-O0', '-w', bc, '-o', exe, ...TORTURE_RUN.linkArgs]);
  try {
    await link('O0-link', bitcode);
    const o0 = notZero(await runProgram(exe, TORTURE_RUN, ctx.dir), TORTURE_RUN);
    if (o0) throw new StepFailure('O0-status', `-O0 build ${o0}`);
    await tool('O3-opt', ctx.llvm.tools.opt, ['-passes=default<O3>', bitcode, '-o', o3]);
    await link('O3-link', o3);
    const r = notZero(await runProgram(exe, TORTURE_RUN, ctx.dir), TORTURE_RUN);
    if (r) throw new StepFailure('O3-run', `default<O3> build ${r}`);
  } finally {
    fs.rmSync(exe, { force: true });
    fs.rmSync(o3, { force: true });
  }
}

/**
 * Builds, checks and adds one program; its failures go to `ctx.fail`.
 * @throws only what stops the whole install (a missing tool, no sandbox for runs).
 */
async function installOne(ctx: InstallContext, dir: string, id: string): Promise<void> {
  const out = path.join(ctx.dir, `${id}.bc`);
  try {
    try {
      compileToBitcode(ctx.llvm, `${id}.c`, out, [...tortureFlags(ctx.llvm.major), ...dgFlags(fs.readFileSync(path.join(dir, `${id}.c`), 'latin1'))], dir);
    } catch (e) {
      throw e instanceof BenchmarkBuildError ? new StepFailure('compile', e.message) : e;
    }
    await qualify(ctx, id, out);
  } catch (e) {
    fs.rmSync(out, { force: true });
    if (!(e instanceof StepFailure)) throw e;
    ctx.fail(id, e.step, e.message);
    return;
  }
  if (!(await ctx.add(id, out, TORTURE_RUN))) fs.rmSync(out, { force: true });
}

/** Programs checked at once: their runs and links overlap with the other's compile. */
const WORKERS = 2;

export const tortureRecipe: DatasetRecipe = {
  name: 'torture-v0',
  description: "GCC 12's gcc.c-torture/execute tests: small self-checking C programs (exit 0 = correct) that survive -O0 and default<O3>",
  license: 'GPL-3.0-or-later (GCC testsuite)',
  runnable: true,
  debianPackages: [],
  async install(ctx) {
    const dir = unpackTortureExecute(ctx.work);
    const ids = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.c') && fs.statSync(path.join(dir, f)).isFile())
      .map((f) => f.slice(0, -2))
      .filter((id) => /^[A-Za-z0-9._+-]+$/.test(id) && (!ctx.only || ctx.only.has(id)))
      .sort();
    ctx.log(`torture-v0: ${ids.length} candidate programs in ${dir}`);
    let next = 0;
    let done = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && next < ids.length) {
        const id = ids[next++];
        try {
          await installOne(ctx, dir, id);
        } catch (e) {
          stop = true;
          throw e;
        }
        ctx.progress(++done, ids.length, id);
      }
    };
    ctx.progress(0, ids.length);
    const results = await Promise.allSettled(Array.from({ length: WORKERS }, worker));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    ctx.progress(ids.length, ids.length);
  },
};
