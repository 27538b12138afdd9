/**
 * The datasets PassGym knows: fixed datasets built by recipes (`datasets/recipes/`) and
 * generators. `passgym datasets list` shows them; `benchmark://NAME/ID` resolves through here.
 */
import type { DatasetRecipe } from './types';
import { embeddedRecipe } from '../../datasets/recipes/embedded';

/** Fixed datasets, by name. Recipes register here. */
export const DATASET_RECIPES: ReadonlyMap<string, DatasetRecipe> = new Map(
  [embeddedRecipe].map((r) => [r.name, r]),
);

/** Generators: `generator://NAME/SEED`. */
export const GENERATORS: ReadonlyArray<{ name: string; description: string; license: string; runnable: boolean }> = [
  { name: 'llvm-stress-v0', description: "Random IR from the loaded LLVM's llvm-stress (default size), one module per seed", license: 'Apache-2.0 WITH LLVM-exception (LLVM)', runnable: false },
];
