/**
 * Benchmark URIs and their resolution to a module file in the cache.
 *
 * - `file:///abs/path.ll|.bc`: LLVM IR text or bitcode, copied into the cache by content.
 * - `file:///abs/path.c|.cc|.cpp|.cxx`: compiled with `clang-N -O0 -Xclang -disable-O0-optnone
 *   -emit-llvm -c` (CompilerGym's flags: -O0 IR without `optnone`, so passes can work on it).
 * - `generator://llvm-stress-v0/SEED`: `llvm-stress-N --seed=SEED` of the loaded LLVM
 *   (CompilerGym's llvm-stress-v0 uses the default size), SEED in 0..2^32-1.
 * - `benchmark://DATASET/ID`: a benchmark of an installed dataset (`env/datasets/`), installed on
 *   first use (e.g. `benchmark://embedded-v0/qsort`, the C programs in `datasets/embedded/`).
 * A URI without a scheme, `embedded-v0/qsort`, means `benchmark://embedded-v0/qsort`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cachePath, sha256, writeFileAtomic } from './cache';
import { BenchmarkBuildError, DatasetNotInstalledError, MissingToolError, UnknownBenchmarkError } from './errors';
import { findLlvm } from './llvm/library';
import { DATASET_RECIPES, GENERATOR_RECIPES, LLVM_STRESS, seedDataset } from './datasets/registry';
import { datasetDir, installDataset, loadManifest, notInstalledMessage } from './datasets/install';
import type { Rng } from './spaces';
import type { DatasetRecipe, RunReference, RunSpec } from './datasets/types';

/** A resolved benchmark: the URI the user gave and the module file a worker loads. */
export interface BenchmarkRef {
  uri: string;
  /** Absolute path of an .ll or .bc file in the cache; its content never changes. */
  path: string;
  /** Hex sha256 of that file's content. */
  sha256: string;
  /** How to run it and its -O0 reference, for runnable benchmarks; null otherwise. */
  run: (RunSpec & { reference: RunReference }) | null;
  /** Folder that the run spec's input paths are relative to (the dataset folder), or null. */
  datasetDir: string | null;
}

/** The benchmark used when none is named (CompilerGym's default is cbench-v1/qsort). */
export const DEFAULT_BENCHMARK = 'benchmark://embedded-v0/qsort';

const C_EXTENSIONS = new Set(['.c', '.cc', '.cpp', '.cxx']);
const IR_EXTENSIONS = new Set(['.ll', '.bc']);
const UINT32_MAX = 2 ** 32 - 1;

function llvmMajor(): number {
  return findLlvm().major;
}

/** A not-runnable benchmark on `file`; `hash` is its sha256 when the caller already has it. */
function refFor(uri: string, file: string, hash?: string): BenchmarkRef {
  return { uri, path: file, sha256: hash ?? sha256(fs.readFileSync(file)), run: null, datasetDir: null };
}

/** Compiles C/C++ source bytes to -O0 bitcode in the cache (keyed by content and LLVM version). */
function compileC(uri: string, sourcePath: string): BenchmarkRef {
  const source = fs.readFileSync(sourcePath);
  const ext = path.extname(sourcePath);
  const out = cachePath(`llvm${llvmMajor()}`, 'compiled', `${sha256(source)}${ext}.bc`);
  if (!fs.existsSync(out)) {
    const clang = findLlvm().tools.clang;
    if (!clang) throw new MissingToolError(`clang-${llvmMajor()} (needed to compile ${uri})`, `clang-${llvmMajor()}`);
    const tmp = `${out}.${process.pid}.tmp`;
    const lang = ext === '.c' ? [] : ['-x', 'c++'];
    try {
      execFileSync(clang, [...lang, '-O0', '-Xclang', '-disable-O0-optnone', '-emit-llvm', '-c', '-w', sourcePath, '-o', tmp], {
        stdio: 'pipe',
        timeout: 300_000,
      });
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e);
      throw new BenchmarkBuildError(`${uri}: clang-${llvmMajor()} failed to compile ${sourcePath}: ${stderr.slice(0, 2000)}`);
    }
    writeFileAtomic(out, fs.readFileSync(tmp));
    fs.rmSync(tmp, { force: true });
  }
  return refFor(uri, out);
}

