/**
 * Two results files side by side, program by program: on how many benchmarks one agent ends with
 * fewer IR instructions than the other, and how long the sequences behind the final states are.
 * The leaderboard's geomean says which agent is ahead; this says where.
 */
import { commandlineElements } from '../../env/actions/commandline';
import { geomean, type Results, type ResultRow } from './results';

/** One benchmark × run on which the two files end with different instruction counts. */
export interface ComparedRow {
  benchmark: string;
  run: number;
  irInstructionCountO0: number;
  irInstructionCountOz: number;
  /** Final IR instruction count of A and of B. */
  a: number;
  b: number;
  /** Actions in A's and B's final command lines. */
  actionsA: number;
  actionsB: number;
}

/** What `compareResults` finds; every count is over the rows completed in both files. */
export interface Comparison {
  /** Benchmark × run pairs completed in both files. */
  common: number;
  /** Rows where A ends with fewer, more, or as many IR instructions as B. */
  fewer: number;
  more: number;
  equal: number;
  /** Geomean of n_Oz / n of A and of B over the common rows (as `summarise`). */
  geomeanA: number;
  geomeanB: number;
  /** Median number of actions in the final command lines of A and of B, over the common rows. */
  medianActionsA: number;
  medianActionsB: number;
  /** The rows that differ, A's best first (largest log(b / a)). */
  differing: ComparedRow[];
}

/** Median of `values` (mean of the two middle ones for an even count; NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const completed = (r: ResultRow) => !r.error && r.irInstructionCount !== null && r.irInstructionCountOz !== null;

/**
 * Compares results file A with B, matching rows by benchmark and run.
 * @throws Error when the files share no completed benchmark × run.
 */
export function compareResults(a: Results, b: Results): Comparison {
  const key = (r: ResultRow) => `${r.benchmark}#${r.run}`;
  const rowsB = new Map(b.rows.filter(completed).map((r) => [key(r), r]));
  const pairs = a.rows.filter(completed).flatMap((ra) => {
    const rb = rowsB.get(key(ra));
    return rb ? [[ra, rb] as const] : [];
  });
  if (pairs.length === 0) throw new Error(`${a.meta.label} and ${b.meta.label} have no completed benchmark in common`);
  const score = (rows: ResultRow[]) => geomean(rows.map((r) => r.irInstructionCountOz! / r.irInstructionCount!)) ?? NaN;
  const rows = pairs.map(([ra, rb]) => ({
    benchmark: ra.benchmark,
    run: ra.run,
    irInstructionCountO0: ra.irInstructionCountO0 ?? NaN,
    irInstructionCountOz: ra.irInstructionCountOz!,
    a: ra.irInstructionCount!,
    b: rb.irInstructionCount!,
    actionsA: commandlineElements(ra.commandline).length,
    actionsB: commandlineElements(rb.commandline).length,
  }));
  const differing = rows.filter((r) => r.a !== r.b).sort((x, y) => Math.log(y.b / y.a) - Math.log(x.b / x.a));
  return {
    common: rows.length,
    fewer: rows.filter((r) => r.a < r.b).length,
    more: rows.filter((r) => r.a > r.b).length,
    equal: rows.filter((r) => r.a === r.b).length,
    geomeanA: score(pairs.map(([ra]) => ra)),
    geomeanB: score(pairs.map(([, rb]) => rb)),
    medianActionsA: median(rows.map((r) => r.actionsA)),
    medianActionsB: median(rows.map((r) => r.actionsB)),
    differing,
  };
}
