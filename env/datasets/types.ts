/**
 * The contract between PassGym's dataset installer and the recipes in `datasets/recipes/`.
 * A recipe fetches sources (npm registry, Debian packages), compiles them with clang to -O0
 * bitcode (`-Xclang -disable-O0-optnone`), and adds benchmarks; runnable ones carry a run
 * command whose -O0 output is recorded as the reference for semantic validation.
 */
import type { LlvmInstallation } from '../llvm/library';

/** How to run a runnable benchmark, and what its -O0 build printed (the reference). */
export interface RunSpec {
  /** Arguments after the executable. */
  args: string[];
  /** Files copied into the scratch folder before each run: name there -> path relative to the dataset folder. */
  inputs: Record<string, string>;
  /** Linker arguments after the object file, e.g. ["-lm"]. */
  linkArgs: string[];
  /** File fed to stdin, relative to the dataset folder; null for none (stdin is /dev/null). */
  stdin: string | null;
  /** A run longer than this is killed and reported as a timeout. */
  timeoutSeconds: number;
  /** What must match the reference: stdout plus exit status, or the exit status alone. */
  compare: 'stdout-and-status' | 'status';
  /** Files the program writes in its scratch folder whose contents are part of its output. */
  outputFiles: string[];
}

/** The -O0 reference of a runnable benchmark, recorded at install time. */
export interface RunReference {
  /** sha256 over stdout and the output files (see `run.ts`, `outputDigest`). */
  outputSha256: string;
  status: number;
  /** Median wall time of the -O0 build, seconds. */
  seconds: number;
}

/** One benchmark of an installed dataset. */
export interface ManifestEntry {
  id: string;
  /** Bitcode path relative to the dataset folder. */
  bitcode: string;
  sha256: string;
  /** IR instruction count of the bitcode (for listings). */
  instructions?: number;
  run: (RunSpec & { reference: RunReference }) | null;
}

/** A benchmark that could not be built, and why. */
export interface InstallFailure {
  id: string;
  step: string;
  message: string;
}

/** `manifest.json` of an installed dataset; its presence marks a complete install. */
export interface DatasetManifest {
  name: string;
  llvmMajor: number;
  builtAt: string;
  seconds: number;
  entries: ManifestEntry[];
  failures: InstallFailure[];
  /**
   * Present on a partial install (`datasets install NAME --only ID…`): the ids or patterns that
   * were asked for. The dataset then holds only those; a plain install completes it.
   */
  only?: string[];
}

/** What a recipe gets from the installer. */
export interface InstallContext {
  llvm: LlvmInstallation;
  /** Staging folder; becomes the dataset folder when the install completes. */
  dir: string;
  /** Scratch folder for downloads and builds, removed afterwards. */
  work: string;
  /** Progress of the recipe: `done` of `total` units, with a short label. */
  progress(done: number, total: number, label?: string): void;
  log(message: string): void;
  /**
   * Adds a benchmark whose bitcode is at `bitcodeFile` (inside `dir`). For a runnable one, builds
   * it at -O0 with clang, runs it (`run.ts`) and records the reference; a build failure, a crash,
   * a timeout or an output that differs between two runs records a failure instead.
   * @returns true when added.
   */
  add(id: string, bitcodeFile: string, run?: RunSpec): Promise<boolean>;
  /** Records a benchmark that could not be built at `step`. */
  fail(id: string, step: string, message: string): void;
  /** When set, build only these benchmark ids (tests build a few members of a dataset). */
  only: ReadonlySet<string> | null;
}

/** A dataset of fixed benchmarks, `benchmark://NAME/ID`. */
export interface DatasetRecipe {
  name: string;
  description: string;
  /** License(s) of the sources. */
  license: string;
  runnable: boolean;
  /** Debian packages needed to install (installed when root, else the apt-get line is printed). */
  debianPackages: string[];
  install(ctx: InstallContext): Promise<void>;
}

/**
 * A generator, `generator://NAME/SEED`: builds one benchmark per seed on first use, with the id
 * `String(seed)`, through the same context (a one-benchmark dataset cached per seed).
 */
export interface GeneratorRecipe {
  name: string;
  description: string;
  license: string;
  runnable: boolean;
  debianPackages: string[];
  /** Largest valid seed (seeds are 0..maxSeed). */
  maxSeed: number;
  generate(seed: number, ctx: InstallContext): Promise<void>;
}
