/**
 * A policy for the demo: the committed checkpoint when it is there, else a short PPO run trained
 * now (on torture-v0's train split, programs the demo does not evaluate on).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSource } from '../context';
import { PRETRAINED_DIR } from './agent';
import { datasetBenchmarks } from './benchmarks';
import { makeConfig } from './config';
import { trainPpo } from './trainer';

/** Options of `ensurePolicy`. */
export interface EnsurePolicyOptions {
  /** Checkpoint to use when present (default: the committed `agents/ppo/pretrained/`). */
  checkpoint?: string;
  /** Run folder of the short training (default: `$TMPDIR/passgym-demo-ppo`). */
  out?: string;
  /** Environment steps of the short training (default 20,480: about two minutes on 2 cores). */
  totalSteps?: number;
  log?: (m: string) => void;
}

/**
 * The folder of a usable PPO checkpoint: `checkpoint` when it holds one, else the short run in
 * `out` (trained now, or reused from a previous call).
 * @throws Error when torture-v0 is not installed, or training fails.
 */
export async function ensurePolicy(options: EnsurePolicyOptions = {}): Promise<string> {
  const checkpoint = options.checkpoint ?? PRETRAINED_DIR;
  if (fs.existsSync(path.join(checkpoint, 'model.json'))) return checkpoint;
  const out = options.out ?? path.join(os.tmpdir(), 'passgym-demo-ppo');
  const log = options.log ?? (() => undefined);
  const config = makeConfig({ total_timesteps: options.totalSteps ?? 20_480, num_envs: 8, seed: 0 });
  if (fs.existsSync(path.join(out, 'model.json'))) {
    log(`no checkpoint in ${checkpoint}; using the short PPO run in ${out}`);
    return out;
  }
  log(`no checkpoint in ${checkpoint}; training PPO briefly (${config.total_timesteps} steps on torture-v0 train) into ${out}`);
  const source = localSource();
  try {
    await trainPpo({ config, source, benchmarks: datasetBenchmarks('torture-v0', 'train', 20_000), out, log });
  } finally {
    source.close();
  }
  return out;
}
