/**
 * One program of `benchmark://apps-v0/…`: where its sources come from and how to build it into
 * one bitcode module with a deterministic input that the builder generates (no downloaded data).
 */
import type { InstallContext, RunSpec } from '../../../env/datasets/types';

export interface AppBuilder {
  /** Benchmark id, e.g. "sqlite3". */
  id: string;
  description: string;
  /** License of the program's sources. */
  license: string;
  /** Where the sources come from: an npm spec ("npm:sqlite3") or a Debian source package ("debian:bzip2"). */
  origin: string;
  /** Debian packages needed to build (beyond clang), e.g. ["dpkg-dev"]. */
  debianPackages: string[];
  /**
   * Writes `ctx.dir/<id>.bc` (all translation units linked with llvm-link) and any input files
   * under `ctx.dir/<id>/`, and returns how to run it (input paths relative to `ctx.dir`).
   * Downloads go to `ctx.work` (shared by builders of one install; npmPackage/debianSource reuse them).
   * @throws BenchmarkBuildError (or any PassGymError) naming the step that failed.
   */
  build(ctx: InstallContext): Promise<RunSpec>;
}
