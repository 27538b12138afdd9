/**
 * Finds the actions whose output depends on more than their input IR. For each benchmark
 * (default: embedded-v0), seeded random sequences of 30 actions (from the whole space) are
 * applied to two copies of the benchmark in one process (two parses of its bitcode), one step on
 * each copy in turn so that their heap allocations interleave as in a long-lived worker, and the
 * two results' printed IR is compared after every step. The action at which a sequence's copies first differ depends on heap addresses or other
 * process state, so a PassGym worker and a stock `opt` run can disagree on it. Prints JSON
 * `{llvm, benchmarks, sequences, firstDivergence: {action: sequences that first differ there}}`;
 * `--write` records the actions found in `env/actions/metadata/llvm-N.json` (`metadata.ts`).
 * With `--fork-every-step` the second copy is replaced by its fork (`IrModule.fork()`, a copy in a
 * context of its own) before every step, which checks that forks behave like their originals.
 *
 *   node dist/scripts/bench/nondeterministic-actions.js [--sequences N] [--space NAME] [--fork-every-step] [--write] [URI ...]
 */
import fs from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import seedrandom from 'seedrandom';
import { Llvm } from '../../env/llvm/llvm';
import { findLlvm } from '../../env/llvm/library';
import { resolveBenchmark } from '../../env/benchmarks';
import { stepsPipeline } from '../../env/actions/commandline';
import { ACTION_SPACE_NAMES, ActionSpaceName, buildActionSpace } from '../../env/actions/space';
import { writeMeasurement } from '../../env/actions/metadata';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .usage('$0 [--sequences N] [--space NAME] [--fork-every-step] [--write] [URI ...]')
    .option('sequences', { type: 'number', default: 10, describe: 'random sequences per benchmark' })
    .option('space', { choices: ACTION_SPACE_NAMES, default: 'PassesWithLevels' as ActionSpaceName, describe: 'action space to draw from' })
    .option('write', { type: 'boolean', default: false, describe: 'record the result in env/actions/metadata/llvm-N.json' })
    .option('fork-every-step', { type: 'boolean', default: false, describe: 'replace the second copy by its fork before every step' })
    .check((argv) => {
      if (argv.write && argv['fork-every-step']) throw new Error('--write records nondeterminism; --fork-every-step checks forks instead: give one of them');
      return true;
    })
    .strictOptions()
    .parse();
  const count = a.sequences;
  const forks = a['fork-every-step'];
  const uris = a._.length ? a._.map(String) : embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`);
  const llvm = Llvm.get();
  const empty = llvm.parse(Buffer.from('; empty module for pipeline checks\n'), 'pipeline-check');
  const space = await buildActionSpace(a.space, llvm.major, async (pipelines) =>
    pipelines.map((p) => {
      try {
        empty.runPasses(stepsPipeline([p]));
        return null;
      } catch (e) {
        return String(e);
      }
    }),
  );
  const rng = seedrandom('nondeterministic-actions');
  const found: Record<string, number> = {};
  let sequences = 0;
  for (const uri of uris) {
    const bytes = fs.readFileSync((await resolveBenchmark(uri)).path);
    for (let t = 0; t < count; t++) {
      const actions = Array.from({ length: 30 }, () => space.pipeline(Math.floor(rng() * space.n)));
      const x = llvm.parse(bytes, uri);
      let y = llvm.parse(bytes, uri);
      try {
        sequences++;
        for (const action of actions) {
          if (forks) {
            const copy = y.fork();
            y.dispose();
            y = copy;
          }
          // One step on each copy in turn, so that their heap allocations interleave.
          x.runPasses(stepsPipeline([action]));
          y.runPasses(stepsPipeline([action]));
          if (x.print() !== y.print()) {
            found[action] = (found[action] ?? 0) + 1;
            break;
          }
        }
      } finally {
        x.dispose();
        y.dispose();
      }
    }
  }
  console.log(JSON.stringify({ llvm: findLlvm().version, benchmarks: uris.length, sequences, firstDivergence: found }, null, 1));
  if (a.write) {
    const file = writeMeasurement(llvm.major, findLlvm().version, 'nondeterministic', {
      command: `node dist/scripts/bench/nondeterministic-actions.js --sequences ${count} --space ${a.space} --write${a._.length ? ` ${uris.join(' ')}` : ''}`,
      summary: `${sequences} seeded random 30-action sequences, each on two copies of one of ${uris.length} programs stepped in turn; found: the action at which the copies first differed`,
      actionSpaceVersion: space.version,
      covered: [...space.names],
      found: Object.keys(found).sort(),
    });
    console.error(`wrote ${file}`);
  }
}

void main();
