/**
 * The coreset artifact: at most 50 pass sequences chosen on training programs, one file per LLVM
 * major version and action space (`data/coreset/llvm14-PassesAll.json`), tied to the action
 * space's version (its names, their order, the LLVM major). Sequences are stored as action names
 * so that the file reads without PassGym; loading checks the version and maps names to indices.
 * Rebuilt by `passgym coreset build` (`build.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassGymError } from '../../env/errors';
import type { ActionSpace } from '../../env/actions/space';
import { splitOfUri } from '../../env/datasets/splits';

/** Format tag of the file. */
export const CORESET_FORMAT = 'passgym-coreset-v1';

/** The folder of the shipped coresets (this file runs as `dist/agents/coreset/artifact.js`). */
export const CORESET_DIR = path.resolve(__dirname, '..', '..', '..', 'data', 'coreset');

/** One sequence of the coreset, in the order the greedy selection chose them. */
export interface CoresetSequence {
  /** Action names of the action space, in order. */
  passes: string[];
  /** Geomean of `n_Oz / n` over the training programs of this sequence alone. */
  trainGeomean: number;
  /** Training programs on which this sequence is the best of the coreset. */
  bestOn: number;
}

/** The file's contents. */
export interface CoresetArtifact {
  format: typeof CORESET_FORMAT;
  llvm: { major: number; version: string };
  actionSpace: { name: string; version: string };
  sequences: CoresetSequence[];
  /** `curve[i]`: training geomean of the best of the first i+1 sequences per program. */
  curve: number[];
  /** Training geomean with no sequence (the empty sequence everywhere, i.e. -O0). */
  base: number;
  /** The training programs (URIs): every one is in a train split. */
  train: { programs: string[]; searched: string[] };
  build: Record<string, unknown>;
}

/** Path of the shipped coreset for an LLVM major version and action space. */
export function coresetPath(llvmMajor: number, actionSpace = 'PassesAll'): string {
  return path.join(CORESET_DIR, `llvm${llvmMajor}-${actionSpace}.json`);
}

/**
 * Throws unless every URI is in a train split (libs-v0, torture-v0's train buckets, the generators).
 * @throws PassGymError (INVALID_VALUE) naming the first URI that is not.
 */
export function checkTrainOnly(uris: readonly string[]): void {
  for (const uri of uris) {
    const split = splitOfUri(uri);
    if (split !== 'train') throw new PassGymError('INVALID_VALUE', `${uri} is ${split === null ? 'in no dataset split' : `in the ${split} split`}: a coreset is built on train splits only`);
  }
}

/**
 * Reads and checks a coreset file.
 * @throws PassGymError (NOT_FOUND) when the file does not exist, saying how to build one;
 *   (INVALID_VALUE) when it is not a coreset file or names a program outside the train splits.
 */
export function loadCoreset(file: string): CoresetArtifact {
  if (!fs.existsSync(file)) {
    throw new PassGymError('NOT_FOUND', `no coreset at ${file}: build one with 'passgym coreset build --out ${file}' (about 20 minutes on 2 cores), or pass coreset=FILE`);
  }
  const a = JSON.parse(fs.readFileSync(file, 'utf8')) as CoresetArtifact;
  if (a.format !== CORESET_FORMAT) throw new PassGymError('INVALID_VALUE', `${file} is not a ${CORESET_FORMAT} file (format ${JSON.stringify(a.format)})`);
  checkTrainOnly(a.train.programs);
  return a;
}

/**
 * The coreset's sequences as indices of `space`.
 * @throws PassGymError (INVALID_VALUE) when the coreset was built for another action space version.
 */
export function coresetSequences(a: CoresetArtifact, space: ActionSpace, file: string): number[][] {
  if (a.actionSpace.version !== space.version) {
    throw new PassGymError(
      'INVALID_VALUE',
      `the coreset ${file} was built for action space ${a.actionSpace.version} (LLVM ${a.llvm.version}); this environment's is ${space.version}: rebuild it with 'passgym coreset build' on this LLVM`,
    );
  }
  return a.sequences.map((s) => s.passes.map((n) => space.index(n)));
}
