/**
 * Building the coreset (`passgym coreset build`), after Coreset-NVP (Liang et al., "Learning
 * Compiler Pass Orders using Coreset and Normalized Value Prediction", ICML 2023) and GRACE (2025),
 * on train splits only:
 *
 * 1. **Candidates.** On `searchPrograms` training programs, an evolutionary search of
 *    `searchBudget` compilations each (`evolve.ts`), seeded with -Oz's pipeline written in the
 *    action space (`level-sequence.ts`) and with the best sequences found on the programs searched
 *    before (so that good orderings spread across programs); the `keepPerProgram` best distinct
 *    sequences of each program become candidates, with `randomCandidates` random ones.
 * 2. **Coverage.** Every candidate is scored on every training program (one compilation each).
 * 3. **Selection.** The greedy coreset of at most `maxSize` sequences (`select.ts`).
 *
 * Every random draw derives from `seed`, and the programs and candidates are visited in a fixed
 * order. With one worker a build is a function of its options and the LLVM (up to step timeouts on a
 * loaded machine); with more, the order in which children finish steers the later draws.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { findLlvm } from '../../env/llvm/library';
import { actionSpaceFor } from '../../env/registry';
import { makeRng } from '../../env/spaces';
import { loadManifest } from '../../env/datasets/install';
import { splitBenchmarks } from '../leaderboard/harness';
import { agentContext, localSource } from '../context';
import { CORESET_FORMAT, CoresetArtifact, checkTrainOnly } from './artifact';
import { evolveSequences } from './evolve';
import { levelAsActions } from './level-sequence';
import { randomSequence } from './mutate';
import { greedyCoreset } from './select';
import { SequenceEvaluator, sequenceKey } from './sequence-evaluator';

/** Which training programs a build uses (defaults: `DEFAULT_TRAINING`). */
export interface TrainingSelection {
  /** libs-v0 units with -O0 instruction counts in [min, max]. */
  libs: { min: number; max: number };
  /** torture-v0 train programs with at least `min` instructions: every `every`-th by id. */
  torture: { min: number; every: number };
  /** csmith-v0 seeds 1..N. */
  csmithSeeds: number;
}

export const DEFAULT_TRAINING: TrainingSelection = { libs: { min: 200, max: 10_000 }, torture: { min: 50, every: 10 }, csmithSeeds: 20 };

/** Options of `buildCoreset`. */
export interface CoresetBuildOptions {
  /** Training programs (URIs, all in train splits); default: `trainingPrograms(DEFAULT_TRAINING)`. */
  programs?: string[];
  /** Programs the candidate search runs on (default 40): the largest libs-v0 units, then the largest others. */
  searchPrograms?: number;
  /** Compilations per searched program (default 120). */
  searchBudget?: number;
  /** Best distinct sequences kept per searched program (default 3). */
  keepPerProgram?: number;
  /** Random sequences (length 40) added to the candidates (default 16). */
  randomCandidates?: number;
  /** Largest coreset (default 50). */
  maxSize?: number;
  seed?: number;
  /** Local workers (default: one per core). */
  workers?: number;
  /** Per-compilation timeout, seconds (default 60). */
  timeoutSeconds?: number;
  log?: (line: string) => void;
}

