/**
 * A trained PPO policy loaded for use: action probabilities for a state, from the raw
 * observation of the space it was trained on and the actions taken so far. This is the interface
 * that other agents (the tree search's policy prior, the PPO leaderboard agent) code against.
 */
import { selectBackend, tf } from './backend';
import { loadPolicyCheckpoint, PolicyMeta } from './checkpoint';
import { encode, inputSize, networkShapeFor } from './features';
import { ActorCritic } from './network';

/** A policy over an action space, loaded from a checkpoint. */
export interface Policy {
  /** The raw observation space `probabilities` needs, e.g. 'Autophase'. */
  readonly observationSpace: string;
  /** The exact action list the policy was trained on (`env.actionSpace.version`). */
  readonly actionSpaceVersion: string;
  /**
   * Softmax over the |A| actions of the action space (a terminal action, if the policy has one,
   * is left out and the rest renormalised).
   * @param observation the raw observation of `observationSpace` for the current state.
   * @param history the action indices applied so far in the episode, oldest first.
   * @throws Error for an observation of the wrong length or an action outside [0, |A|).
   */
  probabilities(observation: readonly number[], history: readonly number[]): Promise<Float32Array>;
  dispose(): void;
}

/** The PPO policy with what the leaderboard agent needs beyond `Policy`. */
export class PpoPolicy implements Policy {
  readonly observationSpace: string;
  readonly actionSpaceVersion: string;
  private disposed = false;

  constructor(
    readonly meta: PolicyMeta,
    private readonly net: ActorCritic,
  ) {
    this.observationSpace = meta.features.observationSpace;
    this.actionSpaceVersion = meta.actionSpaceVersion;
  }

  /** Episode length the policy was trained for. */
  get horizon(): number {
    return this.meta.features.horizon;
  }

  /** |A| without the terminal action. */
  get actionCount(): number {
    return this.meta.features.actionCount;
  }

  async probabilities(observation: readonly number[], history: readonly number[]): Promise<Float32Array> {
    return (await this.batchProbabilities([observation], [history]))[0];
  }

  /**
   * `probabilities` for B states at once (one forward pass).
   * @throws Error as `probabilities`, or when the two lists differ in length.
   */
  async batchProbabilities(observations: ReadonlyArray<readonly number[]>, histories: ReadonlyArray<readonly number[]>): Promise<Float32Array[]> {
    if (this.disposed) throw new Error('the policy was disposed');
    if (observations.length !== histories.length) throw new Error(`${observations.length} observations but ${histories.length} histories`);
    const spec = this.meta.features;
    const d = inputSize(spec);
    const x = new Float32Array(observations.length * d);
    observations.forEach((o, i) => encode(spec, o, histories[i], x, i * d));
    const probs = tf.tidy(() => tf.softmax(this.net.logits(tf.tensor2d(x, [observations.length, d]))));
    const data = (await probs.data()) as Float32Array;
    probs.dispose();
    const width = probs.shape[1]!;
    const n = spec.actionCount;
    return observations.map((_, i) => {
      const row = data.slice(i * width, i * width + n);
      if (width > n) {
        let s = 0;
        for (const p of row) s += p;
        for (let a = 0; a < n; a++) row[a] /= s || 1;
      }
      return row;
    });
  }

  dispose(): void {
    if (!this.disposed) this.net.dispose();
    this.disposed = true;
  }
}

/**
 * Loads the policy in `checkpointDir` (a run folder of `passgym train ppo`, or
 * `agents/ppo/pretrained/`), selecting the TensorFlow.js backend first.
 * @throws CheckpointError when the folder holds no PPO checkpoint; Error when its weights do not
 * fit its recorded shape.
 */
export async function loadPolicy(checkpointDir: string): Promise<PpoPolicy> {
  await selectBackend();
  const { meta, weights } = loadPolicyCheckpoint(checkpointDir);
  try {
    const net = ActorCritic.fromWeights(networkShapeFor(meta.features, meta.terminalAction, meta.hidden), weights);
    return new PpoPolicy(meta, net);
  } finally {
    tf.dispose(Object.values(weights));
  }
}
