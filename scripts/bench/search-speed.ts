/**
 * Search speed: evaluations (compilations) per second of the greedy and beam agents with 1 and 2
 * workers, and their transposition-table hit rate, in one run so that the ratio is measured under
 * the same machine load. Each agent runs a fixed number of compilations per benchmark with a
 * fresh pool of N workers; evaluations/s is the agent's own count over its own wall time
 * (`Evaluator.summary()`), the hit rate the share of (state, action) evaluations answered from the
 * table keyed by IrSha1.
 *
 *   node dist/scripts/bench/search-speed.js [--benchmarks qsort sha256] [--steps 600] [--json]
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { agentContext, localSource } from '../../agents/context';
import { createAgent } from '../../agents/registry';

interface Row {
  agent: string;
  benchmark: string;
  workers: number;
  compilations: number;
  seconds: number;
  evaluationsPerSecond: number;
  hitRate: number;
}

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .option('benchmarks', { type: 'array', default: ['qsort', 'sha256'], describe: 'embedded-v0 ids or benchmark URIs' })
    .option('agents', { type: 'array', default: ['greedy', 'beam'] })
    .option('steps', { type: 'number', default: 600, describe: 'compilations per run' })
    .option('json', { type: 'boolean', default: false })
    .strict()
    .parse();
  const rows: Row[] = [];
  for (const b of a.benchmarks.map(String)) {
    const benchmark = b.includes('://') ? b : `benchmark://embedded-v0/${b}`;
    for (const name of a.agents.map(String)) {
      for (const workers of [1, 2]) {
        const source = localSource({ workers });
        try {
          const agent = await createAgent(name);
          const t0 = performance.now();
          const r = await agent.run(agentContext(source, { benchmark, budget: { steps: a.steps }, seed: 0 }));
          const seconds = (performance.now() - t0) / 1000;
          const stats = r.stats ?? {};
          rows.push({
            agent: name,
            benchmark,
            workers,
            compilations: r.steps,
            seconds: Number(seconds.toFixed(2)),
            evaluationsPerSecond: Number(stats.evaluationsPerSecond ?? (r.steps / seconds).toFixed(1)),
            hitRate: Number(stats.hitRate ?? NaN),
          });
        } finally {
          source.close();
        }
      }
    }
  }
  if (a.json) {
    console.log(JSON.stringify(rows, null, 1));
    return;
  }
  console.log('| agent | benchmark | workers | compilations | evaluations/s | 2 / 1 workers | hit rate |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const one = rows.find((x) => x.agent === r.agent && x.benchmark === r.benchmark && x.workers === 1)!;
    const ratio = r.workers === 2 ? `${(r.evaluationsPerSecond / one.evaluationsPerSecond).toFixed(2)}×` : '';
    console.log(`| ${r.agent} | ${r.benchmark.replace('benchmark://', '')} | ${r.workers} | ${r.compilations} | ${r.evaluationsPerSecond} | ${ratio} | ${r.hitRate.toFixed(3)} |`);
  }
}

void main();
