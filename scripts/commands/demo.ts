/**
 * `passgym demo [--quick]`: the main job on the embedded default. Until the leaderboard lands,
 * it runs random search (reward IrInstructionCountOz) on every embedded-v0 benchmark, in
 * parallel over the worker pool, and prints what it found against -Oz.
 */
import os from 'node:os';
import type { CommandModule } from 'yargs';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';
import { randomSearch } from '../../agents/search/random';

export const demoCommand: CommandModule<object, { quick: boolean; seconds?: number; seed: number }> = {
  command: 'demo',
  describe: 'Random search on the embedded benchmarks, compared with -Oz',
  builder: (y) =>
    y
      .option('quick', { type: 'boolean', default: false, describe: 'a short budget (3 s a benchmark)' })
      .option('seconds', { type: 'number', describe: 'search budget per benchmark in seconds (default 15, 3 with --quick)' })
      .option('seed', { type: 'number', default: 0 }) as never,
  handler: async (argv) => {
    const seconds = argv.seconds ?? (argv.quick ? 3 : 15);
    const benchmarks = embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`);
    const lanes = Math.max(1, os.cpus().length);
    const pool = new WorkerPool({ maxWorkers: lanes });
    console.log(`PassGym demo: random search, ${seconds} s per benchmark, ${benchmarks.length} benchmarks, ${lanes} workers`);
    console.log('reward IrInstructionCountOz: 1.000 = as small as -Oz, > 1 = smaller than -Oz\n');
    const rows: string[] = [];
    let product = 1;
    try {
      const queue = [...benchmarks];
      await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          const env = await make('llvm-ic-v0', { pool });
          try {
            for (let b = queue.shift(); b; b = queue.shift()) {
              await env.reset({ benchmark: b, seed: argv.seed + lane });
              const o = (await env.observe('IrInstructionCountO0')) as number;
              const oz = (await env.observe('IrInstructionCountOz')) as number;
              const r = await randomSearch(env, { budgetSeconds: seconds });
              const best = Math.round(o - r.bestReward * Math.max(o - oz, 1));
              product *= oz / Math.max(best, 1);
              const line = `${b.padEnd(40)} -O0 ${String(o).padStart(5)}  -Oz ${String(oz).padStart(5)}  found ${String(best).padStart(5)}  reward ${r.bestReward.toFixed(3)}  (${r.steps} steps, ${(r.steps / r.seconds).toFixed(0)} steps/s)`;
              rows.push(line);
              console.log(line);
            }
          } finally {
            await env.close();
          }
        }),
      );
      console.log(`\ngeomean IR instruction count reduction vs -Oz: ${Math.pow(product, 1 / benchmarks.length).toFixed(3)}x`);
    } finally {
      pool.close();
    }
  },
};
