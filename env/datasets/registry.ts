/**
 * The datasets PassGym knows: fixed datasets built by recipes (`datasets/recipes/`) and
 * generators. `passgym datasets list` shows them; `benchmark://NAME/ID` resolves through here.
 */
import type { DatasetRecipe, GeneratorRecipe } from './types';
import { embeddedRecipe } from '../../datasets/recipes/embedded';
import { libsRecipe } from '../../datasets/recipes/libs';
import { appsRecipe } from '../../datasets/recipes/apps';
import { tortureRecipe } from '../../datasets/recipes/torture';
import { csmithGenerator } from '../../datasets/recipes/csmith';

/** Fixed datasets, by name. Recipes register here. */
export const DATASET_RECIPES: ReadonlyMap<string, DatasetRecipe> = new Map(
  [embeddedRecipe, appsRecipe, tortureRecipe, libsRecipe].map((r) => [r.name, r]),
);

/** Generators built by recipes: `generator://NAME/SEED`, one cached benchmark per seed. */
export const GENERATOR_RECIPES: ReadonlyMap<string, GeneratorRecipe> = new Map(
  [csmithGenerator].map((g) => [g.name, g]),
);

/** `generator://llvm-stress-v0/SEED`, built into `benchmarks.ts` (it needs no recipe). */
export const LLVM_STRESS = {
  name: 'llvm-stress-v0',
  description: "Random IR from the loaded LLVM's llvm-stress (default size), one module per seed",
  license: 'Apache-2.0 WITH LLVM-exception (LLVM)',
  runnable: false,
};

/** A generator seen as a one-benchmark dataset named `NAME/SEED` (id `SEED`), so installs cache per seed. */
export function seedDataset(generator: GeneratorRecipe, seed: number): DatasetRecipe {
  return {
    name: `${generator.name}/${seed}`,
    description: generator.description,
    license: generator.license,
    runnable: generator.runnable,
    debianPackages: generator.debianPackages,
    install: (ctx) => generator.generate(seed, ctx),
  };
}
