/**
 * The PPO algorithm proper (Schulman et al. 2017), written to be checked line by line against
 * CleanRL's `ppo.py`: generalised advantage estimation (Schulman et al. 2016), and the update —
 * epochs over shuffled minibatches of the clipped surrogate objective, the clipped value loss
 * and the entropy bonus, with per-minibatch advantage normalisation, gradient-norm clipping and
 * Adam. Storage is shaped (num_steps, num_envs), flattened row-major: index t·num_envs + e.
 */
import { tf } from './backend';
import type { ActorCritic } from './network';
import type { Adam } from './adam';
import type { PpoConfig } from './config';

/** One rollout of num_steps × num_envs transitions. */
export interface Rollout {
  /** [T·N, D] network inputs. */
  obs: Float32Array;
  /** [T·N] actions taken. */
  actions: Int32Array;
  /** [T·N] log π_old(a|s). */
  logprobs: Float32Array;
  /** [T·N] rewards r_t of the step taken at t. */
  rewards: Float32Array;
  /** [T·N] 1 when obs[t] starts a new episode (the step before it ended one), as CleanRL's `dones`. */
  dones: Float32Array;
  /** [T·N] V_old(s_t). */
  values: Float32Array;
}

/**
 * GAE(γ, λ): advantages A_t = Σ_l (γλ)^l δ_{t+l}, δ_t = r_t + γ V(s_{t+1}) (1 − done_{t+1}) − V(s_t),
 * and returns A_t + V(s_t). `nextValue`/`nextDone` [N] are those of the observation after the
 * last step.
 * @returns advantages and returns, [T·N] each.
 */
export function gae(
  r: Pick<Rollout, 'rewards' | 'dones' | 'values'>,
  nextValue: ArrayLike<number>,
  nextDone: ArrayLike<number>,
  numSteps: number,
  numEnvs: number,
  gamma: number,
  gaeLambda: number,
): { advantages: Float32Array; returns: Float32Array } {
  const advantages = new Float32Array(numSteps * numEnvs);
  const returns = new Float32Array(numSteps * numEnvs);
  for (let e = 0; e < numEnvs; e++) {
    let lastgaelam = 0;
    for (let t = numSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      const last = t === numSteps - 1;
      const nextnonterminal = 1 - (last ? nextDone[e] : r.dones[i + numEnvs]);
      const nextvalues = last ? nextValue[e] : r.values[i + numEnvs];
      const delta = r.rewards[i] + gamma * nextvalues * nextnonterminal - r.values[i];
      lastgaelam = delta + gamma * gaeLambda * nextnonterminal * lastgaelam;
      advantages[i] = lastgaelam;
      returns[i] = lastgaelam + r.values[i];
    }
  }
  return { advantages, returns };
}

/** What one update logs (CleanRL's names). */
export interface UpdateMetrics {
  /** Policy (surrogate) loss of the last minibatch. */
  policy_loss: number;
  /** Value loss of the last minibatch. */
  value_loss: number;
  /** Mean policy entropy of the last minibatch, nats. */
  entropy: number;
  /** KL estimate mean(−log r) of the last minibatch. */
  old_approx_kl: number;
  /** KL estimate mean((r − 1) − log r) (Schulman's k3) of the last minibatch. */
  approx_kl: number;
  /** Share of samples whose ratio left [1 − ε, 1 + ε], mean over all minibatches. */
  clipfrac: number;
  /** 1 − Var(returns − values) / Var(returns) of the rollout. */
  explained_variance: number;
  /** Global gradient norm before clipping, last minibatch. */
  grad_norm: number;
  /** Learning rate used. */
  learning_rate: number;
}

/** Population variance. */
function variance(x: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  return v / x.length;
}

