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
 * The URIs of a dataset's split (`benchmark://D/ID`), sorted by id.
 * @throws Error when the dataset is unknown, a generator, not installed, or has no such split.
 */
export function splitUris(dataset: string, split: Split): string[] {
  if (!DATASET_RECIPES.has(dataset)) {
    const known = [...DATASET_RECIPES.keys()].join(', ');
    throw new Error(`unknown dataset '${dataset}' (fixed datasets: ${known}; generators: ${[LLVM_STRESS.name, ...GENERATOR_RECIPES.keys()].join(', ')})`);
  }
  const manifest = loadManifest(dataset);
  if (!manifest) throw new Error(`dataset ${dataset} is not installed: run passgym datasets install ${dataset}`);
  return idsInSplit(dataset, manifest.entries.map((e) => e.id).sort(), split).map((id) => `benchmark://${dataset}/${id}`);
}

/**
 * The benchmarks of `dataset`'s `split`; for a generator, a fresh `generator://NAME/SEED` with
 * SEED uniform in [0, 2^31) per episode (generators are train-only).
 * @throws Error as `splitUris`, or for a generator with a split other than train.
 */
export function datasetBenchmarks(dataset: string, split: Split): BenchmarkSet {
  if (dataset === LLVM_STRESS.name || GENERATOR_RECIPES.has(dataset)) {
    if (split !== 'train') throw new Error(`generator ${dataset} has only a train split`);
    return { describe: `generator ${dataset}`, uris: null, next: (rng) => `generator://${dataset}/${Math.floor(rng() * 2 ** 31)}` };
  }
  const uris = splitUris(dataset, split);
  return benchmarkList(uris, `${dataset} ${split} (${uris.length} benchmarks)`);
}
