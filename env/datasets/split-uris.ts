/**
 * The benchmark URIs of an installed dataset's split, from its manifest: what the leaderboard
 * runs and what PPO trains and evaluates on.
 */
import { DatasetNotInstalledError } from '../errors';
import { loadManifest } from './install';
import { DATASET_RECIPES, GENERATOR_RECIPES, LLVM_STRESS } from './registry';
import { idsInSplit, Split } from './splits';

/**
 * The URIs of a dataset's split (`benchmark://D/ID`), sorted by id; with `maxInstructions`, only
 * benchmarks whose -O0 IR has at most that many instructions (from the manifest).
 * @throws Error when the dataset is unknown, a generator, not installed, or has no such split;
 *   DatasetNotInstalledError when it is installed only in part (`--only`)
 *   (UnknownBenchmarkError naming the splits it has).
 */
export function splitUris(dataset: string, split: Split, maxInstructions = Infinity): string[] {
  if (!DATASET_RECIPES.has(dataset)) {
    const known = [...DATASET_RECIPES.keys()].join(', ');
    throw new Error(`unknown dataset '${dataset}' (fixed datasets: ${known}; generators: ${[LLVM_STRESS.name, ...GENERATOR_RECIPES.keys()].join(', ')})`);
  }
  const manifest = loadManifest(dataset);
  if (!manifest) throw new Error(`dataset ${dataset} is not installed: run passgym datasets install ${dataset}`);
  // A split of a partial install would silently be a few programs of it.
  if (manifest.only) {
    throw new DatasetNotInstalledError(
      `${dataset} is installed only in part (--only ${manifest.only.join(' ')}: ${manifest.entries.length} benchmarks), so its ${split} split is incomplete; run 'passgym datasets install ${dataset}' to install the rest, or name the benchmarks to use (--benchmark; train ppo: --benchmarks)`,
    );
  }
  const small = new Set(manifest.entries.filter((e) => (e.instructions ?? 0) <= maxInstructions).map((e) => e.id));
  const ids = idsInSplit(dataset, manifest.entries.map((e) => e.id).sort(), split).filter((id) => small.has(id));
  if (ids.length === 0) throw new Error(`${dataset} ${split} has no benchmark with at most ${maxInstructions} instructions`);
  return ids.map((id) => `benchmark://${dataset}/${id}`);
}
