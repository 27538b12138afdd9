/**
 * Evaluation of whole pass sequences on one benchmark, the unit of work of the coreset agent and
 * of its build: an evaluation resets an environment to the benchmark's start and applies the
 * sequence as one `multistep`, which is one compilation (one pipeline applied and measured),
 * whatever the sequence's length. The measure is the IR instruction count, and the score the
 * leaderboard's `n_Oz / n` (above 1 is smaller than `opt -Oz`).
 *
 * One environment per lane (`parallelism` lanes, one per worker); evaluations queue for a free
 * lane. A sequence already evaluated is answered from a cache and not counted again.
 */
import type { Env } from '../../env/core';

/** The outcome of one sequence. */
export interface SequenceScore {
  /** Action indices of the sequence. */
  readonly actions: readonly number[];
  /** IR instruction count after the sequence, or null when it failed (crash, timeout). */
  readonly count: number | null;
  /** `n_Oz / n`; 0 for a failed sequence. */
  readonly ratio: number;
  /** The failure, as the step's `error_type: error_details`. */
  readonly error?: string;
}

/** Counters of an evaluator. */
export interface SequenceEvaluatorStats {
  /** Sequences compiled (cache misses): the compilations a budget counts. */
  compilations: number;
  /** Passes run by those compilations (the sum of their lengths). */
  passes: number;
  /** Evaluations answered from the cache. */
  cacheHits: number;
  /** Compilations that failed. */
  failures: number;
}

/** Options of `SequenceEvaluator.open`. */
export interface SequenceEvaluatorOptions {
  /** Environments to open (at least 1): one evaluation runs on each at a time. */
  lanes: number;
  /** Per-compilation timeout in seconds (default: the environment's step timeout). */
  timeoutSeconds?: number;
}

/** Cache key of a sequence. */
export function sequenceKey(actions: readonly number[]): string {
  return actions.join(',');
}

export class SequenceEvaluator {
  readonly stats: SequenceEvaluatorStats = { compilations: 0, passes: 0, cacheHits: 0, failures: 0 };
  private readonly cache = new Map<string, Promise<SequenceScore>>();
  private readonly free: Env[];
  private readonly waiting: Array<(env: Env) => void> = [];

  private constructor(
    private readonly envs: Env[],
    /** IR instruction count of the benchmark after `opt -Oz`. */
    readonly countOz: number,
    /** IR instruction count of the benchmark at its start (-O0). */
    readonly countO0: number,
    private readonly timeoutSeconds: number | undefined,
  ) {
    this.free = [...envs];
  }

  /**
   * Opens `lanes` environments with `makeEnv` (each must already be reset on the benchmark, as
   * `AgentContext.makeEnv` returns them) and reads the benchmark's -O0 and -Oz counts.
   * @throws Error when `lanes` < 1, or the first failure of `makeEnv` (closing what it opened).
   */
  static async open(makeEnv: () => Promise<Env>, options: SequenceEvaluatorOptions): Promise<SequenceEvaluator> {
    if (!(options.lanes >= 1)) throw new Error(`SequenceEvaluator needs at least 1 lane, got ${options.lanes}`);
    const opened = await Promise.allSettled(Array.from({ length: options.lanes }, () => makeEnv()));
    const envs = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(envs.map((e) => e.close()));
      throw failed.reason;
    }
    let obs;
    try {
      obs = await envs[0].observe(['IrInstructionCountOz', 'IrInstructionCountO0']);
    } catch (e) {
      await Promise.all(envs.map((x) => x.close()));
      throw e;
    }
    return new SequenceEvaluator(envs, Number(obs.IrInstructionCountOz), Number(obs.IrInstructionCountO0), options.timeoutSeconds);
  }

  /** Lanes (environments) of this evaluator. */
  get lanes(): number {
    return this.envs.length;
  }

  /** `n_Oz / n_O0`: the score of the empty sequence, which never fails. */
  get emptyRatio(): number {
    return this.countOz / Math.max(1, this.countO0);
  }

  /** Whether `actions` was evaluated (or is being evaluated) already: evaluating it again is free. */
  has(actions: readonly number[]): boolean {
    return actions.length === 0 || this.cache.has(sequenceKey(actions));
  }

  /**
   * Scores `actions` from the benchmark's start: one compilation unless cached (the empty sequence
   * is never compiled). Never throws for a failing sequence: its score has `count: null`, `ratio: 0`.
   */
  evaluate(actions: readonly number[]): Promise<SequenceScore> {
    if (actions.length === 0) return Promise.resolve({ actions: [], count: this.countO0, ratio: this.emptyRatio });
    const key = sequenceKey(actions);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    // Counted before anything awaits, so that lanes checking a budget see a compilation in flight.
    this.stats.compilations++;
    this.stats.passes += actions.length;
    const result = this.compile([...actions]);
    this.cache.set(key, result);
    return result;
  }

  /** Scores every sequence, as many at once as there are lanes; results in the order given. */
  evaluateAll(sequences: ReadonlyArray<readonly number[]>): Promise<SequenceScore[]> {
    return Promise.all(sequences.map((s) => this.evaluate(s)));
  }

  /** Closes the environments. */
  async close(): Promise<void> {
    await Promise.all(this.envs.map((e) => e.close()));
  }

  private async compile(actions: number[]): Promise<SequenceScore> {
    const env = await this.acquire();
    try {
      await env.reset();
      const r = await env.multistep(actions, { observationSpaces: ['IrInstructionCount'], timeoutSeconds: this.timeoutSeconds });
      if (r.info.error_type) {
        this.stats.failures++;
        return { actions, count: null, ratio: 0, error: `${r.info.error_type}: ${r.info.error_details ?? ''}` };
      }
      const count = Number(r.observations?.IrInstructionCount);
      return { actions, count, ratio: this.countOz / Math.max(1, count) };
    } catch (e) {
      this.stats.failures++;
      return { actions, count: null, ratio: 0, error: (e as Error).message };
    } finally {
      this.release(env);
    }
  }

  private acquire(): Promise<Env> {
    const env = this.free.pop();
    if (env) return Promise.resolve(env);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(env: Env): void {
    const next = this.waiting.shift();
    if (next) next(env);
    else this.free.push(env);
  }
}
