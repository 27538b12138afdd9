/**
 * Finds the actions that miscompile on the loaded LLVM: applies each action alone, and after
 * `mem2reg`, to every runnable benchmark given (default: embedded-v0), and semantically
 * validates the result (build, run, compare with the -O0 output). Prints JSON
 * `{llvm, benchmarks, checks, unsafe: {action: [failing "benchmark [prefix]" ...]}}`; `--write`
 * records the actions found in `env/actions/metadata/llvm-N.json` (`metadata.ts`).
 *
 *   node dist/scripts/bench/unsafe-actions.js [--space NAME] [--write] [URI ...]
 */
import os from 'node:os';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { findLlvm } from '../../env/llvm/library';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';
import { ACTION_SPACE_NAMES, ActionSpaceName } from '../../env/actions/space';
import { writeMeasurement } from '../../env/actions/metadata';
import type { LlvmEnv } from '../../env/env';

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .usage('$0 [--space NAME] [--write] [URI ...]')
    .option('space', { choices: ACTION_SPACE_NAMES, default: 'PassesWithLevels' as ActionSpaceName, describe: 'action space to check' })
    .option('write', { type: 'boolean', default: false, describe: 'record the result in env/actions/metadata/llvm-N.json' })
    .strictOptions()
    .parse();
  const uris = a._.length ? a._.map(String) : embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`);
  const pool = new WorkerPool({ maxWorkers: os.cpus().length });
  const unsafe: Record<string, string[]> = {};
  const jobs: Array<{ uri: string; actions: string[] }> = [];
  const probe = await make('llvm-ic-v0', { pool, actionSpace: a.space });
  const space = probe.actionSpace;
  await probe.close();
  for (const uri of uris) for (const name of space.names) for (const prefix of [[], ['mem2reg']]) jobs.push({ uri, actions: [...prefix, name] });
  let next = 0;
  await Promise.all(
    Array.from({ length: pool.maxWorkers }, async () => {
      const env: LlvmEnv = await make('llvm-ic-v0', { pool, actionSpace: a.space });
      try {
        for (let j = jobs[next++]; j; j = jobs[next++]) {
          await env.reset({ benchmark: j.uri });
          const r = await env.multistep(j.actions);
          if (r.info.error_type) continue; // crashes are handled by the pool, not a miscompilation
          const v = await env.validate();
          if (!v.ok && v.error && ['Miscompilation', 'RuntimeCrash', 'RuntimeTimeout'].includes(v.error.type)) {
            const last = j.actions[j.actions.length - 1];
            (unsafe[last] ??= []).push(`${j.uri.replace('benchmark://', '')}${j.actions.length > 1 ? ' after mem2reg' : ''}: ${v.error.type}`);
          }
        }
      } finally {
        await env.close();
      }
    }),
  );
  pool.close();
  const llvm = findLlvm();
  console.log(JSON.stringify({ llvm: llvm.version, benchmarks: uris.length, checks: jobs.length, unsafe }, null, 1));
  if (a.write) {
    const file = writeMeasurement(llvm.major, llvm.version, 'miscompile', {
      command: `node dist/scripts/bench/unsafe-actions.js --space ${a.space} --write${a._.length ? ` ${uris.join(' ')}` : ''}`,
      summary: `${jobs.length} checks: every action alone and after mem2reg on ${uris.length} programs, each result built, run and compared with its -O0 output`,
      actionSpaceVersion: space.version,
      covered: [...space.names],
      found: Object.keys(unsafe).sort(),
    });
    console.error(`wrote ${file}`);
  }
}

void main();
