/**
 * Benchmarks to train or evaluate on: a dataset's split (from its installed manifest), a
 * generator (`csmith-v0`, `llvm-stress-v0`: a fresh seed per episode), or a list of URIs.
 */
import { loadManifest } from '../../env/datasets/install';
import { DATASET_RECIPES, GENERATOR_RECIPES, LLVM_STRESS } from '../../env/datasets/registry';
import { idsInSplit, Split } from '../../env/datasets/splits';

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

/**
 * The URIs of a dataset's split (`benchmark://D/ID`), sorted by id; with `maxInstructions`, only
 * benchmarks whose -O0 IR has at most that many instructions (from the manifest).
 * @throws Error when the dataset is unknown, a generator, not installed, or has no such split.
 */
export function splitUris(dataset: string, split: Split, maxInstructions = Infinity): string[] {
  if (!DATASET_RECIPES.has(dataset)) {
    const known = [...DATASET_RECIPES.keys()].join(', ');
    throw new Error(`unknown dataset '${dataset}' (fixed datasets: ${known}; generators: ${[LLVM_STRESS.name, ...GENERATOR_RECIPES.keys()].join(', ')})`);
  }
  const manifest = loadManifest(dataset);
  if (!manifest) throw new Error(`dataset ${dataset} is not installed: run passgym datasets install ${dataset}`);
  const small = new Set(manifest.entries.filter((e) => (e.instructions ?? 0) <= maxInstructions).map((e) => e.id));
  const ids = idsInSplit(dataset, manifest.entries.map((e) => e.id).sort(), split).filter((id) => small.has(id));
  if (ids.length === 0) throw new Error(`${dataset} ${split} has no benchmark with at most ${maxInstructions} instructions`);
  return ids.map((id) => `benchmark://${dataset}/${id}`);
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
