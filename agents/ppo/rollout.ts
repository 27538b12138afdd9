/**
 * A vector of K environments stepped together, for PPO's rollouts. Each environment is opened
 * from an `EnvSource` (the local worker pool, or `passgym serve` endpoints), so stepping all K
 * with `Promise.all` keeps every worker (or server) busy. Episodes have a fixed horizon (and, as
 * an option, a terminal action with index |A|); a finished episode is recorded and the
 * environment is reset on the next benchmark of the set. The reward is IrInstructionCountOz.
 *
 * Randomness (which benchmark comes next) is drawn in environment order after each step, so a
 * seeded run does not depend on which environment answers first.
 */
import type { Env } from '../../env/core';
import type { EnvSource } from '../context';
import type { BenchmarkSet } from './benchmarks';
import { encode, FeatureSpec, inputSize } from './features';

/** A finished episode. */
export interface EpisodeRecord {
  benchmark: string;
  /** Sum of IrInstructionCountOz rewards (1.0 = as small as -Oz). */
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
}

/** Tries this many benchmarks before giving up on a reset. */
const RESET_ATTEMPTS = 5;

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
    rng: () => number;
    snapshots?: readonly EnvSnapshot[];
    log?: (m: string) => void;
  }): Promise<EnvVector> {
    const { source, count, spec } = options;
    const first = options.snapshots?.map((s) => s.benchmark) ?? Array.from({ length: count }, () => options.benchmarks.next(options.rng));
    const envs = await Promise.all(
      first.map((benchmark) => source.open({ benchmark, actionSpace: 'PassesAll', observationSpace: spec.observationSpace, rewardSpace: 'IrInstructionCountOz' })),
    );
    const slots: Slot[] = envs.map((env) => ({ env, raw: [], return: 0, length: 0 }));
    const vector = new EnvVector(slots, spec, options.benchmarks, options.terminalAction, options.log ?? (() => undefined));
    try {
      if (envs[0].actionSpace.n !== spec.actionCount) throw new Error(`the environments have ${envs[0].actionSpace.n} actions, the policy expects ${spec.actionCount}`);
      await Promise.all(
        slots.map(async (slot, i) => {
          const snap = options.snapshots?.[i];
          if (!snap) return vector.reset(i, first[i], options.rng);
          await slot.env.reset({ benchmark: snap.benchmark });
          if (snap.actions.length) await slot.env.multistep(snap.actions);
          slot.raw = (await slot.env.observe(spec.observationSpace)) as number[];
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

  /** Resets slot i on `benchmark`, falling back to other benchmarks of the set when it fails. */
  private async reset(i: number, benchmark: string, rng: () => number): Promise<void> {
    const slot = this.slots[i];
    let uri = benchmark;
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await slot.env.reset({ benchmark: uri });
        slot.raw = r.observation as number[];
        break;
      } catch (e) {
        if (attempt >= RESET_ATTEMPTS) throw new Error(`could not reset on ${RESET_ATTEMPTS} benchmarks in a row, last ${uri}: ${(e as Error).message}`);
        this.log(`reset on ${uri} failed (${(e as Error).message}); trying another benchmark`);
        uri = this.benchmarks.next(rng);
      }
    }
    slot.return = 0;
    slot.length = 0;
    this.dones[i] = 1;
    this.encodeSlot(i);
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
        rewards[i] = r.reward ?? 0;
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
        resets.push(this.reset(i, this.benchmarks.next(rng), rng));
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
