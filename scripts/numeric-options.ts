/**
 * The allowed range of every numeric option of every `passgym` command, checked in one place
 * (a yargs `check` in cli.ts) before any command runs. yargs parses a `number` option that is not a
 * number as NaN; this turns that and any out-of-range value into one line naming the flag and
 * what it accepts.
 */

/** What a numeric option accepts. */
export interface NumericRange {
  /** Whole numbers only. */
  integer?: boolean;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Values must be strictly greater than this. */
  above?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
}

const positiveInt: NumericRange = { integer: true, min: 1 };
const positiveSeconds: NumericRange = { above: 0 };
const nonNegativeInt: NumericRange = { integer: true, min: 0 };

/** Numeric options by flag name, for every command (a flag has one meaning everywhere). */
export const NUMERIC_OPTIONS: Readonly<Record<string, NumericRange>> = {
  'budget-seconds': positiveSeconds,
  'budget-steps': positiveInt,
  'time-budget': positiveSeconds,
  'step-budget': positiveInt,
  seconds: positiveSeconds,
  workers: positiveInt,
  'workers-per-endpoint': positiveInt,
  'endpoint-workers': positiveInt,
  runs: positiveInt,
  steps: positiveInt,
  seed: { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  k: positiveInt,
  envs: positiveInt,
  horizon: positiveInt,
  history: nonNegativeInt,
  'num-steps': positiveInt,
  'num-minibatches': positiveInt,
  'update-epochs': positiveInt,
  'total-steps': positiveInt,
  'checkpoint-every': positiveInt,
  'stop-after-updates': positiveInt,
  'learning-rate': positiveSeconds,
  'ent-coef': { min: 0 },
  'reward-clip': { above: 0 },
  'min-oz-reduction': { min: 0 },
  'max-instructions': positiveInt,
  'session-timeout': positiveSeconds,
  'step-timeout': positiveSeconds,
  'max-message-bytes': { integer: true, min: 1024 },
  'max-sessions': positiveInt,
  'max-sessions-per-client': positiveInt,
  'runtime-budget-seconds': positiveSeconds,
  requests: positiveInt,
  clients: positiveInt,
  'open-sessions': nonNegativeInt,
  'co-runners-per-core': positiveInt,
  repeats: positiveInt,
  'csmith-seeds': nonNegativeInt,
  epochs: positiveInt,
  'max-vocabulary': { integer: true, min: 2 },
  llvm: { integer: true, min: 10, max: 99 },
};

/** "a whole number ≥ 1", "a number > 0", … */
export function describeRange(r: NumericRange): string {
  const kind = r.integer ? 'a whole number' : 'a number';
  const bounds = [r.min !== undefined ? `≥ ${r.min}` : '', r.above !== undefined ? `> ${r.above}` : '', r.max !== undefined ? `≤ ${r.max}` : ''].filter(Boolean);
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}

/** Whether `v` is in range `r`. */
function accepts(r: NumericRange, v: number): boolean {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.min !== undefined && v < r.min) return false;
  if (r.above !== undefined && v <= r.above) return false;
  return r.max === undefined || v <= r.max;
}

/**
 * Checks the parsed arguments against NUMERIC_OPTIONS (arrays element by element).
 * @throws Error `--FLAG must be …, got VALUE` for the first bad value.
 */
export function checkNumericOptions(argv: Record<string, unknown>, raw: readonly string[] = []): true {
  for (const [name, range] of Object.entries(NUMERIC_OPTIONS)) {
    const value = argv[name];
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'number' && accepts(range, v)) continue;
      // NaN is what yargs makes of "abc": show what was typed.
      const typed = Number.isNaN(v) ? rawValue(raw, name) ?? String(v) : String(v);
      throw new Error(`--${name} must be ${describeRange(range)}, got ${typed}`);
    }
  }
  return true;
}

/** The text typed after `--name` (or in `--name=text`), for messages. */
function rawValue(raw: readonly string[], name: string): string | undefined {
  for (let k = 0; k < raw.length; k++) {
    if (raw[k] === `--${name}`) return raw[k + 1];
    if (raw[k].startsWith(`--${name}=`)) return raw[k].slice(name.length + 3);
  }
  return undefined;
}
