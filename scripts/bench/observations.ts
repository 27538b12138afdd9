/**
 * `passgym bench observations`: milliseconds per observation space, per benchmark, beside the
 * cost of one step, in one run. Each space is observed `repeats` times on one state (the
 * benchmark after `mem2reg`) and the median reported; baseline spaces (`…O0`, `…O3`, `…Oz`) are
 * cached per benchmark after their first computation, so their first call is reported as well.
 * The step is `instcombine` applied to a fork of that state (median of `repeats`). Runtime runs
 * the program once per observation (`runtime_observation_count` 1, no warm-up).
 */
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { OBSERVATION_SPACES } from '../../env/observations';
import { loadManifest } from '../../env/datasets/install';

/** One benchmark's figures, in ms. */
export interface ObservationCosts {
  benchmark: string;
  instructions: number;
  step_ms: number;
  /** Per space: median ms, and for baselines the first (uncached) call's ms. */
  spaces: Record<string, { median_ms: number; first_ms: number } | { error: string }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * The default benchmarks: embedded-v0/qsort, and the two largest installed apps-v0 programs
 * when apps-v0 is installed.
 */
export function defaultObservationBenchmarks(): string[] {
  const apps = loadManifest('apps-v0');
  const largest = apps ? [...apps.entries].sort((a, b) => (b.instructions ?? 0) - (a.instructions ?? 0)).slice(0, 2).map((e) => `benchmark://apps-v0/${e.id}`) : [];
  return ['benchmark://embedded-v0/qsort', ...largest];
}

/**
 * Measures every observation space on each benchmark.
 * @param repeats observations (and steps) timed per space (≥ 1).
 */
export async function benchObservations(benchmarks: readonly string[], repeats: number): Promise<ObservationCosts[]> {
  const pool = new WorkerPool({ maxWorkers: 1 });
  const out: ObservationCosts[] = [];
  try {
    for (const benchmark of benchmarks) {
      const env = await make('llvm-v0', { pool });
      try {
        await env.reset({ benchmark });
        await env.step('mem2reg');
        await env.setParameter('runtime_observation_count', 1);
        await env.setParameter('runtime_warmup_runs_count', 0);
        const steps: number[] = [];
        for (let k = 0; k < repeats; k++) {
          const fork = await env.fork();
          const t0 = performance.now();
          await fork.step('instcombine');
          steps.push(performance.now() - t0);
          await fork.close();
        }
        const row: ObservationCosts = { benchmark, instructions: (await env.observe('IrInstructionCount')) as number, step_ms: median(steps), spaces: {} };
        for (const name of OBSERVATION_SPACES.keys()) {
          const times: number[] = [];
          try {
            for (let k = 0; k < repeats; k++) {
              const t0 = performance.now();
              await env.observe(name);
              times.push(performance.now() - t0);
            }
            row.spaces[name] = { median_ms: median(times), first_ms: times[0] };
          } catch (e) {
            row.spaces[name] = { error: (e as Error).message.split('\n')[0].slice(0, 120) };
          }
        }
        out.push(row);
      } finally {
        await env.close();
      }
    }
  } finally {
    pool.close();
  }
  return out;
}

/** The figures as a text table: one row per space, one column per benchmark. */
export function formatObservationCosts(rows: readonly ObservationCosts[]): string[] {
  const name = (u: string) => u.replace(/^benchmark:\/\//, '');
  const cell = (r: ObservationCosts, space: string) => {
    const v = r.spaces[space];
    if ('error' in v) return 'n/a';
    return Math.abs(v.first_ms - v.median_ms) > Math.max(1, v.median_ms) ? `${v.median_ms.toFixed(2)} (first ${v.first_ms.toFixed(0)})` : v.median_ms.toFixed(2);
  };
  const width = 26;
  const lines = [`${'ms per observation'.padEnd(24)}${rows.map((r) => `${name(r.benchmark)} (${r.instructions})`.padStart(width)).join('')}`];
  lines.push(`${'one step (instcombine)'.padEnd(24)}${rows.map((r) => r.step_ms.toFixed(2).padStart(width)).join('')}`);
  for (const space of OBSERVATION_SPACES.keys()) lines.push(`${space.padEnd(24)}${rows.map((r) => cell(r, space).padStart(width)).join('')}`);
  const errors = rows.flatMap((r) => Object.entries(r.spaces).flatMap(([s, v]) => ('error' in v ? [`  ${name(r.benchmark)} ${s}: ${v.error}`] : [])));
  if (errors.length) lines.push('n/a:', ...errors);
  return lines;
}
