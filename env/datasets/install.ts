/**
 * Installing a dataset: its recipe builds into a staging folder; `manifest.json` is written last
 * and the folder is renamed into place only when the install completed, so an interrupted install
 * leaves nothing that is later taken for whole. Installed datasets live under
 * `cacheRoot()/llvmN/datasets/NAME/`. One benchmark that fails to build is recorded in the
 * manifest's `failures` with the step and message; the others still install. An install of some
 * ids only (`only`) is recorded as partial in the manifest (`only`), and completed by a plain one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheRoot, sha256, writeFileAtomic } from '../cache';
import { findLlvm } from '../llvm/library';
import { Llvm } from '../llvm/llvm';
import { PassGymError } from '../errors';
import { ensureDebianPackages } from './debian';
import { bitcodeToExecutable } from './build';
import { runProgram } from './run';
import type { DatasetManifest, DatasetRecipe, InstallContext, InstallFailure, ManifestEntry, RunSpec } from './types';

/** Folder of an installed dataset for the loaded LLVM. */
export function datasetDir(name: string): string {
  return path.join(cacheRoot(), `llvm${findLlvm().major}`, 'datasets', name);
}

const manifests = new Map<string, { mtimeMs: number; size: number; manifest: DatasetManifest }>();

/**
 * The manifest of an installed dataset, or null when it is not installed. Parsed once per process
 * and again only when the file changes (every reset on a dataset benchmark resolves through here).
 */
export function loadManifest(name: string): DatasetManifest | null {
  const file = path.join(datasetDir(name), 'manifest.json');
  if (!fs.existsSync(file)) return null;
  const { mtimeMs, size } = fs.statSync(file);
  const cached = manifests.get(file);
  if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.manifest;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetManifest;
  manifests.set(file, { mtimeMs, size, manifest });
  return manifest;
}

/**
 * The error for a benchmark id that a partial install (`only`) left out, naming the command that
 * installs the rest; null when the install is complete (the id then does not exist).
 */
export function notInstalledMessage(manifest: DatasetManifest, what: string): string | null {
  if (!manifest.only) return null;
  return `${what} is not installed: ${manifest.name} was installed in part (--only ${manifest.only.join(' ')}); run 'passgym datasets install ${manifest.name}' to install the rest`;
}

/** Progress callback of an install: units done, units in all, and what is being done. */
export type ProgressListener = (done: number, total: number, label: string) => void;

