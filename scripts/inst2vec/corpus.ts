/**
 * The corpus PassGym's inst2vec vocabulary and embedding are built from: the train splits only
 * (libs-v0, torture-v0's train split, csmith-v0 seeds), each program at three states (as parsed,
 * -O0; after `default<Oz>`; after `default<O3>`), so that the statements of optimised code are in
 * the vocabulary too. Each state is one JSON line:
 * `{uri, state, llvm, texts, nodes, edges}` where `texts` are the distinct preprocessed statements,
 * `nodes[i]` the index in `texts` of statement i, and `edges` contextualFlowEdges' flat list.
 *
 * Held out, for measuring the vocabulary's coverage only: embedded-v0 (the validation split,
 * installed if needed) and, when it is fully installed, apps-v0 (test), at the same states, in
 * `OUT.heldout.jsonl`. A summary goes to
 * `OUT.summary.json`.
 *
 * LLVM is loaded in this process (the one `PASSGYM_LLVM` selects), so `build.ts` runs this file as
 * a child process once per LLVM version:
 * `node dist/scripts/inst2vec/corpus.js OUT.jsonl CSMITH_SEEDS`.
 */
import fs from 'node:fs';
import { Llvm } from '../../env/llvm/llvm';
import { DATASET_RECIPES } from '../../env/datasets/registry';
import { installDataset, loadManifest } from '../../env/datasets/install';
import { splitOf } from '../../env/datasets/splits';
import { resolveBenchmark } from '../../env/benchmarks';
import { inst2vecStatements } from '../../env/observations/inst2vec-preprocess';
import { contextualFlowEdges } from './xfg';

/** The states each program contributes, and the pipeline that reaches each from -O0. */
export const CORPUS_STATES: ReadonlyArray<readonly [string, string | null]> = [
  ['O0', null],
  ['Oz', 'default<Oz>'],
  ['O3', 'default<O3>'],
];

/** One line of the corpus. */
export interface CorpusEntry {
  uri: string;
  state: string;
  llvm: number;
  texts: string[];
  nodes: number[];
  edges: number[];
}

/** One state's statements as a CorpusEntry. */
export function corpusEntry(uri: string, state: string, llvm: number, ir: string): CorpusEntry {
  const statements = inst2vecStatements(ir);
  const index = new Map<string, number>();
  const texts: string[] = [];
  const nodes = statements.map((s) => {
    let k = index.get(s.text);
    if (k === undefined) {
      k = texts.length;
      index.set(s.text, k);
      texts.push(s.text);
    }
    return k;
  });
  return { uri, state, llvm, texts, nodes, edges: contextualFlowEdges(statements) };
}

/**
 * The train-split benchmark URIs of the corpus, installing libs-v0 and torture-v0 if needed:
 * every libs-v0 unit, every torture-v0 program whose split is `train`, and csmith-v0 seeds
 * `1..csmithSeeds`.
 */
export async function corpusBenchmarks(csmithSeeds: number): Promise<string[]> {
  const uris: string[] = [];
  for (const name of ['libs-v0', 'torture-v0']) {
    const manifest = await installDataset(DATASET_RECIPES.get(name)!);
    for (const e of manifest.entries) if (splitOf(name, e.id) === 'train') uris.push(`benchmark://${name}/${e.id}`);
  }
  for (let seed = 1; seed <= csmithSeeds; seed++) uris.push(`generator://csmith-v0/${seed}`);
  return uris;
}

/** The held-out benchmarks: embedded-v0, and apps-v0 when it is installed (never installed here). */
export async function heldOutBenchmarks(): Promise<string[]> {
  const embedded = await installDataset(DATASET_RECIPES.get('embedded-v0')!);
  const apps = loadManifest('apps-v0');
  return [...embedded.entries.map((e) => `benchmark://embedded-v0/${e.id}`), ...(apps && !apps.only ? apps.entries.map((e) => `benchmark://apps-v0/${e.id}`) : [])];
}

/** What `OUT.summary.json` holds. */
export interface CorpusSummary {
  llvm: string;
  programs: number;
  states: number;
  skipped: string[];
  held_out_programs: number;
  seconds: number;
}

/**
 * Writes the corpus of the loaded LLVM to `out` (JSON lines, one per program and state), the
 * held-out states to `out.heldout.jsonl` and the summary to `out.summary.json`. A program that
 * cannot be built is reported through `log` and skipped.
 */
export async function writeCorpus(out: string, csmithSeeds: number, log: (line: string) => void): Promise<CorpusSummary> {
  const t0 = performance.now();
  const train = await writeStates(out, await corpusBenchmarks(csmithSeeds), log);
  const heldOut = await writeStates(`${out.replace(/\.jsonl$/, '')}.heldout.jsonl`, await heldOutBenchmarks(), log);
  const summary: CorpusSummary = {
    llvm: Llvm.get().version,
    programs: train.programs,
    states: train.lines,
    skipped: train.skipped,
    held_out_programs: heldOut.programs,
    seconds: (performance.now() - t0) / 1000,
  };
  fs.writeFileSync(`${out.replace(/\.jsonl$/, '')}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

async function writeStates(out: string, uris: readonly string[], log: (line: string) => void): Promise<{ lines: number; programs: number; skipped: string[] }> {
  const llvm = Llvm.get();
  const fd = fs.openSync(out, 'w');
  let lines = 0;
  const skipped: string[] = [];
  try {
    for (const [k, uri] of uris.entries()) {
      // All three states of a program, or none of them.
      let states: string[];
      try {
        const bytes = fs.readFileSync((await resolveBenchmark(uri)).path);
        states = CORPUS_STATES.map(([state, pipeline]) => {
          const m = llvm.parse(bytes, uri);
          try {
            if (pipeline !== null) m.runPasses(pipeline);
            return JSON.stringify(corpusEntry(uri, state, llvm.major, m.print()));
          } finally {
            m.dispose();
          }
        });
      } catch (e) {
        log(`skipped ${uri}: ${(e as Error).message.split('\n')[0]}`);
        skipped.push(uri);
        continue;
      }
      for (const line of states) fs.writeSync(fd, `${line}\n`);
      lines += states.length;
      if ((k + 1) % 100 === 0) log(`LLVM ${llvm.major}: ${k + 1}/${uris.length} programs`);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { lines, programs: uris.length - skipped.length, skipped };
}

if (require.main === module) {
  const [out, seeds] = process.argv.slice(2);
  if (!out || !/^\d+$/.test(seeds ?? '')) {
    process.stderr.write('usage: node dist/scripts/inst2vec/corpus.js OUT.jsonl CSMITH_SEEDS\n');
    process.exit(2);
  }
  writeCorpus(out, Number(seeds), (l) => process.stderr.write(`${l}\n`)).then(
    (r) => {
      process.stderr.write(`LLVM ${r.llvm}: ${r.states} states of ${r.programs} programs in ${out} (${r.skipped.length} skipped), ${r.seconds.toFixed(0)} s\n`);
      process.exit(0);
    },
    (e: Error) => {
      process.stderr.write(`inst2vec corpus: ${e.message}\n`);
      process.exit(1);
    },
  );
}
