/**
 * `passgym coreset build --out FILE [--force] [...]`: rebuilds the coreset of pass sequences that
 * the `coreset` agent uses, on the train splits (`agents/coreset/build.ts`); `passgym coreset info
 * [FILE]` prints a coreset's summary (default: the shipped one for the loaded LLVM).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { PassGymError } from '../../env/errors';
import { findLlvm } from '../../env/llvm/library';
import { coresetPath, loadCoreset } from '../../agents/coreset/artifact';
import { buildCoreset, DEFAULT_TRAINING, trainingPrograms } from '../../agents/coreset/build';

export const coresetCommand: CommandModule = {
  command: 'coreset',
  describe: 'Build or inspect the coreset of pass sequences (the coreset agent)',
  builder: (y) =>
    y
      .command(
        'build',
        'Search pass sequences on the train splits and choose the coreset',
        (yy) =>
          yy
            .option('out', { type: 'string', demandOption: true, describe: `file to write (the shipped one for this LLVM is ${path.relative(process.cwd(), coresetPath(findLlvm().major))})` })
            .option('force', { type: 'boolean', default: false, describe: 'replace an existing file at --out' })
            .option('programs', { type: 'string', array: true, describe: 'training program URIs (default: libs-v0 units of 200-10,000 instructions, every 10th torture-v0 train program of 50+, csmith-v0 seeds 1-20)' })
            .option('search-programs', { type: 'number', default: 40, describe: 'programs the candidate search runs on' })
            .option('search-budget', { type: 'number', default: 120, describe: 'compilations per searched program' })
            .option('keep', { type: 'number', default: 3, describe: 'best distinct sequences kept per searched program' })
            .option('random-candidates', { type: 'number', default: 16, describe: 'random sequences added to the candidates' })
            .option('max-size', { type: 'number', default: 50, describe: 'largest coreset' })
            .option('seed', { type: 'number', default: 0, describe: 'seed of every random choice' })
            .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
            .option('csmith-seeds', { type: 'number', default: DEFAULT_TRAINING.csmithSeeds, describe: 'csmith-v0 seeds 1..N among the default programs' }),
        async (argv) => {
          const out = path.resolve(argv.out as string);
          if (fs.existsSync(out) && !argv.force) throw new PassGymError('INVALID_VALUE', `--out ${argv.out} exists; pass --force to replace it`);
          for (const k of ['search-programs', 'search-budget', 'keep', 'max-size'] as const) {
            const v = argv[k] as number;
            if (!Number.isInteger(v) || v < 1) throw new PassGymError('INVALID_VALUE', `--${k} must be a positive integer, got ${v}`);
          }
          const programs = (argv.programs as string[] | undefined) ?? (await trainingPrograms({ ...DEFAULT_TRAINING, csmithSeeds: argv['csmith-seeds'] as number }));
          const a = await buildCoreset(out, {
            programs,
            searchPrograms: argv['search-programs'] as number,
            searchBudget: argv['search-budget'] as number,
            keepPerProgram: argv.keep as number,
            randomCandidates: argv['random-candidates'] as number,
            maxSize: argv['max-size'] as number,
            seed: argv.seed as number,
            workers: argv.workers as number | undefined,
            log: (l) => process.stderr.write(`${l}\n`),
          });
          console.log(JSON.stringify(summary(out, a), null, 2));
        },
      )
      .command(
        'info [file]',
        "Print a coreset's summary (default: the shipped one for the loaded LLVM)",
        (yy) => yy.positional('file', { type: 'string', describe: 'coreset file' }),
        (argv) => {
          const file = argv.file ? path.resolve(argv.file as string) : coresetPath(findLlvm().major);
          console.log(JSON.stringify(summary(file, loadCoreset(file)), null, 2));
        },
      )
      .demandCommand(1, 'name a subcommand: build or info'),
  handler: () => undefined,
};

function summary(file: string, a: ReturnType<typeof loadCoreset>) {
  const at = (k: number) => a.curve[Math.min(k, a.curve.length) - 1] ?? null;
  return {
    file,
    llvm: a.llvm.version,
    action_space: a.actionSpace.version,
    sequences: a.sequences.length,
    mean_length: a.sequences.reduce((s, q) => s + q.passes.length, 0) / Math.max(1, a.sequences.length),
    training_programs: a.train.programs.length,
    train_geomean_vs_oz: { size_1: at(1), size_10: at(10), size_20: at(20), size_50: at(50), none: a.base },
    build: a.build,
  };
}
