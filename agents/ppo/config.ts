/**
 * PPO's hyperparameters and the environment set-up of training, in one place. Names and defaults
 * follow CleanRL's `ppo.py` (which follows Schulman et al. 2017, "Proximal Policy Optimization
 * Algorithms", and the implementation details of Huang et al. 2022, "The 37 Implementation
 * Details of PPO"); the environment part follows CompilerGym's PPO examples (45-step episodes,
 * Autophase normalised by the instruction count, plus the action history).
 */

/** How raw observations are scaled (see `features.ts`). */
export type Normalisation = 'ratio' | 'log1p';
/** The step reward PPO learns from (see `PpoConfig.reward`). */
export type RewardKind = 'oz' | 'log';

/** Everything that defines a training run. */
export interface PpoConfig {
  // ---- PPO (CleanRL ppo.py) ----
  /** Adam's learning rate (CleanRL 2.5e-4). */
  learning_rate: number;
  /** Anneal the learning rate linearly to 0 over the updates (CleanRL true). */
  anneal_lr: boolean;
  /** Steps per environment per rollout (CleanRL 128). */
  num_steps: number;
  /** Discount γ (CleanRL 0.99). */
  gamma: number;
  /** GAE λ (CleanRL 0.95). */
  gae_lambda: number;
  /** Minibatches per epoch (CleanRL 4). */
  num_minibatches: number;
  /** Epochs over each rollout, K in the paper (CleanRL 4). */
  update_epochs: number;
  /** Normalise advantages per minibatch (CleanRL true). */
  norm_adv: boolean;
  /** Surrogate clipping ε (CleanRL 0.2). */
  clip_coef: number;
  /** Clip the value loss too (CleanRL true). */
  clip_vloss: boolean;
  /** Entropy bonus c2 (CleanRL 0.01). */
  ent_coef: number;
  /** Value loss c1 (CleanRL 0.5). */
  vf_coef: number;
  /** Global gradient-norm clip (CleanRL 0.5). */
  max_grad_norm: number;
  /** Stop the epochs of an update early when approx_kl exceeds this (CleanRL: none). */
  target_kl: number | null;
  // ---- network ----
  /** Hidden widths of the actor and of the critic MLP. */
  hidden: number[];
  // ---- environment ----
  /** Raw observation space: Autophase (56) or InstCount (70). */
  observation_space: 'Autophase' | 'InstCount';
  normalisation: Normalisation;
  /** Actions of history in the input, one-hot each (most recent first). */
  history_length: number;
  /** Steps per episode (CompilerGym's PPO examples: 45). */
  horizon: number;
  /** Add an action that ends the episode early (CompilerGym's CommandlineWithTerminalAction). */
  terminal_action: boolean;
  /**
   * Skip training benchmarks on which -Oz removes fewer instructions than this: the
   * IrInstructionCountOz reward divides by that reduction (see `rollout.ts`). 0 keeps all.
   */
  min_oz_reduction: number;
  /** Clip each step's reward to [−reward_clip, reward_clip] for learning (logged returns stay unclipped). */
  reward_clip: number;
  /**
   * Step reward: `oz`, IrInstructionCountOz, (n_prev − n) / (n_O0 − n_Oz), whose return is 1.0 at
   * -Oz's size; or `log`, ln(n_prev / n), whose return ln(n_O0 / n) is the leaderboard's log score
   * ln(n_Oz / n) up to a constant per benchmark (see `rollout.ts`).
   */
  reward: RewardKind;
  /** Parallel environments (N in the paper). */
  num_envs: number;
  /** Total environment steps. */
  total_timesteps: number;
  seed: number;
}

/** CleanRL's defaults, with CompilerGym's environment set-up. */
export const DEFAULT_CONFIG: Readonly<PpoConfig> = Object.freeze({
  learning_rate: 2.5e-4,
  anneal_lr: true,
  num_steps: 128,
  gamma: 0.99,
  gae_lambda: 0.95,
  num_minibatches: 4,
  update_epochs: 4,
  norm_adv: true,
  clip_coef: 0.2,
  clip_vloss: true,
  ent_coef: 0.01,
  vf_coef: 0.5,
  max_grad_norm: 0.5,
  target_kl: null,
  hidden: [256, 256],
  observation_space: 'Autophase',
  normalisation: 'ratio',
  history_length: 4,
  horizon: 45,
  terminal_action: false,
  min_oz_reduction: 10,
  reward_clip: 1,
  reward: 'oz',
  num_envs: 2,
  total_timesteps: 100_000,
  seed: 0,
}) as Readonly<PpoConfig>;

/** Batch size: num_envs × num_steps. */
export function batchSize(c: PpoConfig): number {
  return c.num_envs * c.num_steps;
}

/** Minibatch size: batch size / num_minibatches. */
export function minibatchSize(c: PpoConfig): number {
  return Math.floor(batchSize(c) / c.num_minibatches);
}

/** Updates in a run: total_timesteps / batch size (at least 1). */
export function numUpdates(c: PpoConfig): number {
  return Math.max(1, Math.floor(c.total_timesteps / batchSize(c)));
}

/**
 * The defaults overridden by `overrides`, checked.
 * @throws Error naming the first invalid value.
 */
export function makeConfig(overrides: Partial<PpoConfig> = {}): PpoConfig {
  const c: PpoConfig = { ...DEFAULT_CONFIG, hidden: [...DEFAULT_CONFIG.hidden], ...overrides };
  const positiveInts: Array<keyof PpoConfig> = ['num_steps', 'num_minibatches', 'update_epochs', 'horizon', 'num_envs', 'total_timesteps'];
  for (const k of positiveInts) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`PPO config: ${k} must be a positive integer, got ${String(v)}`);
  }
  if (!Number.isInteger(c.history_length) || c.history_length < 0) throw new Error(`PPO config: history_length must be an integer >= 0, got ${c.history_length}`);
  for (const k of ['gamma', 'gae_lambda'] as const) {
    if (!(c[k] >= 0 && c[k] <= 1)) throw new Error(`PPO config: ${k} must be in [0, 1], got ${c[k]}`);
  }
  if (!(c.min_oz_reduction >= 0)) throw new Error(`PPO config: min_oz_reduction must be >= 0, got ${c.min_oz_reduction}`);
  for (const k of ['learning_rate', 'clip_coef', 'max_grad_norm', 'reward_clip'] as const) {
    if (!(c[k] > 0)) throw new Error(`PPO config: ${k} must be > 0, got ${c[k]}`);
  }
  if (!(c.ent_coef >= 0) || !(c.vf_coef >= 0)) throw new Error('PPO config: ent_coef and vf_coef must be >= 0');
  if (!c.hidden.length || !c.hidden.every((h) => Number.isInteger(h) && h > 0)) throw new Error(`PPO config: hidden must be positive integers, got ${c.hidden.join(',')}`);
  if (!['Autophase', 'InstCount'].includes(c.observation_space)) throw new Error(`PPO config: observation_space must be Autophase or InstCount, got ${c.observation_space}`);
  if (!['ratio', 'log1p'].includes(c.normalisation)) throw new Error(`PPO config: normalisation must be ratio or log1p, got ${c.normalisation}`);
  if (!['oz', 'log'].includes(c.reward)) throw new Error(`PPO config: reward must be oz or log, got ${c.reward}`);
  if (minibatchSize(c) < 1) throw new Error(`PPO config: num_envs × num_steps (${batchSize(c)}) is smaller than num_minibatches (${c.num_minibatches})`);
  return c;
}
