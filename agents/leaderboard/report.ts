/**
 * LEADERBOARD.md and its charts, generated from the results files under `leaderboard/` (never
 * written by hand): one section per LLVM major version (results of different LLVMs are not
 * comparable: the passes, -Oz and the programs' -O0 bitcode all differ), in it one table per
 * dataset split, rows ordered by geomean IR instruction count reduction vs -Oz, and one SVG bar
 * chart per table beside LEADERBOARD.md. The same pieces build the demo's HTML report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ratioBarChart } from '../report/chart';
import { RESULTS_FORMAT, Results, summarise, ResultsSummary } from './results';

/** One leaderboard row: a results file and its summary. */
export interface BoardEntry {
  file: string;
  results: Results;
  summary: ResultsSummary;
}

/** Finds every PassGym results JSON under `dir` (recursively), sorted by path. */
export function loadEntries(dir: string): BoardEntry[] {
  const out: BoardEntry[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        let data: Results;
        try {
          data = JSON.parse(fs.readFileSync(p, 'utf8')) as Results;
        } catch (err) {
          throw new Error(`${p} is not valid JSON: ${(err as Error).message}`);
        }
        if (data?.meta?.format === RESULTS_FORMAT) out.push({ file: p, results: data, summary: summarise(data.rows) });
      }
    }
  };
  if (!fs.existsSync(dir)) throw new Error(`no results folder ${dir}`);
  walk(dir);
  return out;
}

/**
 * The board of an entry: `dataset (split)`; for a custom benchmark list, `dataset (custom: a, b, …)`
 * so that only rows over the same programs share a table (a geomean over other programs is not
 * comparable).
 */
