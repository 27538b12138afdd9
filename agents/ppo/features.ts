/**
 * The policy's input: a raw observation (Autophase or InstCount) scaled to about [0, 1], the
 * fraction of the episode's horizon used, and a one-hot history of the last actions.
 *
 * Scaling (`normalisation`):
 * - `ratio` (default): every feature divided by the module's instruction count and clipped to
 *   [0, 1], as CompilerGym's `AutophaseNormalizedFeatures` wrapper (CompilerGym v0.2.5,
 *   `examples/llvm_rl/wrappers.py`; TotalInsts is Autophase feature 51, InstCount feature 0).
 *   A module with no instructions gives zeros.
 * - `log1p`: log(1 + x) / 10 for every feature (10 ≈ log of 22,000 instructions), which keeps
 *   the absolute size that `ratio` drops.
 *
 * The step fraction min(t / horizon, 1) makes the fixed-horizon episode Markov, so the end of
 * the horizon is a true termination for the value function. The history is CompilerGym's action
 * history idea (its PPO examples concatenate an action histogram) as the last `historyLength`
 * actions, most recent first, each one-hot over |A| (zeros where the episode is shorter).
 */

import type { NetworkShape } from './network';

/** What fixes the encoding; stored in checkpoints. */
export interface FeatureSpec {
  observationSpace: 'Autophase' | 'InstCount';
  normalisation: 'ratio' | 'log1p';
  historyLength: number;
  horizon: number;
  /** |A| of the environment's action space (without a terminal action). */
  actionCount: number;
}

const RAW_SIZE = { Autophase: 56, InstCount: 70 } as const;
const TOTAL_INSTS_INDEX = { Autophase: 51, InstCount: 0 } as const;

/** Input and output sizes of the network for `spec`: |A| outputs, plus one for a terminal action. */
export function networkShapeFor(spec: FeatureSpec, terminalAction: boolean, hidden: readonly number[]): NetworkShape {
  return { inputSize: inputSize(spec), outputSize: spec.actionCount + (terminalAction ? 1 : 0), hidden };
}

/** Width of the encoded input: raw features + 1 + historyLength × |A|. */
export function inputSize(spec: FeatureSpec): number {
  return RAW_SIZE[spec.observationSpace] + 1 + spec.historyLength * spec.actionCount;
}

/**
 * Writes the encoding of one state into `out` at `offset` (or a new array).
 * @param raw the raw observation of `spec.observationSpace` (56 or 70 counts).
 * @param history the actions applied so far in the episode, oldest first.
 * @throws Error when `raw` has the wrong length or an action is outside [0, |A|).
 */
export function encode(spec: FeatureSpec, raw: ArrayLike<number>, history: readonly number[], out?: Float32Array, offset = 0): Float32Array {
  const n = RAW_SIZE[spec.observationSpace];
  if (raw.length !== n) throw new Error(`${spec.observationSpace} observation has ${raw.length} values, expected ${n}`);
  const dest = out ?? new Float32Array(inputSize(spec));
  dest.fill(0, offset, offset + inputSize(spec));
  if (spec.normalisation === 'ratio') {
    const total = raw[TOTAL_INSTS_INDEX[spec.observationSpace]];
    if (total > 0) for (let i = 0; i < n; i++) dest[offset + i] = Math.min(1, Math.max(0, raw[i] / total));
  } else {
    for (let i = 0; i < n; i++) dest[offset + i] = Math.log1p(Math.max(0, raw[i])) / 10;
  }
  dest[offset + n] = Math.min(1, history.length / spec.horizon);
  const base = offset + n + 1;
  for (let h = 0; h < spec.historyLength && h < history.length; h++) {
    const a = history[history.length - 1 - h];
    if (!Number.isInteger(a) || a < 0 || a >= spec.actionCount) throw new Error(`action ${a} in the history is outside [0, ${spec.actionCount})`);
    dest[base + h * spec.actionCount + a] = 1;
  }
  return dest;
}
