/**
 * The actor-critic network of PPO: two MLPs over the same input, as CleanRL's `ppo.py` (separate
 * actor and critic, tanh hidden layers). The actor's last layer gives the logits of a categorical
 * policy over the actions; the critic's gives the state value V(s).
 *
 * Initialisation (CleanRL's `layer_init`, after Engstrom et al. 2020, "Implementation Matters"):
 * orthogonal weights (Saxe et al. 2014) with gain sqrt(2) for hidden layers, 0.01 for the policy
 * head and 1 for the value head; biases 0. The random numbers come from `seedrandom`, so a seed
 * gives the same weights on every backend.
 *
 * Dense layers can use a custom gradient that computes dW = transpose(x)·dy and dx = dy·transpose(W)
 * with explicit transposes instead of tfjs's transposed matMul (see `denseLayer`).
 */
import seedrandom from 'seedrandom';
import { tf } from './backend';

/** Shape of the network. */
export interface NetworkShape {
  /** Input features. */
  inputSize: number;
  /** Logits (actions). */
  outputSize: number;
  /** Hidden layer widths of each of the two MLPs, e.g. [256, 256]. */
  hidden: readonly number[];
}

/** Output of a forward pass over a batch of B inputs. */
export interface NetworkOutput {
  /** [B, outputSize] */
  logits: tf.Tensor2D;
  /** [B] */
  value: tf.Tensor1D;
}

/**
 * A matrix of `rows` × `cols` with orthonormal rows or columns (whichever are fewer), times
 * `gain`: a Gaussian matrix orthonormalised by modified Gram–Schmidt (which equals QR with R's
 * diagonal made positive, as `torch.nn.init.orthogonal_` does). Row-major.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: () => number): Float32Array {
  const tall = rows >= cols;
  const [m, n] = tall ? [rows, cols] : [cols, rows];
  // n column vectors of length m.
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      // Box–Muller.
      const u = 1 - rng();
      v[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
    }
    for (const p of q) {
      let d = 0;
      for (let i = 0; i < m; i++) d += p[i] * v[i];
      for (let i = 0; i < m; i++) v[i] -= d * p[i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) v[i] /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      // Tall: column j of a rows×cols matrix; wide: row j.
      if (tall) out[i * cols + j] = gain * q[j][i];
      else out[j * cols + i] = gain * q[j][i];
    }
  }
  return out;
}

const denseCustom = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
    },
  };
}) as never) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * x·W + b for x [B, in], W [in, out], b [out]. With `customGradient`, the backward pass uses
 * explicit transposes and untransposed matMuls; tfjs's own matMul gradient uses matMul with
 * transposeA/transposeB, which the wasm backend runs much more slowly (see docs/ppo.md).
 */
export function denseLayer(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, customGradient: boolean): tf.Tensor2D {
  return customGradient ? denseCustom(x, w, b) : tf.add(tf.matMul(x, w), b);
}

/** A trainable variable holding `t`'s value; `t` itself is disposed (tf.variable keeps a reference). */
export function variableFrom(t: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

/** The actor and critic MLPs with their variables. Call `dispose()` when done. */
export class ActorCritic {
  /** Variables by name (`actor/0/kernel`, `critic/2/bias`, ...), in a fixed order. */
  readonly variables: Map<string, tf.Variable>;
  /** Use the custom dense gradient (default true). */
  customGradient = true;

  private constructor(readonly shape: NetworkShape, variables: Map<string, tf.Variable>) {
    this.variables = variables;
  }

  /** Names and shapes of the variables, in order: `actor/L/kernel` [in, out], `actor/L/bias` [out], then the critic's. */
  static layout(shape: NetworkShape): Array<{ name: string; shape: number[]; gain: number }> {
    const out: Array<{ name: string; shape: number[]; gain: number }> = [];
    for (const head of ['actor', 'critic'] as const) {
      const widths = [shape.inputSize, ...shape.hidden, head === 'actor' ? shape.outputSize : 1];
      for (let l = 0; l + 1 < widths.length; l++) {
        const last = l + 2 === widths.length;
        const gain = !last ? Math.SQRT2 : head === 'actor' ? 0.01 : 1;
        out.push({ name: `${head}/${l}/kernel`, shape: [widths[l], widths[l + 1]], gain });
        out.push({ name: `${head}/${l}/bias`, shape: [widths[l + 1]], gain: 0 });
      }
    }
    return out;
  }

  /**
   * A freshly initialised network (see the module TSDoc for the initialisation).
   * @throws Error when a size is not a positive integer.
   */
  static create(shape: NetworkShape, seed: number): ActorCritic {
    const sizes = [shape.inputSize, ...shape.hidden, shape.outputSize];
    if (!sizes.every((s) => Number.isInteger(s) && s > 0)) throw new Error(`network sizes must be positive integers, got ${sizes.join('-')}`);
    const rng = seedrandom(`ppo-init-${seed}`);
    const vars = new Map<string, tf.Variable>();
    for (const { name, shape: s, gain } of ActorCritic.layout(shape)) {
      if (s.length === 1) {
        vars.set(name, variableFrom(tf.zeros(s)));
        continue;
      }
      const [fanIn, fanOut] = s;
      // torch's weight is [out, in]; ours is its transpose, so draw [out, in] and transpose.
      const wt = orthogonal(fanOut, fanIn, gain, rng);
      const w = new Float32Array(fanIn * fanOut);
      for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) w[i * fanOut + o] = wt[o * fanIn + i];
      vars.set(name, variableFrom(tf.tensor2d(w, [fanIn, fanOut])));
    }
    return new ActorCritic(shape, vars);
  }

  /**
   * A network with the given weights (from a checkpoint).
   * @throws Error when a weight is missing or has the wrong shape.
   */
  static fromWeights(shape: NetworkShape, weights: tf.NamedTensorMap): ActorCritic {
    const vars = new Map<string, tf.Variable>();
    for (const { name, shape: s } of ActorCritic.layout(shape)) {
      const w = weights[name];
      if (!w) throw new Error(`checkpoint has no weight ${name}`);
      if (w.shape.join(',') !== s.join(',')) throw new Error(`checkpoint weight ${name} has shape [${w.shape}], the network needs [${s}]`);
      vars.set(name, tf.variable(w, true));
    }
    return new ActorCritic(shape, vars);
  }

  private mlp(head: 'actor' | 'critic', x: tf.Tensor2D): tf.Tensor2D {
    const layers = this.shape.hidden.length + 1;
    let h = x;
    for (let l = 0; l < layers; l++) {
      const y = denseLayer(h, this.variables.get(`${head}/${l}/kernel`) as tf.Tensor2D, this.variables.get(`${head}/${l}/bias`) as tf.Tensor1D, this.customGradient);
      h = l + 1 < layers ? tf.tanh(y) : y;
    }
    return h;
  }

  /** Logits [B, outputSize] and values [B] of a batch x [B, inputSize]. */
  forward(x: tf.Tensor2D): NetworkOutput {
    return { logits: this.mlp('actor', x), value: tf.reshape(this.mlp('critic', x), [-1]) as tf.Tensor1D };
  }

  /** Logits only (inference). */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return this.mlp('actor', x);
  }

  /** Values only (inference). */
  value(x: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(this.mlp('critic', x), [-1]) as tf.Tensor1D;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
  }
}