export function boardKey(e: BoardEntry): string {
  const { dataset, split } = e.results.meta;
  if (split !== 'custom') return `${dataset} (${split})`;
  const ids = [...new Set(e.results.rows.map((r) => r.benchmark.replace(/^benchmark:\/\/[^/]+\//, '')))].sort();
  return `${dataset} (custom: ${ids.join(', ')})`;
}

/** Entries by the LLVM major version they were made with, lowest first. */
export function groupByLlvm(entries: readonly BoardEntry[]): Map<number, BoardEntry[]> {
  const groups = new Map<number, BoardEntry[]>();
  for (const e of entries) groups.set(e.results.meta.llvm.major, [...(groups.get(e.results.meta.llvm.major) ?? []), e]);
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}

/** Entries grouped by board (`boardKey`), best geomean first. */
export function groupByBoard(entries: readonly BoardEntry[]): Map<string, BoardEntry[]> {
  const groups = new Map<string, BoardEntry[]>();
  for (const e of entries) {
    const key = boardKey(e);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  for (const list of groups.values()) list.sort((a, b) => (b.summary.geomeanIrVsOz ?? 0) - (a.summary.geomeanIrVsOz ?? 0));
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

const fmt = (v: number | null, d = 3) => (v === null ? 'n/a' : v.toFixed(d));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)}%`);

/** The Markdown table of one board. `linkBase` is the folder links are relative to. */
export function markdownTable(entries: readonly BoardEntry[], linkBase: string): string {
  const lines = [
    '| agent | geomean IR count vs -Oz | mean % below -Oz | geomean .text vs -Oz | mean walltime (s) | mean compilations | mean passes | benchmarks × runs | validated | LLVM | machine | date | results |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|',
  ];
  for (const e of entries) {
    const m = e.results.meta;
    const v = e.results.validation;
    const validated = v ? (v.ok ? `yes (${v.rows} rows)` : `**${v.failed} of ${v.rows} failed**`) : 'not yet';
    const failed = e.summary.failed ? ` (${e.summary.failed} failed)` : '';
    const rel = path.relative(linkBase, e.file).split(path.sep).join('/').replace(/\.json$/, '.csv');
    lines.push(
      `| ${m.label} | ${fmt(e.summary.geomeanIrVsOz)}× | ${pct(e.summary.meanReductionVsOzPercent)} | ${fmt(e.summary.geomeanTextVsOz)}× | ${fmt(e.summary.meanWalltime, 1)} | ${Math.round(e.summary.meanSteps)} | ${Math.round(e.summary.meanPasses)} | ${e.summary.rows}${failed} | ${validated} | ${m.llvm.version} | ${m.machine.cores}× ${m.machine.cpu} | ${m.date.slice(0, 10)} | [csv](${rel}) |`,
    );
  }
  return lines.join('\n');
}

/** A horizontal bar chart (SVG) of the geomeans of one board, with a rule at 1.0 (-Oz). */
export function boardChart(title: string, entries: readonly BoardEntry[]): Promise<string> {
  const values = entries.filter((e) => e.summary.geomeanIrVsOz !== null).map((e) => ({ label: e.results.meta.label, ratio: e.summary.geomeanIrVsOz! }));
  return ratioBarChart(`${title}: geomean IR instruction count reduction vs -Oz`, values, { valueLabels: true });
}

/** File-name form of a board key: `apps-v0 (test)` -> `apps-v0-test`. */
export function boardSlug(key: string): string {
  return key.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/-+$/, '');
}

/**
 * Writes `outFile` (LEADERBOARD.md) and one `leaderboard-<board>.svg` per board beside it from
 * the results under `dir`.
 * @returns the paths written.
 * @throws Error when `dir` is missing or holds no results.
 */
export async function writeReport(dir: string, outFile: string): Promise<string[]> {
  const entries = loadEntries(dir);
  if (entries.length === 0) throw new Error(`no PassGym results files (*.json with format ${RESULTS_FORMAT}) under ${dir}`);
  const base = path.dirname(path.resolve(outFile));
  const written: string[] = [];
  const parts = [
    '# PassGym leaderboard',
    '',
    '<!-- Generated by `passgym leaderboard report` from the results files under leaderboard/. Do not edit by hand. -->',
    '',
    "Task: llvm-ic-v0 (CompilerGym's leaderboard task): minimise the LLVM IR instruction count of each",
    "program of a dataset split, reward IrInstructionCountOz. Score: geometric mean over programs (and runs) of",
    '`n_Oz / n_agent`, the IR instruction count reduction relative to `opt -Oz` (above 1.0 is smaller than -Oz).',
    'Also reported: the same ratio for the .text section of the object file, and the mean wall time an',
    'agent spent per program. Every row is a state CSV (`benchmark,reward,walltime,commandline`) that',
    '`passgym leaderboard validate` replays with the stock `opt` of the same LLVM version, recounting',
    'instructions and running the programs of runnable datasets against their -O0 output.',
    '',
  ];
  const byLlvm = groupByLlvm(entries);
  parts.push(`Sections: ${[...byLlvm.keys()].map((m) => `[LLVM ${m}](#llvm-${m})`).join(', ')}. Results of different LLVM versions are not comparable (other passes, another -Oz, other -O0 bitcode).`, '');
  for (const [major, inVersion] of byLlvm) {
    const versions = [...new Set(inVersion.map((e) => e.results.meta.llvm.version))].join(', ');
    parts.push(`## LLVM ${major}`, '', `Made with LLVM ${versions} (\`PASSGYM_LLVM=${major}\`).`, '');
    for (const [key, list] of groupByBoard(inVersion)) {
      const svgName = `leaderboard-llvm${major}-${boardSlug(key)}.svg`;
      const svgPath = path.join(base, svgName);
      fs.writeFileSync(svgPath, await boardChart(`LLVM ${major}, ${key}`, list));
      written.push(svgPath);
      const workers = [...new Set(list.map((e) => e.results.meta.workers))].join('/');
      parts.push(`### ${key}`, '', `![LLVM ${major}, ${key}](${svgName})`, '', markdownTable(list, base), '', `Workers per run: ${workers}.`, '');
    }
  }
  fs.writeFileSync(outFile, parts.join('\n'));
  written.unshift(path.resolve(outFile));
  return written;
}
