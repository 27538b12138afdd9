/**
 * A self-contained HTML report of leaderboard runs (the demo's output): per dataset with more
 * than one run, a chart of the agents side by side; per run, the summary, a bar chart of each
 * benchmark's IR instruction count reduction vs -Oz (inline SVG), and the per-benchmark table
 * with validation verdicts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { agentComparisonChart, ratioBarChart } from '../report/chart';

import type { Results } from './results';
import { geomean, summarise } from './results';
import type { RowValidation } from './validate';

/** One run shown in the report. */
export interface HtmlRun {
  title: string;
  results: Results;
  /** Validation verdicts of the CSV rows (in CSV order), when validated. */
  validation?: RowValidation[];
  csvPath: string;
  /** The agent's name in the comparison chart (default: the results' label). */
  agent?: string;
}

const shortName = (uri: string) => uri.replace(/^benchmark:\/\/[^/]+\//, '');

/**
 * The chart of the agents run on one dataset, per benchmark and their geomean, or '' when the
 * dataset has one run.
 */
function comparisonChart(dataset: string, runs: readonly HtmlRun[]): Promise<string> {
  if (runs.length < 2) return Promise.resolve('');
  const values = runs.flatMap((run) => {
    const agent = run.agent ?? run.results.meta.label;
    const ok = run.results.rows.filter((r) => !r.error);
    const ratios = ok.map((r) => ({ agent, label: shortName(r.benchmark), ratio: r.irInstructionCountOz! / r.irInstructionCount! }));
    return ratios.length ? [{ agent, label: 'geomean', ratio: geomean(ratios.map((r) => r.ratio))! }, ...ratios] : [];
  });
  return agentComparisonChart(`${dataset}: the agents side by side (IR instruction count reduction vs -Oz)`, values);
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function benchmarkChart(run: HtmlRun): Promise<string> {
  const values = run.results.rows
    .filter((r) => !r.error)
    .map((r) => ({ label: shortName(r.benchmark), ratio: r.irInstructionCountOz! / r.irInstructionCount! }));
  return ratioBarChart(`IR instruction count reduction vs -Oz per benchmark`, values, { valueLabels: true });
}

/**
 * Writes the report to `file` (creating its folder).
 * @returns the absolute path written.
 */
export async function writeHtmlReport(file: string, heading: string, runs: readonly HtmlRun[]): Promise<string> {
  const sections: string[] = [];
  const datasets = [...new Set(runs.map((r) => r.results.meta.dataset))];
  for (const dataset of datasets) {
    const chart = await comparisonChart(dataset, runs.filter((r) => r.results.meta.dataset === dataset));
    if (chart) sections.push(`<section>\n<h2>${esc(dataset)}: agents compared</h2>\n${chart}\n</section>`);
  }
  for (const run of runs) {
    const s = summarise(run.results.rows);
    const m = run.results.meta;
    const verdicts = new Map<string, RowValidation>();
    run.validation?.forEach((v) => verdicts.set(`${v.benchmark}#${v.row}`, v));
    let csvRow = 0;
    const rows = run.results.rows.map((r) => {
      if (r.error) return `<tr class="bad"><td>${esc(r.benchmark)}</td><td colspan="7">failed: ${esc(r.error)}</td></tr>`;
      csvRow++;
      const v = verdicts.get(`${r.benchmark}#${csvRow}`);
      const verdict = !run.validation ? 'not run' : v?.ok ? `ok (semantics ${esc(v.semantics)})` : `<b>FAILED</b>: ${esc(v?.error ?? 'missing')}`;
      return `<tr><td>${esc(r.benchmark)}</td><td>${r.irInstructionCountO0}</td><td>${r.irInstructionCountOz}</td><td>${r.irInstructionCount}</td><td>${(r.irInstructionCountOz! / r.irInstructionCount!).toFixed(3)}×</td><td>${r.objectTextSizeOz && r.objectTextSizeBytes ? (r.objectTextSizeOz / r.objectTextSizeBytes).toFixed(3) + '×' : 'n/a'}</td><td>${r.walltime.toFixed(1)}</td><td>${verdict}</td></tr>`;
    });
    sections.push(`<section>
<h2>${esc(run.title)}</h2>
<p>Agent <code>${esc(m.label)}</code> on ${esc(m.dataset)} (${m.split === 'custom' ? `the ${run.results.rows.length} program${run.results.rows.length === 1 ? '' : 's'} listed below` : `${esc(m.split)} split`}), LLVM ${esc(m.llvm.version)}, ${m.workers} workers, ${esc(m.machine.cpu)}, ${esc(m.date)}.<br>
Geomean IR instruction count reduction vs -Oz: <b>${s.geomeanIrVsOz?.toFixed(3) ?? 'n/a'}×</b>; .text size vs -Oz: ${s.geomeanTextVsOz?.toFixed(3) ?? 'n/a'}×; mean walltime ${s.meanWalltime.toFixed(1)} s; ${s.failed} failed. Results: <code>${esc(run.csvPath)}</code></p>
${await benchmarkChart(run)}
<table><thead><tr><th>benchmark</th><th>IR -O0</th><th>IR -Oz</th><th>IR found</th><th>vs -Oz</th><th>.text vs -Oz</th><th>walltime (s)</th><th>validation (stock opt)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</section>`);
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}tr.bad td{color:#a00}code{background:#f4f4f4;padding:0 .2em}</style>
</head><body><h1>${esc(heading)}</h1>
<p>Reward IrInstructionCountOz; a ratio n_Oz / n above 1 means a smaller program than <code>opt -Oz</code>. Every sequence was replayed with the stock <code>opt</code> and, for runnable programs, built and run against its -O0 output.</p>
${sections.join('\n')}
</body></html>
`;
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, html);
  return abs;
}
