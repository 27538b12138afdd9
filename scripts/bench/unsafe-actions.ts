/**
 * Finds the actions that miscompile on the loaded LLVM: applies each action alone, and after
 * `mem2reg`, to every runnable benchmark given (default: embedded-v0), and semantically
 * validates the result (build, run, compare with the -O0 output). Prints JSON
 * `{llvm, benchmarks, unsafe: {action: [failing "benchmark [prefix]" ...]}}`.
 *
 *   node dist/scripts/bench/unsafe-actions.js [URI ...]
 */
import os from 'node:os';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { findLlvm } from '../../env/llvm/library';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';
import type { LlvmEnv } from '../../env/env';

async function main(): Promise<void> {
  const uris = process.argv.slice(2).length ? process.argv.slice(2) : embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`);
  const pool = new WorkerPool({ maxWorkers: os.cpus().length });
  const unsafe: Record<string, string[]> = {};
  const jobs: Array<{ uri: string; actions: string[] }> = [];
  const probe = await make('llvm-ic-v0', { pool });
  const names = probe.actionSpace.names;
  await probe.close();
  for (const uri of uris) for (const a of names) for (const prefix of [[], ['mem2reg']]) jobs.push({ uri, actions: [...prefix, a] });
  let next = 0;
  await Promise.all(
    Array.from({ length: pool.maxWorkers }, async () => {
      const env: LlvmEnv = await make('llvm-ic-v0', { pool });
      try {
        for (let j = jobs[next++]; j; j = jobs[next++]) {
          await env.reset({ benchmark: j.uri });
          const r = await env.multistep(j.actions);
          if (r.info.error_type) continue; // crashes are handled by the pool, not a miscompilation
          const v = await env.validate();
          if (!v.ok && v.error && ['Miscompilation', 'RuntimeCrash', 'RuntimeTimeout'].includes(v.error.type)) {
            const a = j.actions[j.actions.length - 1];
            (unsafe[a] ??= []).push(`${j.uri.replace('benchmark://', '')}${j.actions.length > 1 ? ' after mem2reg' : ''}: ${v.error.type}`);
          }
        }
      } finally {
        await env.close();
      }
    }),
  );
  pool.close();
  console.log(JSON.stringify({ llvm: findLlvm().version, benchmarks: uris.length, checks: jobs.length, unsafe }, null, 1));
}

void main();
