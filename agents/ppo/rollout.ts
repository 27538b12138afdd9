/**
 * A vector of K environments stepped together, for PPO's rollouts. Each environment is opened
 * from an `EnvSource` (the local worker pool, or `passgym serve` endpoints), so stepping all K
 * with `Promise.all` keeps every worker (or server) busy. Episodes have a fixed horizon (and, as
 * an option, a terminal action with index |A|); a finished episode is recorded and the
 * environment is reset on the next benchmark of the set. The reward is IrInstructionCountOz, or
 * with `reward: 'log'` ln(n_prev / n) of the IR instruction counts before and after the step: the
 * environments then run CompilerGym's IrInstructionCount reward (n_prev − n), from which the
 * vector keeps each one's current count n (observed at reset). The leaderboard scores the geomean
 * of n_Oz / n, logarithmic in n, and IrInstructionCountOz is linear in n: on a program that -Oz
 * takes from 24 to 2 instructions, ending at 3 earns 0.955 of the best return but 0.667 of the
 * best score (docs/ppo.md, "Where random search wins on torture-v0").
 *
 * Benchmarks on which -Oz removes fewer than `minOzReduction` instructions are skipped: the
 * reward divides by that reduction (n_O0 − n_Oz), so on them one instruction is worth several
 * times a whole -Oz, and a few such episodes dominate the returns (measured on torture-v0: mean
 * episode returns of 8 and 12 in single updates where the median episode gave about 1).
 *
 * Randomness: for each reset, one number is drawn from the run's stream in environment order
 * and seeds that reset's own choices (including fallbacks), so a seeded run does not depend on
 * which environment answers first.
 */
import seedrandom from 'seedrandom';
import type { Env } from '../../env/core';
import type { EnvSource } from '../context';
import type { BenchmarkSet } from './benchmarks';
import { encode, FeatureSpec, inputSize } from './features';
import type { RewardKind } from './config';

/** A finished episode. */
export interface EpisodeRecord {
  benchmark: string;
  /** Sum of the step rewards, unclipped (`oz`: 1.0 = as small as -Oz; `log`: ln(n_O0 / n)). */
  return: number;
  /** Steps taken. */
  length: number;
}

/** Where one environment is in its episode: enough to rebuild it (for `--resume`). */
export interface EnvSnapshot {
  benchmark: string;
  actions: number[];
  return: number;
  length: number;
}

interface Slot {
  env: Env;
  raw: number[];
  return: number;
  length: number;
  /** Current IR instruction count (kept for the `log` reward only). */
  count: number;
}

/** Gives up a reset after this many benchmarks failed to load in a row. */
const RESET_ATTEMPTS = 5;
/** Gives up a reset after drawing this many benchmarks that were all skipped. */
const DRAW_ATTEMPTS = 1000;

/** See the module TSDoc. Call `close()` when done. */
export class EnvVector {
  /** Encoded current observations, [K, D] row-major. */
  readonly obs: Float32Array;
  /** 1 where the current observation starts a new episode. */
  readonly dones: Float32Array;
  /** Input width D. */
  readonly width: number;

  private constructor(
    private readonly slots: Slot[],
    private readonly spec: FeatureSpec,
    private readonly benchmarks: BenchmarkSet,
    private readonly terminalAction: boolean,
    private readonly minOzReduction: number,
    private readonly reward: RewardKind,
    private readonly log: (m: string) => void,
  ) {
    this.width = inputSize(spec);
    this.obs = new Float32Array(slots.length * this.width);
    this.dones = new Float32Array(slots.length).fill(1);
  }

  /**
   * Opens `count` environments on benchmarks drawn from `benchmarks` with `rng`, or rebuilt from
   * `snapshots` (one per environment) when resuming.
   * @throws Error when an environment cannot be opened or no benchmark of the set resets.
   */
  static async open(options: {
    source: EnvSource;
    count: number;
    benchmarks: BenchmarkSet;
    spec: FeatureSpec;
    terminalAction: boolean;
    /** Skip benchmarks where n_O0 − n_Oz is below this (0: keep all). */
    minOzReduction: number;
    /** The step reward (default `oz`, IrInstructionCountOz). */
    reward?: RewardKind;
    rng: () => number;
    snapshots?: readonly EnvSnapshot[];
    log?: (m: string) => void;
  }): Promise<EnvVector> {
    const { source, count, spec } = options;
    const reward = options.reward ?? 'oz';
    const envs = await Promise.all(
      Array.from({ length: options.snapshots?.length ?? count }, () =>
        source.open({ benchmark: 'benchmark://embedded-v0/qsort', actionSpace: 'PassesAll', observationSpace: spec.observationSpace, rewardSpace: reward === 'log' ? 'IrInstructionCount' : 'IrInstructionCountOz' }),
      ),
    );
    const slots: Slot[] = envs.map((env) => ({ env, raw: [], return: 0, length: 0, count: 0 }));
    const vector = new EnvVector(slots, spec, options.benchmarks, options.terminalAction, options.minOzReduction, reward, options.log ?? (() => undefined));
    const seeds = options.snapshots ? [] : slots.map(() => options.rng());
    try {
      if (envs[0].actionSpace.n !== spec.actionCount) throw new Error(`the environments have ${envs[0].actionSpace.n} actions, the policy expects ${spec.actionCount}`);
      await Promise.all(
        slots.map(async (slot, i) => {
          const snap = options.snapshots?.[i];
          if (!snap) return vector.reset(i, seeds[i]);
          await slot.env.reset({ benchmark: snap.benchmark });
          if (snap.actions.length) await slot.env.multistep(snap.actions);
          slot.raw = (await slot.env.observe(spec.observationSpace)) as number[];
          if (reward === 'log') slot.count = (await slot.env.observe('IrInstructionCount')) as number;
          slot.return = snap.return;
          slot.length = snap.length;
          vector.dones[i] = snap.length === 0 ? 1 : 0;
          vector.encodeSlot(i);
        }),
      );
    } catch (e) {
      await vector.close();
      throw e;
    }
    return vector;
  }

