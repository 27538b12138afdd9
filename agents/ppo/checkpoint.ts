/**
 * PPO checkpoints: a folder in TensorFlow.js's model artifact format (`model.json` with a
 * `weightsManifest`, and `weights.bin`, written with `tf.io.encodeWeights`; tfjs's own `file://`
 * handler exists only in tfjs-node), plus what a policy needs to be used correctly: the action
 * space version it was trained on, the observation space, its normalisation, the history length
 * and the horizon (in `userDefinedMetadata.passgym`). To resume training, `training.json` and
 * `training.bin` hold Adam's moments, the random state, the update counter and where each
 * environment was.
 *
 * Files are written atomically, `model.json` last, so a reader sees the old checkpoint or the new.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../env/cache';
import { tf } from './backend';
import type { PpoConfig } from './config';
import type { FeatureSpec } from './features';
import type { EnvSnapshot } from './rollout';

/** Checkpoint format version. */
export const CHECKPOINT_FORMAT = 'passgym-ppo/1';

/** What a checkpoint says about its policy. */
export interface PolicyMeta {
  format: typeof CHECKPOINT_FORMAT;
  /** e.g. `PassesAll`. */
  actionSpace: string;
  /** `env.actionSpace.version`, e.g. `PassesAll-llvm14-2f985c44`: the exact action list. */
  actionSpaceVersion: string;
  features: FeatureSpec;
  /** True when the policy has a terminal action (output index |A|). */
  terminalAction: boolean;
  hidden: number[];
  config: PpoConfig;
  /** What it was trained on (a description of the benchmark set). */
  trainedOn: string;
  update: number;
  globalStep: number;
  /** Training wall time so far, seconds. */
  trainSeconds: number;
  savedAt: string;
}

/** Trainer state for `--resume`. */
export interface TrainingState {
  /** seedrandom's state object. */
  rngState: object;
  adamStep: number;
  snapshots: EnvSnapshot[];
  /** `benchmarkFingerprint` of the run's benchmarks (absent in older checkpoints). */
  benchmarks?: string;
}

async function writeWeights(dir: string, base: string, tensors: tf.NamedTensorMap): Promise<tf.io.WeightsManifestConfig> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const buffer = Array.isArray(data) ? Buffer.concat(data.map((d) => Buffer.from(d))) : Buffer.from(data);
  writeFileAtomic(path.join(dir, `${base}.bin`), buffer);
  return [{ paths: [`${base}.bin`], weights: specs }];
}

function readWeights(dir: string, manifest: tf.io.WeightsManifestConfig): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const group of manifest) {
    const bytes = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    Object.assign(out, tf.io.decodeWeights(buffer, group.weights));
  }
  return out;
}

/**
 * Writes a checkpoint into `dir` (created if needed): the policy weights and metadata, and, when
 * `training` is given, the trainer state with `optimizer`'s moments.
 */
export async function saveCheckpoint(dir: string, weights: tf.NamedTensorMap, meta: PolicyMeta, training?: { state: TrainingState; optimizer: tf.NamedTensorMap }): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  if (training) {
    const manifest = await writeWeights(dir, 'training', training.optimizer);
    writeFileAtomic(path.join(dir, 'training.json'), JSON.stringify({ ...training.state, weightsManifest: manifest }, null, 1));
  }
  const weightsManifest = await writeWeights(dir, 'weights', weights);
  const modelJson = {
    format: CHECKPOINT_FORMAT,
    generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`,
    convertedBy: null,
    modelTopology: { kind: 'actor-critic MLP', hidden: meta.hidden, inputSize: null, outputs: ['actor logits', 'critic value'] },
    weightsManifest,
    userDefinedMetadata: { passgym: meta },
  };
  writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
}

/** Error reading a checkpoint: names the folder and what was wrong. */
export class CheckpointError extends Error {
  readonly code = 'BAD_CHECKPOINT';
}

interface ModelJson {
  format?: string;
  weightsManifest: tf.io.WeightsManifestConfig;
  userDefinedMetadata?: { passgym?: PolicyMeta };
}

function readModelJson(dir: string): { json: ModelJson; meta: PolicyMeta } {
  const file = path.join(dir, 'model.json');
  if (!fs.existsSync(file)) throw new CheckpointError(`no PPO checkpoint in ${dir} (model.json is missing); train one with passgym train ppo --out DIR`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJson;
  const meta = json.userDefinedMetadata?.passgym;
  if (json.format !== CHECKPOINT_FORMAT || !meta) throw new CheckpointError(`${file} is not a ${CHECKPOINT_FORMAT} checkpoint (format ${String(json.format)})`);
  return { json, meta };
}

/**
 * The metadata of a checkpoint, without its weights.
 * @throws CheckpointError when `dir` has no model.json, or it is not a PassGym PPO checkpoint.
 */
export function readPolicyMeta(dir: string): PolicyMeta {
  return readModelJson(dir).meta;
}

/**
 * Reads the policy part of a checkpoint (call after `selectBackend()`). The caller disposes the
 * weights.
 * @throws CheckpointError as `readPolicyMeta`.
 */
export function loadPolicyCheckpoint(dir: string): { meta: PolicyMeta; weights: tf.NamedTensorMap } {
  const { json, meta } = readModelJson(dir);
  return { meta, weights: readWeights(dir, json.weightsManifest) };
}

/**
 * Reads the trainer state of a checkpoint, or null when it has none (a policy-only checkpoint).
 */
export function loadTrainingState(dir: string): { state: TrainingState; optimizer: tf.NamedTensorMap } | null {
  const file = path.join(dir, 'training.json');
  if (!fs.existsSync(file)) return null;
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TrainingState & { weightsManifest: tf.io.WeightsManifestConfig };
  const { weightsManifest, ...state } = json;
  return { state, optimizer: readWeights(dir, weightsManifest) };
}
