/**
 * Does one multistep reach the state that the same actions reach one step at a time? For each
 * benchmark (default: embedded-v0 and csmith-v0 seeds 2, 5, 8), seeded random 30-action
 * sequences are applied three times in fresh sessions: stepped, stepped again, and as one
 * multistep. Prints how often the final IrSha1 differs between the two stepped runs and between
 * stepped and multistep, for sequences of deterministic actions only and for sequences with
 * `attributor` (declared nondeterministic) at a random position. If the two rates with
 * attributor are alike and both are 0 without it, the multistep difference is attributor's
 * nondeterminism and not the pipeline form.
 *
 *   node dist/scripts/bench/step-vs-multistep.js [--sequences N] [URI ...]
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import seedrandom from 'seedrandom';
import { WorkerPool } from '../../env/session/pool';
import { make } from '../../env/registry';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';

async function finalSha(pool: WorkerPool, uri: string, actions: string[], multistep: boolean): Promise<string> {
  const sid = await pool.startSession(uri);
  try {
    if (multistep) await pool.step(sid, actions, []);
    else for (const a of actions) await pool.step(sid, [a], []);
    return String((await pool.observe(sid, ['IrSha1'])).IrSha1);
  } finally {
    await pool.endSession(sid);
  }
}

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .usage('$0 [--sequences N] [URI ...]')
    .option('sequences', { type: 'number', default: 5, describe: 'sequences per benchmark and kind' })
    .strictOptions()
    .parse();
  const uris = a._.length
    ? a._.map(String)
    : [...embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`), ...[2, 5, 8].map((s) => `generator://csmith-v0/${s}`)];
  const pool = new WorkerPool({ maxWorkers: 1 });
  const probe = await make('llvm-v0', { pool });
  const space = probe.actionSpace;
  await probe.close();
  const deterministic = space.names.filter((_, k) => space.metadata[k].deterministic);
  const rng = seedrandom('step-vs-multistep');
  const counts = {
    deterministic: { sequences: 0, steppedTwiceDiffer: 0, multistepDiffers: 0 },
    withAttributor: { sequences: 0, steppedTwiceDiffer: 0, multistepDiffers: 0 },
  };
  try {
    for (const uri of uris) {
      for (const kind of ['deterministic', 'withAttributor'] as const) {
        for (let t = 0; t < a.sequences; t++) {
          const actions = Array.from({ length: 30 }, () => deterministic[Math.floor(rng() * deterministic.length)]);
          if (kind === 'withAttributor') actions[Math.floor(rng() * actions.length)] = 'attributor';
          const stepped = await finalSha(pool, uri, actions, false);
          const again = await finalSha(pool, uri, actions, false);
          const multi = await finalSha(pool, uri, actions, true);
          const c = counts[kind];
          c.sequences++;
          if (again !== stepped) c.steppedTwiceDiffer++;
          if (multi !== stepped) c.multistepDiffers++;
        }
      }
    }
  } finally {
    pool.close();
  }
  console.log(JSON.stringify({ benchmarks: uris.length, ...counts }, null, 1));
}

void main();
