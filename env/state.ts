/**
 * `CompilerEnvState` and the state CSV of CompilerGym (`compiler_gym/compiler_env_state.py`):
 * header `benchmark,reward,walltime,commandline`, one state per row. Two states are equal when
 * benchmark and command line match and, when both have one, the rewards are within 1e-5 (wall
 * time is ignored), as in CompilerGym.
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

/** Absolute tolerance of reward comparison (`epsilon = 1e-5` in CompilerGym's `CompilerEnvState.__eq__`). */
export const REWARD_EPSILON = 1e-5;

/**
 * Reads states from CSV text as CompilerGym's `CompilerEnvStateReader` does: a header row (matched
 * without regard to case, in any column order) names the columns; without one, rows are in the
 * default order benchmark,reward,walltime,commandline. An empty reward is none, an empty or
 * missing walltime 0. The Python `passgym.state` reader reads the same files the same way.
 * @throws StateFormatError naming the line and field that is wrong.
 */
export function parseStatesCsv(text: string): CompilerEnvState[] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    throw new StateFormatError(`state CSV is not valid CSV: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new StateFormatError('state CSV is empty (expected rows benchmark,reward,walltime,commandline, with or without that header)');
  const first = rows[0].map((h) => h.trim().toLowerCase());
  const hasHeader = first.includes('benchmark') && first.includes('commandline');
  const columns = hasHeader ? first : [...STATE_CSV_HEADER];
  for (const c of columns) {
    if (!(STATE_CSV_HEADER as readonly string[]).includes(c)) {
      throw new StateFormatError(`state CSV line 1: unknown column '${c}'; valid: ${STATE_CSV_HEADER.join(', ')}`);
    }
  }
  return rows.slice(hasHeader ? 1 : 0).map((row, k) => {
    const line = k + (hasHeader ? 2 : 1);
    if (row.length !== columns.length) throw new StateFormatError(`state CSV line ${line}: ${row.length} fields, expected ${columns.length} (${columns.join(',')})`);
    const field = (name: string) => {
      const i = columns.indexOf(name);
      return i < 0 ? '' : row[i].trim();
    };
    const benchmark = field('benchmark');
    const reward = field('reward');
    const walltime = field('walltime');
    const commandline = field('commandline');
    if (!benchmark) throw new StateFormatError(`state CSV line ${line}: empty benchmark`);
    const r = reward === '' ? null : Number(reward);
    if (r !== null && !Number.isFinite(r)) throw new StateFormatError(`state CSV line ${line}: reward '${reward}' is not a number`);
    const w = walltime === '' ? 0 : Number(walltime);
    if (!Number.isFinite(w) || w < 0) throw new StateFormatError(`state CSV line ${line}: walltime '${walltime}' is not a non-negative number`);
    if (!commandline) throw new StateFormatError(`state CSV line ${line}: empty commandline`);
    return { benchmark, reward: r, walltime: w, commandline };
  });
}

/**
 * CompilerGym's state equality (`CompilerEnvState.__eq__`): same benchmark and command line, and,
 * when both states have a reward, rewards closer than `tolerance`; wall time is ignored.
 */
export function statesEqual(a: CompilerEnvState, b: CompilerEnvState, tolerance = REWARD_EPSILON): boolean {
  if (a.benchmark !== b.benchmark || a.commandline !== b.commandline) return false;
  if (a.reward === null || b.reward === null) return true;
  return Math.abs(a.reward - b.reward) < tolerance;
}