function resolveFile(uri: string, filePath: string): BenchmarkRef {
  const ext = path.extname(filePath).toLowerCase();
  if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile()) {
    throw new UnknownBenchmarkError(`${uri}: no such file ${filePath}`);
  }
  if (C_EXTENSIONS.has(ext)) return compileC(uri, filePath);
  if (!IR_EXTENSIONS.has(ext)) {
    throw new UnknownBenchmarkError(`${uri}: unsupported file type '${ext}'; valid: .ll, .bc, .c, .cc, .cpp, .cxx`);
  }
  const bytes = fs.readFileSync(filePath);
  const hash = sha256(bytes);
  const out = cachePath('files', `${hash}${ext}`);
  if (!fs.existsSync(out)) writeFileAtomic(out, bytes);
  return refFor(uri, out, hash);
}

/** Where `generator://llvm-stress-v0/SEED` is cached for the loaded LLVM. */
export function llvmStressPath(seed: number): string {
  return cachePath(`llvm${llvmMajor()}`, 'llvm-stress-v0', `${seed}.ll`);
}

function resolveLlvmStress(uri: string, seedText: string): BenchmarkRef {
  if (!/^\d+$/.test(seedText) || Number(seedText) > UINT32_MAX) {
    throw new UnknownBenchmarkError(`${uri}: the seed must be an integer in 0..${UINT32_MAX}`);
  }
  const seed = Number(seedText);
  const out = llvmStressPath(seed);
  if (!fs.existsSync(out)) {
    const text = execFileSync(findLlvm().tools.llvmStress, [`--seed=${seed}`], { maxBuffer: 1 << 28 });
    writeFileAtomic(out, text);
  }
  return refFor(uri, out);
}

/** Lists at most 20 ids and the count, for error messages. */
function someIds(ids: string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')}, … (${ids.length} in all)`;
}

async function resolveDataset(uri: string, recipe: DatasetRecipe, id: string): Promise<BenchmarkRef> {
  const name = recipe.name;
  // A partial install is used as it is (installDataset would complete it: minutes of builds).
  const manifest =
    loadManifest(name) ??
    (await installDataset(recipe, {
      log: (m) => process.stderr.write(`${m}\n`),
    }));
  const entry = manifest.entries.find((e) => e.id === id);
  if (!entry) {
    const partial = notInstalledMessage(manifest, uri);
    if (partial) throw new DatasetNotInstalledError(partial);
    throw new UnknownBenchmarkError(`${uri}: ${name} has no benchmark '${id}'; valid: ${someIds(manifest.entries.map((e) => e.id))}`);
  }
  const dir = datasetDir(name);
  return { uri, path: path.join(dir, entry.bitcode), sha256: entry.sha256, run: entry.run, datasetDir: dir };
}

/** Dataset name of benchmarks uploaded to a server (`benchmark://uploaded-v0/SHA256`). */
export const UPLOADED_DATASET = 'uploaded-v0';

/** Where an uploaded benchmark with content hash `hash` is stored (IR text `.ll` or bitcode `.bc`). */
export function uploadedBenchmarkPath(hash: string, ext: '.ll' | '.bc'): string {
  return cachePath(`llvm${llvmMajor()}`, UPLOADED_DATASET, `${hash}${ext}`);
}

/** Where the run command and -O0 reference of a runnable upload are kept. */
export function uploadedRunPath(hash: string): string {
  return cachePath(`llvm${llvmMajor()}`, UPLOADED_DATASET, `${hash}.run.json`);
}

let runUploaded = false;

/**
 * Whether uploaded programs may run (the server's --allow-run-uploaded). Off by default: an
 * uploaded benchmark then resolves without a run command, so nothing ever executes it.
 */
export function setRunUploaded(allow: boolean): void {
  runUploaded = allow;
}

function resolveUploaded(uri: string, hash: string): BenchmarkRef {
  for (const ext of ['.bc', '.ll'] as const) {
    const file = uploadedBenchmarkPath(hash, ext);
    if (!fs.existsSync(file)) continue;
    const ref = refFor(uri, file);
    const runFile = uploadedRunPath(hash);
    if (runUploaded && fs.existsSync(runFile)) {
      ref.run = JSON.parse(fs.readFileSync(runFile, 'utf8')) as BenchmarkRef['run'];
      ref.datasetDir = path.dirname(runFile);
    }
    return ref;
  }
  throw new UnknownBenchmarkError(`${uri}: no uploaded benchmark with that hash on this server (upload it with AddBenchmark)`);
}

