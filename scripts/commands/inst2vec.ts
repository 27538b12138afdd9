/**
 * `passgym inst2vec build --out DIR [--force] [--llvm 14 22] [--csmith-seeds N] [--epochs N]`:
 * rebuilds PassGym's inst2vec vocabulary and embedding (the artifact the Inst2vec* observation
 * spaces use) from the train splits; `passgym inst2vec info [DIR]` prints an artifact's manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { cachePath } from '../../env/cache';
import { PassGymError } from '../../env/errors';
import { INST2VEC_DIR, loadInst2vecModel } from '../../env/observations/inst2vec-model';
import { buildInst2vec } from '../inst2vec/build';
import { DEFAULT_TRAIN_OPTIONS } from '../inst2vec/train';

export const inst2vecCommand: CommandModule = {
  command: 'inst2vec',
  describe: 'Build or inspect the inst2vec vocabulary and embedding',
  builder: (y) =>
    y
      .command(
        'build',
        'Build the vocabulary and train the embedding on the train splits',
        (yy) =>
          yy
            .option('out', { type: 'string', demandOption: true, describe: `folder to write the artifact to (the shipped one is ${path.relative(process.cwd(), INST2VEC_DIR) || '.'})` })
            .option('force', { type: 'boolean', default: false, describe: 'replace an artifact already in --out' })
            .option('llvm', { type: 'number', array: true, default: [14, 22], describe: 'LLVM major versions whose IR enters the corpus (each must be installed)' })
            .option('csmith-seeds', { type: 'number', default: 50, describe: 'csmith-v0 seeds 1..N in the corpus' })
            .option('epochs', { type: 'number', default: DEFAULT_TRAIN_OPTIONS.epochs, describe: 'passes over the training pairs' })
            .option('max-vocabulary', { type: 'number', default: DEFAULT_TRAIN_OPTIONS.maxVocabulary, describe: 'vocabulary size cap, !UNK included' })
            .option('seed', { type: 'number', default: DEFAULT_TRAIN_OPTIONS.seed, describe: 'seed of every random choice' })
            .option('work', { type: 'string', describe: 'folder for the corpus files (default: the cache\'s inst2vec-corpus)' })
            .option('reuse-corpus', { type: 'boolean', default: false, describe: 'reuse corpus files already in --work' }),
        async (argv) => {
          const out = path.resolve(argv.out as string);
          if (fs.existsSync(path.join(out, 'manifest.json')) && !argv.force) {
            throw new PassGymError('INVALID_VALUE', `--out ${argv.out} already holds an inst2vec artifact; pass --force to replace it`);
          }
          const manifest = await buildInst2vec({
            out,
            llvm: argv.llvm as number[],
            csmithSeeds: argv['csmith-seeds'] as number,
            work: path.resolve((argv.work as string | undefined) ?? cachePath('inst2vec-corpus')),
            reuseCorpus: argv['reuse-corpus'] as boolean,
            train: { ...DEFAULT_TRAIN_OPTIONS, epochs: argv.epochs as number, maxVocabulary: argv['max-vocabulary'] as number, seed: argv.seed as number },
            log: (l) => process.stderr.write(`${l}\n`),
          });
          console.log(JSON.stringify({ out, version: manifest.version, vocabulary_size: manifest.vocabulary_size, sha256: manifest.files.embeddings.sha256, ...manifest.build }, null, 2));
        },
      )
      .command(
        'info [dir]',
        'Print the manifest of an inst2vec artifact (default: the shipped one)',
        (yy) => yy.positional('dir', { type: 'string', describe: 'artifact folder' }),
        (argv) => {
          const model = loadInst2vecModel(argv.dir ? path.resolve(argv.dir as string) : INST2VEC_DIR);
          console.log(JSON.stringify(model.manifest, null, 2));
        },
      )
      .demandCommand(1, 'name a subcommand: build or info'),
  handler: () => undefined,
};
