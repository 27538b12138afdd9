/**
 * Training metrics of a run: one CSV row per update in `metrics.csv` (CleanRL's names), and the
 * learning curves drawn from it to `curves.svg` and `curves.png` (Vega-Lite, one panel per metric
 * against environment steps).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../../env/cache';
import { renderSvg, svgToPng } from '../report/chart';
import type { UpdateMetrics } from './ppo';

/** One update's row. */
export interface UpdateRecord extends UpdateMetrics {
  update: number;
  global_step: number;
  /** Episodes that finished during the update's rollout. */
  episodes: number;
  /** Mean return of those episodes (NaN when none finished). */
  episodic_return: number;
  episodic_length: number;
  /** Environment steps per second since the run (or resume) started. */
  SPS: number;
  /** Wall seconds since the run started (over resumes). */
  seconds: number;
  /** Seconds of this update's rollout (environment steps and policy forward passes). */
  rollout_seconds: number;
  /** Seconds of this update's PPO optimisation. */
  update_seconds: number;
}

/** CSV column order. */
export const METRIC_COLUMNS: ReadonlyArray<keyof UpdateRecord> = [
  'update', 'global_step', 'seconds', 'SPS', 'rollout_seconds', 'update_seconds', 'episodes', 'episodic_return', 'episodic_length', 'learning_rate',
  'policy_loss', 'value_loss', 'entropy', 'old_approx_kl', 'approx_kl', 'clipfrac', 'explained_variance', 'grad_norm',
];

/** Panels of the curves figure. */
const PLOTTED: ReadonlyArray<keyof UpdateRecord> = ['episodic_return', 'policy_loss', 'value_loss', 'entropy', 'approx_kl', 'clipfrac', 'explained_variance', 'SPS'];

/** Appends rows to `file` (writing the header when the file is new). */
export function appendMetrics(file: string, rows: readonly UpdateRecord[]): void {
  const header = !fs.existsSync(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, stringify(rows.map((r) => METRIC_COLUMNS.map((c) => r[c])), { header, columns: METRIC_COLUMNS as string[] }));
}

/** Reads `metrics.csv` back (numbers; empty or NaN cells become NaN). */
export function readMetrics(file: string): UpdateRecord[] {
  if (!fs.existsSync(file)) return [];
  const rows = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? NaN : Number(v)])) as unknown as UpdateRecord);
}

/** Drops rows of updates after `update` (a resumed run rewrites them). */
export function truncateMetrics(file: string, update: number): void {
  const kept = readMetrics(file).filter((r) => r.update <= update);
  fs.rmSync(file, { force: true });
  if (kept.length) appendMetrics(file, kept);
}

/**
 * Draws the learning curves of `rows` to `svgFile` and the same with `.png`.
 * @param title the figure's title (e.g. the run's name).
 */
export async function drawCurves(rows: readonly UpdateRecord[], svgFile: string, title: string): Promise<void> {
  const values = rows.flatMap((r) => PLOTTED.filter((m) => Number.isFinite(r[m])).map((m) => ({ global_step: r.global_step, metric: m, value: r[m] })));
  const svg = await renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    facet: { field: 'metric', type: 'nominal', sort: PLOTTED, title: null },
    columns: 4,
    spec: {
      width: 220,
      height: 140,
      mark: { type: 'line', point: rows.length < 30 },
      encoding: {
        x: { field: 'global_step', type: 'quantitative', title: 'environment steps' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  });
  writeFileAtomic(svgFile, svg);
  writeFileAtomic(svgFile.replace(/\.svg$/, '.png'), svgToPng(svg));
}
