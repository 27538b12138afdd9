/**
 * Benchmarks to train or evaluate on: a dataset's split (from its installed manifest), a
 * generator (`csmith-v0`, `llvm-stress-v0`: a fresh seed per episode), or a list of URIs.
 */
import { GENERATOR_RECIPES, LLVM_STRESS } from '../../env/datasets/registry';
import type { Split } from '../../env/datasets/splits';
import { splitUris } from '../../env/datasets/split-uris';

export { splitUris };

/** A source of benchmark URIs: `next(rng)` picks the next episode's benchmark. */
export interface BenchmarkSet {
  /** Human-readable description for logs, e.g. `torture-v0 train (1,071 benchmarks)`. */
  readonly describe: string;
  /** The fixed URIs, or null for a generator. */
  readonly uris: readonly string[] | null;
  next(rng: () => number): string;
}

/** A fixed list of URIs, sampled uniformly. @throws Error when empty. */
export function benchmarkList(uris: readonly string[], describe = `${uris.length} benchmarks`): BenchmarkSet {
  if (uris.length === 0) throw new Error('no benchmarks given');
  return { describe, uris, next: (rng) => uris[Math.floor(rng() * uris.length)] };
}

const isGenerator = (name: string) => name === LLVM_STRESS.name || GENERATOR_RECIPES.has(name);

/**
 * The benchmarks of the `split` of one or more datasets, each episode's benchmark drawn
 * uniformly from their union. A generator (`csmith-v0`, `llvm-stress-v0`, train only) can only be
 * used alone: each episode gets a fresh `generator://NAME/SEED`, SEED uniform in [0, 2^31).
 * @param maxInstructions leave out benchmarks larger than this (see `splitUris`).
 * @throws Error as `splitUris`, for a generator with a split other than train, or mixed with others.
 */
export function datasetBenchmarks(datasets: string | readonly string[], split: Split, maxInstructions = Infinity): BenchmarkSet {
  const names = typeof datasets === 'string' ? [datasets] : [...datasets];
  if (names.some(isGenerator)) {
    if (names.length > 1) throw new Error(`a generator (${names.filter(isGenerator).join(', ')}) cannot be mixed with other datasets`);
    if (split !== 'train') throw new Error(`generator ${names[0]} has only a train split`);
    return { describe: `generator ${names[0]}`, uris: null, next: (rng) => `generator://${names[0]}/${Math.floor(rng() * 2 ** 31)}` };
  }
  const uris = names.flatMap((d) => splitUris(d, split, maxInstructions));
  const limit = Number.isFinite(maxInstructions) ? `, at most ${maxInstructions} instructions` : '';
  return benchmarkList(uris, `${names.join(' + ')} ${split} (${uris.length} benchmarks${limit})`);
}
