/**
 * Steady-state evolutionary search over whole pass sequences on one benchmark (the search GRACE,
 * 2025, uses to find its coreset's sequences, here per training program; and the coreset agent's
 * local search from the coreset's best sequences). Each child is one compilation (`SequenceEvaluator`);
 * `lanes` children are evaluated at once. A child comes from a tournament of 3, by crossover of two
 * parents (probability 0.3) and then mutation (`mutate.ts`); it replaces the worst member of the
 * population when it is better.
 */
import type { Rng } from '../../env/spaces';
import { crossover, mutate, randomSequence } from './mutate';
import { SequenceEvaluator, SequenceScore, sequenceKey } from './sequence-evaluator';

/** Options of `evolveSequences`. */
export interface EvolveOptions {
  /** Compilations this search may spend (the evaluator's count, from when the search starts). */
  budget: number;
  /** Passes that sequences are made of. */
  actions: readonly number[];
  /** Sequences the first population starts with (evaluated first, most promising first). */
  seeds?: ReadonlyArray<readonly number[]>;
  rng: Rng;
  /** Population size (default 16): seeds, then random sequences of `initialLength`. */
  population?: number;
  /** Length of the random sequences of the first population (default 40). */
  initialLength?: number;
  /** Longest sequence (default 120). */
  maxLength?: number;
  /** `performance.now()` after which no new compilation starts. */
  deadline?: number;
}

/** Runs `tasks` on `lanes` lanes, starting none after `stop()` says so. */
export async function inLanes(lanes: number, next: () => (() => Promise<void>) | null, stop: () => boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (;;) {
        if (stop()) return;
        const task = next();
        if (!task) return;
        await task();
      }
    }),
  );
}

/**
 * Evolves sequences on `evaluator`'s benchmark.
 * @returns every sequence scored during the search (seeds included), best first, each once.
 */
export async function evolveSequences(evaluator: SequenceEvaluator, options: EvolveOptions): Promise<SequenceScore[]> {
  const { rng, actions } = options;
  const size = options.population ?? 16;
  const maxLength = options.maxLength ?? 120;
  const start = evaluator.stats.compilations;
  const spent = () => evaluator.stats.compilations - start;
  const stop = () => spent() >= options.budget || (options.deadline !== undefined && performance.now() >= options.deadline);
  const seen = new Map<string, SequenceScore>();
  const population: SequenceScore[] = [];
  const consider = (s: SequenceScore) => {
    seen.set(sequenceKey(s.actions), s);
    if (population.length < size) population.push(s);
    else {
      let worst = 0;
      for (let i = 1; i < population.length; i++) if (population[i].ratio < population[worst].ratio) worst = i;
      if (s.ratio > population[worst].ratio) population[worst] = s;
    }
  };
  const initial: Array<readonly number[]> = [...(options.seeds ?? [])].filter((s) => s.length > 0).slice(0, size);
  while (initial.length < size) initial.push(randomSequence(actions, options.initialLength ?? 40, rng));
  let k = 0;
  await inLanes(
    evaluator.lanes,
    () => {
      if (k >= initial.length) return null;
      const seq = initial[k++];
      return async () => consider(await evaluator.evaluate(seq));
    },
    () => stop() && !evaluator.has(initial[k] ?? []),
  );
  const tournament = (): SequenceScore => {
    let best = population[Math.floor(rng() * population.length)];
    for (let i = 0; i < 2; i++) {
      const c = population[Math.floor(rng() * population.length)];
      if (c.ratio > best.ratio) best = c;
    }
    return best;
  };
  const child = (): number[] | null => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const parent = tournament().actions;
      const base = rng() < 0.3 ? crossover(parent, tournament().actions, rng, maxLength) : parent;
      const c = mutate(base.length ? base : parent, actions, rng, maxLength);
      if (!seen.has(sequenceKey(c)) && !evaluator.has(c)) return c;
    }
    return null;
  };
  if (population.length > 0) {
    await inLanes(
      evaluator.lanes,
      () => {
        const c = child();
        if (!c) return null;
        seen.set(sequenceKey(c), { actions: c, count: null, ratio: 0 }); // reserved while it compiles
        return async () => consider(await evaluator.evaluate(c));
      },
      stop,
    );
  }
  return [...seen.values()].filter((s) => s.count !== null || s.error !== undefined).sort((a, b) => b.ratio - a.ratio);
}
