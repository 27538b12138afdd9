/**
 * Dataset splits for learning and evaluation, so that leaderboard results are on programs no
 * agent trained on:
 *
 * | dataset        | train                          | validation        | test                     |
 * |----------------|--------------------------------|-------------------|--------------------------|
 * | apps-v0        |                                |                   | all                      |
 * | torture-v0     | ids with bucket 0-6            | bucket 7          | buckets 8-9              |
 * | libs-v0        | all                            |                   |                          |
 * | embedded-v0    |                                | all               |                          |
 * | csmith-v0      | all seeds                      |                   |                          |
 * | llvm-stress-v0 | all seeds                      |                   |                          |
 *
 * A torture program's bucket is the first byte of sha256(id) modulo 10: fixed by its name, so the
 * split does not move when the set of programs that qualify changes.
 */
import crypto from 'node:crypto';
import { UnknownBenchmarkError } from '../errors';

export type Split = 'train' | 'validation' | 'test';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

const WHOLE: Record<string, Split> = {
  'apps-v0': 'test',
  'libs-v0': 'train',
  'embedded-v0': 'validation',
  'csmith-v0': 'train',
  'llvm-stress-v0': 'train',
};

/** Bucket 0..9 of a benchmark id: first byte of sha256(id) mod 10. */
export function bucketOf(id: string): number {
  return crypto.createHash('sha256').update(id).digest()[0] % 10;
}

/**
 * The split of a benchmark of a known dataset, or null for benchmarks outside the datasets
 * (file:// URIs).
 */
export function splitOf(dataset: string, id: string): Split | null {
  if (dataset === 'torture-v0') {
    const b = bucketOf(id);
    return b <= 6 ? 'train' : b === 7 ? 'validation' : 'test';
  }
  return WHOLE[dataset] ?? null;
}

/**
 * The split a leaderboard scores a dataset on when none is named: `test` where the dataset has one
 * (apps-v0, torture-v0), else `validation` (embedded-v0, which is all validation); null for
 * datasets that are all train (libs-v0 and the generators), which have nothing to score on.
 */
export function evaluationSplit(dataset: string): Split | null {
  if (dataset === 'torture-v0') return 'test';
  const whole = WHOLE[dataset];
  return whole === 'test' || whole === 'validation' ? whole : null;
}

/** The split of a benchmark URI (`benchmark://D/ID` or `generator://D/SEED`), null for others. */
export function splitOfUri(uri: string): Split | null {
  const m = /^(?:benchmark|generator):\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? splitOf(m[1], m[2]) : null;
}

/**
 * The ids of `split` among a dataset's ids.
 * @throws UnknownBenchmarkError when the dataset has no benchmarks in that split (naming the ones it has).
 */
export function idsInSplit(dataset: string, ids: readonly string[], split: Split): string[] {
  const chosen = ids.filter((id) => splitOf(dataset, id) === split);
  if (chosen.length === 0) {
    const has = SPLITS.filter((s) => ids.some((id) => splitOf(dataset, id) === s));
    throw new UnknownBenchmarkError(`${dataset} has no ${split} split; it has: ${has.join(', ') || 'none'}`);
  }
  return chosen;
}