  /** K. */
  get size(): number {
    return this.slots.length;
  }

  /** |A| of the policy: the action space, plus one when the terminal action is on. */
  get policyActions(): number {
    return this.spec.actionCount + (this.terminalAction ? 1 : 0);
  }

  private encodeSlot(i: number): void {
    encode(this.spec, this.slots[i].raw, this.slots[i].env.actions, this.obs, i * this.width);
  }

  /** Benchmarks left out: failed to load, or -Oz removes too little (see the module TSDoc). */
  private readonly skipped = new Set<string>();

  /** Resets slot i on a benchmark drawn with a stream seeded by `seed`, skipping unusable ones. */
  private async reset(i: number, seed: number): Promise<void> {
    const slot = this.slots[i];
    const rng = seedrandom(String(seed));
    let failures = 0;
    for (let draw = 1; ; draw++) {
      if (draw > DRAW_ATTEMPTS) throw new Error(`no usable benchmark in ${DRAW_ATTEMPTS} draws from ${this.benchmarks.describe} (${this.skipped.size} skipped)`);
      const uri = this.benchmarks.next(rng);
      if (this.skipped.has(uri)) continue;
      try {
        const r = await slot.env.reset({ benchmark: uri });
        slot.raw = r.observation as number[];
      } catch (e) {
        if (++failures >= RESET_ATTEMPTS) throw new Error(`could not reset on ${RESET_ATTEMPTS} benchmarks in a row, last ${uri}: ${(e as Error).message}`);
        this.log(`reset on ${uri} failed (${(e as Error).message}); trying another benchmark`);
        this.skipped.add(uri);
        continue;
      }
      if (this.minOzReduction > 0) {
        const o0 = (await slot.env.observe('IrInstructionCountO0')) as number;
        const oz = (await slot.env.observe('IrInstructionCountOz')) as number;
        if (o0 - oz < this.minOzReduction) {
          this.skipped.add(uri);
          continue;
        }
      }
      break;
    }
    if (this.reward === 'log') slot.count = (await slot.env.observe('IrInstructionCount')) as number;
    slot.return = 0;
    slot.length = 0;
    this.dones[i] = 1;
    this.encodeSlot(i);
  }

  /** Benchmarks skipped so far. */
  get skippedCount(): number {
    return this.skipped.size;
  }

  /**
   * Takes one step in every environment: `actions[i]` in environment i (index |A| is the
   * terminal action when enabled). Environments whose episode ends are reset on the next
   * benchmark; their `dones` entry becomes 1.
   * @returns the rewards [K] of the steps and the episodes that finished.
   * @throws Error when an action is out of range or a reset fails repeatedly.
   */
  async step(actions: ArrayLike<number>, rng: () => number): Promise<{ rewards: Float32Array; finished: EpisodeRecord[] }> {
    const rewards = new Float32Array(this.size);
    const ended = await Promise.all(
      this.slots.map(async (slot, i) => {
        const a = actions[i];
        if (!Number.isInteger(a) || a < 0 || a >= this.policyActions) throw new Error(`action ${a} is outside [0, ${this.policyActions})`);
        slot.length++;
        if (a === this.spec.actionCount) return true;
        const r = await slot.env.step(a);
        if (r.info.error_type) this.log(`${slot.env.benchmark}: action ${slot.env.actionSpace.names[a]} failed (${r.info.error_type}); state kept`);
        if (this.reward === 'log') {
          const n = slot.count - (r.reward ?? 0);
          rewards[i] = Math.log(Math.max(1, slot.count) / Math.max(1, n));
          slot.count = n;
        } else rewards[i] = r.reward ?? 0;
        slot.return += rewards[i];
        if (r.observation !== null && !r.info.error_type) slot.raw = r.observation as number[];
        return slot.length >= this.spec.horizon;
      }),
    );
    const finished: EpisodeRecord[] = [];
    const resets: Array<Promise<void>> = [];
    ended.forEach((end, i) => {
      const slot = this.slots[i];
      if (end) {
        finished.push({ benchmark: slot.env.benchmark, return: slot.return, length: slot.length });
        resets.push(this.reset(i, rng()));
      } else {
        this.dones[i] = 0;
        this.encodeSlot(i);
      }
    });
    await Promise.all(resets);
    return { rewards, finished };
  }

  /** Where every environment is (for a checkpoint). */
  snapshots(): EnvSnapshot[] {
    return this.slots.map((s) => ({ benchmark: s.env.benchmark, actions: [...s.env.actions], return: s.return, length: s.length }));
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.env.close().catch(() => undefined)));
  }
}