/**
 * A program drawn with `rng` from the dataset or generator that `uriIn` names without a program
 * (`benchmark://apps-v0`, `generator://csmith-v0`, with or without a trailing `/`); null for any
 * other URI. A dataset's program is drawn uniformly from its installed benchmarks (sorted by id,
 * so one seed draws one program everywhere); a generator's seed uniformly from 0..maxSeed.
 * @throws DatasetNotInstalledError for a dataset not installed here when `install` is false.
 */
export async function drawBenchmark(uriIn: string, rng: Rng, options: { install: boolean }): Promise<string | null> {
  const m = /^(benchmark|generator):\/\/([^/]+)\/?$/.exec(canonicalUri(uriIn.trim()));
  if (!m) return null;
  const [, scheme, name] = m;
  if (scheme === 'generator') {
    const maxSeed = name === LLVM_STRESS.name ? UINT32_MAX : GENERATOR_RECIPES.get(name)?.maxSeed;
    if (maxSeed === undefined) throw new UnknownBenchmarkError(`unknown generator '${name}'; valid: ${[LLVM_STRESS.name, ...GENERATOR_RECIPES.keys()].join(', ')}`);
    return `generator://${name}/${Math.floor(rng() * (maxSeed + 1))}`;
  }
  const recipe = DATASET_RECIPES.get(name);
  if (!recipe) throw new UnknownBenchmarkError(`unknown dataset '${name}'; valid: ${[...DATASET_RECIPES.keys()].join(', ')}`);
  const manifest = loadManifest(name) ?? (options.install ? await installDataset(recipe) : null);
  if (!manifest) throw new DatasetNotInstalledError(`dataset ${name} is not installed here; run 'passgym datasets install ${name}' to draw programs from it`);
  const ids = manifest.entries.map((e) => e.id).sort();
  if (ids.length === 0) throw new UnknownBenchmarkError(`dataset ${name} has no benchmarks installed here`);
  return `benchmark://${name}/${ids[Math.floor(rng() * ids.length)]}`;
}

/** Adds `benchmark://` to a scheme-less URI such as `embedded-v0/qsort`. */
export function canonicalUri(uri: string): string {
  return uri.includes('://') ? uri : `benchmark://${uri}`;
}

/**
 * Resolves a benchmark URI to a module file, building or generating it on first use.
 * @throws UnknownBenchmarkError for a bad scheme, dataset, id, seed or file (naming what is valid);
 *   BenchmarkBuildError when compilation fails; MissingToolError when clang is missing.
 */
export async function resolveBenchmark(uriIn: string): Promise<BenchmarkRef> {
  const uri = canonicalUri(uriIn.trim());
  const m = /^([a-z]+):\/\/(.*)$/.exec(uri);
  const scheme = m?.[1];
  const rest = m?.[2] ?? '';
  if (scheme === 'file') return resolveFile(uri, decodeURIComponent(rest));
  const [dataset, id, ...extra] = rest.split('/');
  if (scheme === 'generator' && dataset === 'llvm-stress-v0' && id !== undefined && extra.length === 0) {
    return resolveLlvmStress(uri, id);
  }
  if (scheme === 'benchmark' && dataset === UPLOADED_DATASET && id && extra.length === 0) return resolveUploaded(uri, id);
  if (scheme === 'benchmark' && DATASET_RECIPES.has(dataset) && id && extra.length === 0) {
    return resolveDataset(uri, DATASET_RECIPES.get(dataset)!, id);
  }
  const generator = scheme === 'generator' ? GENERATOR_RECIPES.get(dataset) : undefined;
  if (generator && id !== undefined && extra.length === 0) {
    if (!/^\d+$/.test(id) || Number(id) > generator.maxSeed) {
      throw new UnknownBenchmarkError(`${uri}: the seed must be an integer in 0..${generator.maxSeed}`);
    }
    return resolveDataset(uri, seedDataset(generator, Number(id)), id);
  }
  throw new UnknownBenchmarkError(
    `unknown benchmark '${uriIn}'; valid forms: file:///path.{ll,bc,c,cc,cpp}, ` +
      `generator://{${['llvm-stress-v0', ...GENERATOR_RECIPES.keys()].join(',')}}/SEED, ` +
      `benchmark://DATASET/ID with DATASET one of ${[...DATASET_RECIPES.keys()].join(', ')}`,
  );
}
