/**
 * Adam (Kingma & Ba 2015) with global gradient-norm clipping, as PyTorch's `torch.optim.Adam`
 * plus `nn.utils.clip_grad_norm_`, which CleanRL's `ppo.py` uses. Written out (instead of
 * `tf.train.adam`) so that the learning rate can be annealed and the moments saved in a
 * checkpoint.
 */
import { tf } from './backend';
import { variableFrom } from './network';

/** Adam's constants; defaults are CleanRL's (eps 1e-5, PyTorch's betas). */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam over a fixed set of variables. Call `dispose()` when done. */
export class Adam {
  /** Steps taken (t in the paper). */
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-5;
    for (const [name, p] of params) {
      this.m.set(name, variableFrom(tf.zerosLike(p), false));
      this.v.set(name, variableFrom(tf.zerosLike(p), false));
    }
  }

  /**
   * Clips the gradients to a global L2 norm of at most `maxGradNorm` (scale by
   * maxGradNorm / (norm + 1e-6) when larger, as `clip_grad_norm_`), then takes one Adam step with
   * learning rate `lr`. Returns the norm before clipping.
   * @throws Error when a gradient is missing for a variable.
   */
  apply(grads: tf.NamedTensorMap, lr: number, maxGradNorm: number): number {
    this.step++;
    const t = this.step;
    const normTensor = tf.tidy(() => tf.sqrt(tf.addN([...this.params.keys()].map((k) => tf.sum(tf.square(this.grad(grads, k)))))));
    const norm = normTensor.dataSync()[0];
    normTensor.dispose();
    const scale = Number.isFinite(maxGradNorm) && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;
    const stepSize = lr / (1 - Math.pow(this.beta1, t));
    const vCorrection = 1 - Math.pow(this.beta2, t);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = tf.mul(this.grad(grads, name), scale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denom = tf.add(tf.sqrt(tf.div(v, vCorrection)), this.epsilon);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
    return norm;
  }

  private grad(grads: tf.NamedTensorMap, name: string): tf.Tensor {
    const g = grads[name];
    if (!g) throw new Error(`Adam: no gradient for variable ${name}`);
    return g;
  }

  /** The moments as named tensors (`adam/m/NAME`, `adam/v/NAME`) for a checkpoint. */
  weights(): tf.NamedTensorMap {
    const out: tf.NamedTensorMap = {};
    for (const [name, m] of this.m) out[`adam/m/${name}`] = m;
    for (const [name, v] of this.v) out[`adam/v/${name}`] = v;
    return out;
  }

  /**
   * Restores moments saved by `weights()` and the step count.
   * @throws Error when a moment is missing.
   */
  restore(weights: tf.NamedTensorMap, step: number): void {
    for (const [kind, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, variable] of map) {
        const w = weights[`adam/${kind}/${name}`];
        if (!w) throw new Error(`checkpoint has no Adam moment adam/${kind}/${name}`);
        variable.assign(w);
      }
    }
    this.step = step;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
  }
}