/** CPU seconds (user + system) used so far by the live processes `pids` (Linux `/proc/PID/stat`; 0 elsewhere). */
function processCpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
    } catch {
      // the process has ended: its time is not counted
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Instruction counts of installed datasets' benchmarks, by URI. */
function instructionCounts(dataset: string): Map<string, number> {
  const m = loadManifest(dataset);
  return new Map((m?.entries ?? []).map((e) => [`benchmark://${dataset}/${e.id}`, e.instructions ?? 0]));
}

/**
 * The training programs of a selection, installing libs-v0 and torture-v0 when needed.
 * @returns URIs, sorted within each dataset: libs-v0, torture-v0, csmith-v0.
 */
export async function trainingPrograms(sel: TrainingSelection = DEFAULT_TRAINING): Promise<string[]> {
  const libs = await splitBenchmarks('libs-v0', 'train');
  const libsCount = instructionCounts('libs-v0');
  const torture = await splitBenchmarks('torture-v0', 'train');
  const tortureCount = instructionCounts('torture-v0');
  const big = torture.filter((u) => (tortureCount.get(u) ?? 0) >= sel.torture.min);
  return [
    ...libs.filter((u) => {
      const n = libsCount.get(u) ?? 0;
      return n >= sel.libs.min && n <= sel.libs.max;
    }),
    ...big.filter((_, i) => i % sel.torture.every === 0),
    ...Array.from({ length: sel.csmithSeeds }, (_, i) => `generator://csmith-v0/${i + 1}`),
  ];
}

/**
 * Builds a coreset and writes it to `out` (JSON, `artifact.ts`).
 * @throws PassGymError when a program is outside the train splits (before anything runs).
 */
export async function buildCoreset(out: string, options: CoresetBuildOptions = {}): Promise<CoresetArtifact> {
  const log = options.log ?? (() => undefined);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const programs = options.programs ?? (await trainingPrograms());
  checkTrainOnly(programs);
  const seed = options.seed ?? 0;
  const rng = makeRng(`coreset-${seed}`);
  const source = localSource({ workers: options.workers ?? os.cpus().length });
  const llvm = findLlvm();
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  try {
    const space = await actionSpaceFor(source.pool!, 'PassesAll');
    const actions = space.safeIndices();
    const oz = levelAsActions(space, llvm.tools.opt, 'Oz', new Set(actions));
    const open = (benchmark: string) => {
      const ctx = agentContext(source, { benchmark, budget: { steps: 1 }, seed });
      return SequenceEvaluator.open(() => ctx.makeEnv({ observationSpace: null, rewardSpace: null }), { lanes: source.parallelism, timeoutSeconds });
    };
    let compilations = 0;
    let passes = 0;

    // 1. Candidates from searches on the largest programs (libs-v0 first: the closest to real applications).
    const sizes = new Map([...instructionCounts('libs-v0'), ...instructionCounts('torture-v0')]);
    const bySize = (a: string, b: string) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0) || a.localeCompare(b);
    const libs = programs.filter((u) => u.startsWith('benchmark://libs-v0/')).sort(bySize);
    const others = programs.filter((u) => !u.startsWith('benchmark://libs-v0/')).sort(bySize);
    const nSearch = Math.min(programs.length, options.searchPrograms ?? 40);
    const searched = [...libs.slice(0, Math.ceil(nSearch * 0.75)), ...others].slice(0, nSearch).sort();
    const candidates = new Map<string, number[]>();
    const found: Array<{ actions: number[]; ratio: number }> = []; // the best of each searched program, for seeding later ones
    if (oz.length) candidates.set(sequenceKey(oz), oz);
    for (const [i, uri] of searched.entries()) {
      const ev = await open(uri);
      try {
        const transfer = [...found].sort((a, b) => b.ratio - a.ratio).slice(0, 7).map((f) => f.actions);
        const scores = await evolveSequences(ev, { budget: options.searchBudget ?? 120, actions, seeds: [oz, ...transfer], rng });
        const kept = scores.filter((s) => s.count !== null).slice(0, options.keepPerProgram ?? 3);
        for (const s of kept) candidates.set(sequenceKey(s.actions), [...s.actions]);
        if (kept.length) found.push({ actions: [...kept[0].actions], ratio: kept[0].ratio });
        compilations += ev.stats.compilations;
        passes += ev.stats.passes;
        log(`search ${i + 1}/${searched.length} ${uri}: best ${kept[0]?.ratio.toFixed(3) ?? 'none'}x -Oz (-Oz pipeline as actions ${scores.find((s) => sequenceKey(s.actions) === sequenceKey(oz))?.ratio.toFixed(3) ?? '-'}x), ${ev.stats.compilations} compilations`);
      } finally {
        await ev.close();
      }
    }
    for (let k = 0; k < (options.randomCandidates ?? 16); k++) {
      const r = randomSequence(actions, 40, rng);
      candidates.set(sequenceKey(r), r);
    }
    const pool = [...candidates.values()];

    // 2. Coverage: every candidate on every program.
    const ratios = pool.map(() => new Float64Array(programs.length));
    const floors = new Float64Array(programs.length);
    for (const [p, uri] of programs.entries()) {
      const ev = await open(uri);
      try {
        floors[p] = ev.emptyRatio;
        const scores = await ev.evaluateAll(pool);
        scores.forEach((s, c) => (ratios[c][p] = s.ratio));
        compilations += ev.stats.compilations;
        passes += ev.stats.passes;
        if ((p + 1) % 25 === 0 || p + 1 === programs.length) log(`coverage ${p + 1}/${programs.length} programs × ${pool.length} candidates`);
      } finally {
        await ev.close();
      }
    }

    // 3. Greedy selection.
    const maxSize = options.maxSize ?? 50;
    const chosen = greedyCoreset(ratios, floors, maxSize);
    const geomean = (row: ArrayLike<number>) => Math.exp(Array.from(row).reduce((s, v) => s + Math.log(Math.max(v, 1e-9)), 0) / programs.length);
    const bestOn = chosen.order.map(() => 0);
    for (let p = 0; p < programs.length; p++) {
      let b = -1;
      chosen.order.forEach((c, i) => {
        if (ratios[c][p] > floors[p] && (b < 0 || ratios[c][p] > ratios[chosen.order[b]][p])) b = i;
      });
      if (b >= 0) bestOn[b]++;
    }
    const cpu = process.cpuUsage(cpu0);
    const workerCpu = processCpuSeconds(source.pool!.workerPids);
    const artifact: CoresetArtifact = {
      format: CORESET_FORMAT,
      llvm: { major: llvm.major, version: llvm.version },
      actionSpace: { name: space.name, version: space.version },
      sequences: chosen.order.map((c, i) => ({ passes: pool[c].map((k) => space.names[k]), trainGeomean: geomean(ratios[c]), bestOn: bestOn[i] })),
      curve: chosen.curve,
      base: chosen.base,
      train: { programs, searched },
      build: {
        command: 'passgym coreset build',
        seed,
        searchPrograms: searched.length,
        searchBudget: options.searchBudget ?? 120,
        keepPerProgram: options.keepPerProgram ?? 3,
        randomCandidates: options.randomCandidates ?? 16,
        candidates: pool.length,
        ozPipelineLength: oz.length,
        compilations,
        passes,
        workers: source.parallelism,
        wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
        cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6 + workerCpu) * 10) / 10,
        date: new Date().toISOString(),
      },
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(artifact, null, 1)}\n`);
    return artifact;
  } finally {
    source.close();
  }
}
