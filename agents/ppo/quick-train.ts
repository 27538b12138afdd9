/**
 * A policy for the demo: the committed checkpoint when it is there and made for the loaded LLVM
 * major version, else a short PPO run trained now for this LLVM (on torture-v0's train split,
 * programs the demo does not evaluate on).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSource } from '../context';
import { PRETRAINED_DIR } from './agent';
import { datasetBenchmarks } from './benchmarks';
import { makeConfig } from './config';
import { trainPpo } from './trainer';
import { readPolicyMeta } from './checkpoint';
import { findLlvm } from '../../env/llvm/library';
import { loadManifest } from '../../env/datasets/install';
import { WorkerPool } from '../../env/session/pool';
import { actionSpaceFor } from '../../env/registry';

/** Options of `ensurePolicy`. */
export interface EnsurePolicyOptions {
  /** Checkpoint to use when present (default: the committed `agents/ppo/pretrained/`). */
  checkpoint?: string;
  /** Run folder of the short training (default: `$TMPDIR/passgym-demo-ppo-llvmN`). */
  out?: string;
  /** Environment steps of the short training (default 20,480: about two minutes on 2 cores). */
  totalSteps?: number;
  log?: (m: string) => void;
}

let loadedVersion: Promise<string> | null = null;

/**
 * The loaded LLVM's `PassesAll` version (what the ppo agent checks a policy against), computed
 * once per process (the LLVM does not change within one).
 */
function loadedActionSpaceVersion(): Promise<string> {
  loadedVersion ??= (async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      return (await actionSpaceFor(pool, 'PassesAll')).version;
    } finally {
      pool.close();
    }
  })();
  return loadedVersion;
}

/** Whether a checkpoint folder holds a policy for action space `version`: null if so, else why not. */
function unusable(dir: string, version: string): string | null {
  if (!fs.existsSync(path.join(dir, 'model.json'))) return `no checkpoint in ${dir}`;
  const trained = readPolicyMeta(dir).actionSpaceVersion;
  return trained === version ? null : `the checkpoint in ${dir} is for ${trained}, not this LLVM's ${version}`;
}

/**
 * Null when `ensurePolicy` can give a policy for the loaded LLVM without installing anything
 * (the checkpoint or a previous short run is for this LLVM, or torture-v0 is installed to train
 * one), else a sentence saying why not and what to do.
 */
export async function policyUnavailable(options: Pick<EnsurePolicyOptions, 'checkpoint' | 'out'> = {}): Promise<string | null> {
  const major = findLlvm().major;
  const version = await loadedActionSpaceVersion();
  const checkpoint = options.checkpoint ?? PRETRAINED_DIR;
  const why = unusable(checkpoint, version);
  if (why === null || unusable(options.out ?? defaultOut(major), version) === null || loadManifest('torture-v0')) return null;
  return (
    `PPO row left out: ${why}, and torture-v0 (to train a short run on) is not installed for LLVM ${major}. ` +
    `Run with PASSGYM_LLVM=14 for the committed policy, or install torture-v0 (passgym datasets install torture-v0) and run again.`
  );
}

function defaultOut(major: number): string {
  return path.join(os.tmpdir(), `passgym-demo-ppo-llvm${major}`);
}

/**
 * The folder of a usable PPO checkpoint: `checkpoint` when it holds one, else the short run in
 * `out` (trained now, or reused from a previous call).
 * @throws Error when torture-v0 is not installed, or training fails.
 */
export async function ensurePolicy(options: EnsurePolicyOptions = {}): Promise<string> {
  const checkpoint = options.checkpoint ?? PRETRAINED_DIR;
  const major = findLlvm().major;
  // A policy is for one action space (`PassesAll-llvm14-2f985c44`: its LLVM major and actions).
  const version = await loadedActionSpaceVersion();
  const why = unusable(checkpoint, version);
  if (why === null) return checkpoint;
  const out = options.out ?? defaultOut(major);
  const log = options.log ?? (() => undefined);
  const config = makeConfig({ total_timesteps: options.totalSteps ?? 20_480, num_envs: 8, seed: 0 });
  if (unusable(out, version) === null) {
    log(`${why}; using the short PPO run in ${out}`);
    return out;
  }
  log(`${why}; training PPO briefly (${config.total_timesteps} steps on torture-v0 train) into ${out}`);
  const source = localSource();
  try {
    await trainPpo({ config, source, benchmarks: datasetBenchmarks('torture-v0', 'train', 20_000), out, log });
  } finally {
    source.close();
  }
  return out;
}
