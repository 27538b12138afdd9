/**
 * Reward spaces with CompilerGym's names and formulas (CompilerGym v0.2.5,
 * `compiler_gym/envs/llvm/llvm_rewards.py`): for a cost C (IR instruction count, object .text
 * bytes, or the linked executable's .text bytes) and the state before and after a step,
 *
 * - `X`     : C(s_{t-1}) - C(s_t)
 * - `XNorm` : (C(s_{t-1}) - C(s_t)) / C(O0)            (ObjectTextSizeNorm, TextSizeNorm for text sizes)
 * - `XOz`   : (C(s_{t-1}) - C(s_t)) / max(C(O0) - C(Oz), 1)
 * - `XO3`   : (C(s_{t-1}) - C(s_t)) / max(C(O0) - C(O3), 1)
 *
 * so that an episode's summed `XOz` reward is the improvement over -Oz: 1.0 matches it. The
 * `Runtime` reward is CompilerGym's RuntimePointEstimateReward: the previous Runtime estimate (the
 * median of the observation's runs) minus the current one, in seconds (needs a runnable benchmark).
 * A reward is computed on the environment side from observations the worker returns.
 */
import { PassGymError, UnknownSpaceError } from './errors';
import { isNumberArray, type ObservationValue } from './observations';

/**
 * The median of a Runtime observation's runs: the point estimate of the Runtime reward and of
 * RuntimePointEstimateReward (CompilerGym's `estimator=np.median`).
 * @throws PassGymError INTERNAL for an empty list.
 */
export function runtimeMedian(runs: readonly number[]): number {
  if (runs.length === 0) throw new PassGymError('INTERNAL', 'a Runtime observation without runs');
  const sorted = [...runs].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** One reward space's definition. */
export interface RewardSpaceSpec {
  name: string;
  /** Observation whose decrease is rewarded. */
  cost: 'IrInstructionCount' | 'ObjectTextSizeBytes' | 'TextSizeBytes' | 'Runtime';
  /** Observations of the unoptimized benchmark and of the baseline, when the reward is scaled. */
  scale: { kind: 'none' } | { kind: 'O0'; o0: string } | { kind: 'baseline'; o0: string; baseline: string };
  deterministic: boolean;
  platformDependent: boolean;
}

function family(prefix: string, cost: RewardSpaceSpec['cost'], norm: string, platformDependent: boolean): RewardSpaceSpec[] {
  const base = { cost, deterministic: true, platformDependent };
  return [
    { name: cost, ...base, scale: { kind: 'none' } },
    { name: norm, ...base, scale: { kind: 'O0', o0: `${prefix}O0` } },
    { name: `${prefix}O3`, ...base, scale: { kind: 'baseline', o0: `${prefix}O0`, baseline: `${prefix}O3` } },
    { name: `${prefix}Oz`, ...base, scale: { kind: 'baseline', o0: `${prefix}O0`, baseline: `${prefix}Oz` } },
  ];
}

const SPECS: RewardSpaceSpec[] = [
  ...family('IrInstructionCount', 'IrInstructionCount', 'IrInstructionCountNorm', false),
  ...family('ObjectTextSize', 'ObjectTextSizeBytes', 'ObjectTextSizeNorm', true),
  // The .text of the linked executable (runnable benchmarks only), as CompilerGym's TextSize rewards.
  ...family('TextSize', 'TextSizeBytes', 'TextSizeNorm', true),
  // CompilerGym's RuntimePointEstimateReward: previous runtime estimate minus the current one (seconds).
  { name: 'Runtime', cost: 'Runtime', scale: { kind: 'none' }, deterministic: false, platformDependent: true },
];

/** All reward spaces, by name. */
export const REWARD_SPACES: ReadonlyMap<string, RewardSpaceSpec> = new Map(SPECS.map((s) => [s.name, s]));

/**
 * The reward space called `name`.
 * @throws UnknownSpaceError listing the valid names.
 */
export function rewardSpace(name: string): RewardSpaceSpec {
  const spec = REWARD_SPACES.get(name);
  if (!spec) throw new UnknownSpaceError(`unknown reward space '${name}'; valid: ${[...REWARD_SPACES.keys()].join(', ')}`);
  return spec;
}

/** Observations needed at reset (scale) and at every step (cost). */
export function rewardObservations(spec: RewardSpaceSpec): { reset: string[]; step: string[] } {
  const scale = spec.scale.kind === 'none' ? [] : spec.scale.kind === 'O0' ? [spec.scale.o0] : [spec.scale.o0, spec.scale.baseline];
  return { reset: [spec.cost, ...scale], step: [spec.cost] };
}

/** The running state of one reward space over an episode. */
export class Reward {
  private previousCost = 0;
  private divisor = 1;

  constructor(readonly spec: RewardSpaceSpec) {}

  /** The cost in `obs`: the observation itself, or the median of Runtime's runs (its point estimate). */
  private cost(obs: Record<string, ObservationValue>): number {
    const v = obs[this.spec.cost];
    return isNumberArray(v) ? runtimeMedian(v) : (v as number);
  }

  /** Starts an episode from the observations listed by `rewardObservations(spec).reset`. */
  reset(obs: Record<string, ObservationValue>): void {
    this.previousCost = this.cost(obs);
    const s = this.spec.scale;
    if (s.kind === 'O0') this.divisor = Math.max(obs[s.o0] as number, 1);
    else if (s.kind === 'baseline') this.divisor = Math.max((obs[s.o0] as number) - (obs[s.baseline] as number), 1);
    else this.divisor = 1;
  }

  /** The reward for moving to the state whose cost observation is in `obs`. */
  update(obs: Record<string, ObservationValue>): number {
    const cost = this.cost(obs);
    const r = (this.previousCost - cost) / this.divisor;
    this.previousCost = cost;
    return r;
  }

  /** An independent copy (for `fork()`). */
  clone(): Reward {
    const r = new Reward(this.spec);
    r.previousCost = this.previousCost;
    r.divisor = this.divisor;
    return r;
  }
}