/** Options of `installDataset`. */
export interface InstallOptions {
  /** Rebuild even when installed. */
  force?: boolean;
  onProgress?: ProgressListener;
  log?: (m: string) => void;
  /** Build only these ids (the manifest then holds only them). */
  only?: readonly string[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function makeContext(recipe: DatasetRecipe, dir: string, work: string, entries: ManifestEntry[], failures: InstallFailure[], onProgress: ProgressListener, log: (m: string) => void, only: ReadonlySet<string> | null): InstallContext {
  const llvm = findLlvm();
  const ids = new Set<string>();
  const fail = (id: string, step: string, message: string) => {
    failures.push({ id, step, message: message.slice(0, 4000) });
  };
  return {
    llvm,
    dir,
    work,
    progress: (done, total, label = '') => onProgress(done, total, label),
    log,
    only,
    fail,
    async add(id: string, bitcodeFile: string, run?: RunSpec): Promise<boolean> {
      if (ids.has(id)) throw new PassGymError('INTERNAL', `${recipe.name}: benchmark id '${id}' added twice`);
      if (!/^[A-Za-z0-9._+-]+$/.test(id)) throw new PassGymError('INTERNAL', `${recipe.name}: invalid benchmark id '${id}'`);
      const bytes = fs.readFileSync(bitcodeFile);
      let instructions: number;
      try {
        const m = Llvm.get().parse(bytes, `benchmark://${recipe.name}/${id}`);
        instructions = m.instructionCount();
        m.dispose();
      } catch (e) {
        fail(id, 'verify', (e as Error).message);
        return false;
      }
      const entry: ManifestEntry = { id, bitcode: path.relative(dir, bitcodeFile), sha256: sha256(bytes), instructions, run: null };
      if (run) {
        const exe = path.join(work, `${id}.O0.exe`);
        try {
          bitcodeToExecutable(llvm, bitcodeFile, exe, run.linkArgs);
        } catch (e) {
          fail(id, 'link', (e as Error).message);
          return false;
        }
        const runs = [await runProgram(exe, run, dir)];
        const failed = (r: (typeof runs)[number]) => r.timedOut || r.signal !== null || r.status === null;
        // A second run checks determinism; after a failed first run it would only cost time.
        if (!failed(runs[0])) runs.push(await runProgram(exe, run, dir));
        fs.rmSync(exe, { force: true });
        const bad = runs.find(failed);
        if (bad) {
          fail(id, 'run', bad.timedOut ? `-O0 run exceeded ${run.timeoutSeconds} s` : `-O0 run died (${bad.signal}): ${bad.stderr}`);
          return false;
        }
        if (runs[0].outputSha256 !== runs[1].outputSha256 || runs[0].status !== runs[1].status) {
          fail(id, 'run', 'two -O0 runs gave different output: the program is not deterministic');
          return false;
        }
        entry.run = { ...run, reference: { outputSha256: runs[0].outputSha256, status: runs[0].status!, seconds: median(runs.map((r) => r.seconds)) } };
      }
      ids.add(id);
      entries.push(entry);
      return true;
    },
  };
}

const inProcess = new Map<string, Promise<DatasetManifest>>();

/**
 * Installs (or reinstalls with `force`) a dataset and returns its manifest. An installed dataset is
 * returned as it is, unless it was installed partially (`only`) and this call asks for more: a call
 * without `only` then completes it, one with other ids adds them.
 * @throws MissingToolError when a Debian package is missing and this is not root; PassGymError
 *   when the recipe fails as a whole (its step named).
 */
export function installDataset(recipe: DatasetRecipe, options: InstallOptions = {}): Promise<DatasetManifest> {
  const existing = !options.force && loadManifest(recipe.name);
  if (existing) {
    if (!existing.only) return Promise.resolve(existing);
    if (options.only?.every((id) => existing.only!.includes(id))) return Promise.resolve(existing);
    // A partial install: a plain install completes it, another --only widens it.
    options = { ...options, only: options.only ? [...new Set([...existing.only, ...options.only])] : undefined };
  }
  let p = inProcess.get(recipe.name);
  if (!p) {
    p = doInstall(recipe, options).finally(() => inProcess.delete(recipe.name));
    inProcess.set(recipe.name, p);
  }
  return p;
}

async function doInstall(recipe: DatasetRecipe, options: InstallOptions): Promise<DatasetManifest> {
  const t0 = performance.now();
  ensureDebianPackages(recipe.debianPackages);
  const dir = datasetDir(recipe.name);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `passgym-build-${recipe.name.replace(/\//g, '_')}-`));
  const entries: ManifestEntry[] = [];
  const failures: InstallFailure[] = [];
  try {
    const only = options.only ? new Set(options.only) : null;
    const ctx = makeContext(recipe, staging, work, entries, failures, options.onProgress ?? (() => undefined), options.log ?? (() => undefined), only);
    await recipe.install(ctx);
    if (entries.length === 0) {
      const why = failures.slice(0, 3).map((f) => `${f.id} (${f.step}): ${f.message.split('\n')[0]}`).join('; ');
      throw new PassGymError('DATASET_INSTALL_FAILED', `${recipe.name}: no benchmark could be built${why ? `: ${why}` : ''}`);
    }
    entries.sort((a, b) => a.id.localeCompare(b.id));
    const manifest: DatasetManifest = {
      name: recipe.name,
      llvmMajor: findLlvm().major,
      builtAt: new Date().toISOString(),
      seconds: (performance.now() - t0) / 1000,
      entries,
      failures,
      ...(options.only ? { only: [...options.only] } : {}),
    };
    writeFileAtomic(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 1));
    const old = `${dir}.old-${process.pid}`;
    if (fs.existsSync(dir)) fs.renameSync(dir, old);
    try {
      fs.renameSync(staging, dir);
    } catch (e) {
      // Another process finished the same install first: keep its copy.
      if (!loadManifest(recipe.name)) throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
    return loadManifest(recipe.name)!;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
