/**
 * `CompilerEnvState` and the state CSV of CompilerGym (`compiler_gym/compiler_env_state.py`):
 * header `benchmark,reward,walltime,commandline`, one state per row. Two states are equal when
 * benchmark and command line match and the rewards are within 1e-6 (wall time is ignored).
 * CSV quoting and parsing use csv-stringify / csv-parse.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { StateFormatError } from './errors';

/** A reproducible environment state. */
export interface CompilerEnvState {
  /** Benchmark URI. */
  benchmark: string;
  /** Episode reward so far (null when the environment has no reward space). */
  reward: number | null;
  /** Seconds since the episode began. */
  walltime: number;
  /** `opt -passes='…' input.bc -o output.bc`. */
  commandline: string;
}

export const STATE_CSV_HEADER = ['benchmark', 'reward', 'walltime', 'commandline'] as const;

/** Writes states as CSV text with the header. */
export function statesToCsv(states: readonly CompilerEnvState[]): string {
  return stringify(
    states.map((s) => [s.benchmark, s.reward === null ? '' : String(s.reward), String(s.walltime), s.commandline]),
    { header: true, columns: [...STATE_CSV_HEADER] },
  );
}

/**
 * Reads states from CSV text (header required).
 * @throws StateFormatError naming the row and field that is wrong.
 */
export function parseStatesCsv(text: string): CompilerEnvState[] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false, skip_empty_lines: true });
  } catch (e) {
    throw new StateFormatError(`state CSV is not valid CSV: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new StateFormatError('state CSV is empty (expected header benchmark,reward,walltime,commandline)');
  const header = rows[0].map((h) => h.trim());
  if (header.join(',') !== STATE_CSV_HEADER.join(',')) {
    throw new StateFormatError(`state CSV header is '${header.join(',')}', expected '${STATE_CSV_HEADER.join(',')}'`);
  }
  return rows.slice(1).map((row, k) => {
    const line = k + 2;
    const [benchmark, reward, walltime, commandline] = row;
    if (!benchmark) throw new StateFormatError(`state CSV line ${line}: empty benchmark`);
    const r = reward.trim() === '' ? null : Number(reward);
    if (r !== null && !Number.isFinite(r)) throw new StateFormatError(`state CSV line ${line}: reward '${reward}' is not a number`);
    const w = Number(walltime);
    if (!Number.isFinite(w) || w < 0) throw new StateFormatError(`state CSV line ${line}: walltime '${walltime}' is not a non-negative number`);
    if (!commandline) throw new StateFormatError(`state CSV line ${line}: empty commandline`);
    return { benchmark, reward: r, walltime: w, commandline };
  });
}

/** CompilerGym's state equality: same benchmark and command line, rewards within `tolerance`. */
export function statesEqual(a: CompilerEnvState, b: CompilerEnvState, tolerance = 1e-6): boolean {
  if (a.benchmark !== b.benchmark || a.commandline !== b.commandline) return false;
  if (a.reward === null || b.reward === null) return a.reward === b.reward;
  return Math.abs(a.reward - b.reward) <= tolerance;
}
