/**
 * Sample efficiency of MCTS against random search, as the Reasoning Compiler measures it (Tang et
 * al., 2025: the compilations a search needs to reach a given quality, compared with a baseline):
 * for each benchmark,
 *  1. random search (`random` agent) runs `--random-budget` compilations (default 1,000) with
 *     `--random-seeds` seeds; the target is the mean of their replayed rewards (IrInstructionCountOz);
 *  2. MCTS with each prior runs up to `--mcts-budget` compilations; from its improvement trace we
 *     read the compilations it needed to reach the target;
 *  3. sample efficiency = random budget / MCTS compilations to the target (> 1: MCTS needs fewer).
 * Every reward is the harness's replay of the returned actions (`runAgentOnBenchmark`), never the
 * agent's own figure.
 *
 * Priors: `uniform`, `policy` (the committed PPO policy) or `policy:CHECKPOINT_DIR`, `llm` (needs `--llm-base-url`), and `llm-standin`:
 * the LLM prior's whole path (prompt, HTTP, validation, cache, budget) against a local stand-in
 * server that answers every prompt with one fixed ranked list (`STANDIN_PROPOSALS`). The stand-in
 * is not a language model; its row measures the plumbing and a fixed hand-written prior.
 *
 *   node dist/scripts/bench/sample-efficiency.js --benchmarks zopfli toast bzip2 --priors uniform llm-standin
 *       [--random-budget 1000] [--random-seeds 3] [--mcts-budget 1000] [--workers 2] [--out FILE.json]
 */
import fs from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { localSource } from '../../agents/context';
import { createAgent, parseAgentOptions } from '../../agents/registry';
import { runAgentOnBenchmark } from '../../agents/leaderboard/harness';
import type { ResultRow } from '../../agents/leaderboard/results';
import type { AgentOptions } from '../../agents/agent';
import { proposalsJson, startStandIn, StandIn } from '../../agents/llm-prior/standin-server';
import { WorkerPool } from '../../env/session/pool';

/** What the stand-in answers to every prompt: passes that shrink -O0 code on most programs. */
export const STANDIN_PROPOSALS: string[][] = [['sroa'], ['instcombine'], ['simplifycfg'], ['early-cse<memssa>'], ['gvn']];

/** One MCTS measurement. */
interface MctsRow {
  prior: string;
  reward: number | null;
  compilations: number;
  /** Compilations to reach the random target, or null when not reached within the budget. */
  toTarget: number | null;
  efficiency: number | null;
  seconds: number;
  stats: Record<string, number | string>;
  error?: string;
}

/** The first compilation count at which the trace (`c:v c:v ...`) reaches `target`, or null. */
export function compilationsToReach(trace: string, target: number): number | null {
  for (const item of trace.split(' ').filter(Boolean)) {
    const [c, v] = item.split(':').map(Number);
    if (v >= target - 1e-9) return c;
  }
  return null;
}

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .option('benchmarks', { type: 'string', array: true, default: ['zopfli', 'toast', 'bzip2'], describe: 'apps-v0 ids or URIs' })
    .option('priors', { type: 'string', array: true, default: ['uniform'], describe: 'uniform | policy | policy:DIR | llm | llm-standin' })
    .option('random-budget', { type: 'number', default: 1000 })
    .option('random-seeds', { type: 'number', default: 3 })
    .option('mcts-budget', { type: 'number', default: 1000 })
    .option('mcts-options', { type: 'string', default: '', describe: 'extra key=value,... for every MCTS run' })
    .option('llm-base-url', { type: 'string' })
    .option('llm-model', { type: 'string' })
    .option('workers', { type: 'number', default: 2 })
    .option('out', { type: 'string', describe: 'write every row as JSON here' })
    .strict()
    .parse();
  const uris = a.benchmarks.map((b) => (b.includes('://') ? b : `benchmark://apps-v0/${b}`));
  const source = localSource({ workers: a.workers });
  const replayPool = new WorkerPool({ maxWorkers: 1 });
  let standIn: StandIn | null = null;
  const report: Array<{ benchmark: string; random: ResultRow[]; target: number; mcts: MctsRow[] }> = [];
  const extra = parseAgentOptions(a['mcts-options']);
  try {
    for (const benchmark of uris) {
      const random: ResultRow[] = [];
      for (let seed = 0; seed < a['random-seeds']; seed++) {
        const row = await runAgentOnBenchmark(await createAgent('random'), source, replayPool, benchmark, seed, { steps: a['random-budget'] });
        if (row.error) throw new Error(`random search failed on ${benchmark}: ${row.error}`);
        random.push(row);
        console.error(`${benchmark} random seed ${seed}: ${row.reward!.toFixed(4)} in ${row.walltime.toFixed(1)} s`);
      }
      const target = random.reduce((s, r) => s + r.reward!, 0) / random.length;
      const mcts: MctsRow[] = [];
      for (const prior of a.priors) {
        const options: AgentOptions = { ...extra, prior: prior === 'llm-standin' ? 'llm' : prior };
        if (prior === 'llm-standin') {
          standIn ??= await startStandIn(() => ({ content: proposalsJson(...STANDIN_PROPOSALS) }));
          options.llmBaseUrl = standIn.baseUrl;
        } else if (prior === 'llm') {
          if (!a['llm-base-url']) throw new Error('--priors llm needs --llm-base-url');
          options.llmBaseUrl = a['llm-base-url'];
          if (a['llm-model']) options.llmModel = a['llm-model'];
        }
        const agent = await createAgent('mcts', options);
        const row = await runAgentOnBenchmark(agent, source, replayPool, benchmark, 0, { steps: a['mcts-budget'] });
        await agent.close?.();
        const toTarget = row.error ? null : compilationsToReach(String(row.stats.trace ?? ''), target);
        mcts.push({
          prior, reward: row.reward, compilations: row.steps, toTarget, efficiency: toTarget ? a['random-budget'] / toTarget : null,
          seconds: row.walltime, stats: row.stats, error: row.error,
        });
        console.error(`${benchmark} mcts ${prior}: ${row.error ?? `${row.reward!.toFixed(4)} in ${row.walltime.toFixed(1)} s, target ${target.toFixed(4)} reached at ${toTarget ?? 'never'}`}`);
      }
      report.push({ benchmark, random, target, mcts });
      if (a.out) fs.writeFileSync(a.out, JSON.stringify({ randomBudget: a['random-budget'], mctsBudget: a['mcts-budget'], rows: report }, null, 1));
    }
  } finally {
    await standIn?.close();
    replayPool.close();
    source.close();
  }
  console.log(`| benchmark | random @${a['random-budget']} (mean of ${a['random-seeds']}) | prior | MCTS reward @${a['mcts-budget']} | compilations to random's reward | sample efficiency | MCTS s | random s |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of report) {
    const rs = r.random.map((x) => x.reward!.toFixed(4)).join(', ');
    const rt = (r.random.reduce((s, x) => s + x.walltime, 0) / r.random.length).toFixed(0);
    for (const m of r.mcts) {
      console.log(
        `| ${r.benchmark.replace('benchmark://', '')} | ${r.target.toFixed(4)} (${rs}) | ${m.prior} | ${m.reward?.toFixed(4) ?? m.error} | ${m.toTarget ?? `not within ${a['mcts-budget']}`} | ${m.efficiency ? `${m.efficiency.toFixed(2)}×` : '–'} | ${m.seconds.toFixed(0)} | ${rt} |`,
      );
    }
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