/** Fisher–Yates shuffle of 0..n−1 with `rng`. */
function permutation(n: number, rng: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function gather(src: Float32Array, idx: Int32Array, width = 1): Float32Array {
  const out = new Float32Array(idx.length * width);
  for (let k = 0; k < idx.length; k++) out.set(src.subarray(idx[k] * width, idx[k] * width + width), k * width);
  return out;
}

/**
 * The PPO update on one rollout: `update_epochs` passes over `num_minibatches` shuffled
 * minibatches, each one Adam step on
 *   loss = pg_loss − ent_coef · entropy + vf_coef · v_loss
 *   pg_loss = mean(max(−Â·ρ, −Â·clip(ρ, 1 − ε, 1 + ε))),  ρ = π(a|s) / π_old(a|s)
 *   v_loss = ½ mean(max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²))   (clip_vloss)
 * Stops the epochs early when `target_kl` is set and exceeded.
 * @param inputSize D, the width of each row of `rollout.obs`.
 * @param rng uniform [0, 1) source for the minibatch shuffles.
 */
export function ppoUpdate(
  net: ActorCritic,
  optimizer: Adam,
  config: PpoConfig,
  rollout: Rollout,
  advantages: Float32Array,
  returns: Float32Array,
  inputSize: number,
  learningRate: number,
  rng: () => number,
): UpdateMetrics {
  const b = rollout.actions.length;
  const mb = Math.floor(b / config.num_minibatches);
  const clipfracs: number[] = [];
  let last: Omit<UpdateMetrics, 'clipfrac' | 'explained_variance' | 'learning_rate'> | null = null;
  const params = [...net.variables.values()];
  const names = [...net.variables.keys()];
  epochs: for (let epoch = 0; epoch < config.update_epochs; epoch++) {
    const order = permutation(b, rng);
    for (let start = 0; start + mb <= b; start += mb) {
      const idx = order.subarray(start, start + mb);
      const metrics: tf.Scalar[] = [];
      const { value: loss, grads } = tf.variableGrads(() => {
        const obs = tf.tensor2d(gather(rollout.obs, idx, inputSize), [mb, inputSize]);
        const act = tf.tensor1d(Int32Array.from(idx, (i) => rollout.actions[i]), 'int32');
        const oldLogp = tf.tensor1d(gather(rollout.logprobs, idx));
        let adv: tf.Tensor1D = tf.tensor1d(gather(advantages, idx));
        const ret = tf.tensor1d(gather(returns, idx));
        const oldV = tf.tensor1d(gather(rollout.values, idx));

        const { logits, value: newV } = net.forward(obs);
        const logp = tf.logSoftmax(logits);
        const newLogp = tf.sum(tf.mul(logp, tf.oneHot(act, logits.shape[1])), 1);
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)));
        const logratio = tf.sub(newLogp, oldLogp);
        const ratio = tf.exp(logratio);

        if (config.norm_adv) {
          // torch's std is the unbiased one.
          const { mean, variance: v } = tf.moments(adv);
          const std = tf.sqrt(tf.mul(v, mb / Math.max(mb - 1, 1)));
          adv = tf.div(tf.sub(adv, mean), tf.add(std, 1e-8));
        }
        const pg1 = tf.mul(tf.neg(adv), ratio);
        const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - config.clip_coef, 1 + config.clip_coef));
        const pgLoss = tf.mean(tf.maximum(pg1, pg2));

        let vLoss: tf.Scalar;
        if (config.clip_vloss) {
          const unclipped = tf.square(tf.sub(newV, ret));
          const vClipped = tf.add(oldV, tf.clipByValue(tf.sub(newV, oldV), -config.clip_coef, config.clip_coef));
          const clipped = tf.square(tf.sub(vClipped, ret));
          vLoss = tf.mul(0.5, tf.mean(tf.maximum(unclipped, clipped)));
        } else {
          vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(newV, ret))));
        }
        const loss = tf.add(tf.sub(pgLoss, tf.mul(config.ent_coef, entropy)), tf.mul(vLoss, config.vf_coef)) as tf.Scalar;

        const oldApproxKl = tf.mean(tf.neg(logratio));
        const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logratio));
        const clipfrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), config.clip_coef), 'float32'));
        for (const m of [pgLoss, vLoss, entropy, oldApproxKl, approxKl, clipfrac]) metrics.push(tf.keep(m as tf.Scalar));
        return loss;
      }, params);
      const named: tf.NamedTensorMap = {};
      names.forEach((n, i) => (named[n] = grads[params[i].name]));
      const gradNorm = optimizer.apply(named, learningRate, config.max_grad_norm);
      const [pgLoss, vLoss, entropy, oldApproxKl, approxKl, clipfrac] = metrics.map((m) => m.dataSync()[0]);
      tf.dispose([loss, ...Object.values(grads), ...metrics]);
      clipfracs.push(clipfrac);
      last = { policy_loss: pgLoss, value_loss: vLoss, entropy, old_approx_kl: oldApproxKl, approx_kl: approxKl, grad_norm: gradNorm };
      if (config.target_kl !== null && approxKl > config.target_kl) break epochs;
    }
  }
  const residual = Float32Array.from(returns, (r, i) => r - rollout.values[i]);
  const varY = variance(returns);
  return {
    ...last!,
    clipfrac: clipfracs.reduce((s, x) => s + x, 0) / clipfracs.length,
    explained_variance: varY === 0 ? NaN : 1 - variance(residual) / varY,
    learning_rate: learningRate,
  };
}
