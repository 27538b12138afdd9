/**
 * The `passgym` command line (yargs). Each subcommand lives in `scripts/commands/`.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { infoCommand } from './commands/info';
import { applyCommand } from './commands/apply';
import { benchCommand } from './commands/bench';
import { demoCommand } from './commands/demo';
import { validateCommand } from './commands/validate';
import { datasetsCommand } from './commands/datasets';
import { serveCommand, curveKeypairCommand } from './commands/serve';
import { leaderboardCommand } from './commands/leaderboard';
import { searchCommand } from './commands/search';
import { trainCommand } from './commands/train';
import { evalCommand } from './commands/eval';
import { inst2vecCommand } from './commands/inst2vec';
import { coresetCommand } from './commands/coreset';
import { PassGymError } from '../env/errors';
import { checkNumericOptions } from './numeric-options';

void yargs(hideBin(process.argv))
  .scriptName('passgym')
  .command(infoCommand)
  .command(applyCommand)
  .command(benchCommand)
  .command(demoCommand)
  .command(validateCommand)
  .command(datasetsCommand)
  .command(serveCommand)
  .command(curveKeypairCommand)
  .command(leaderboardCommand)
  .command(searchCommand)
  .command(trainCommand)
  .command(evalCommand)
  .command(inst2vecCommand)
  .command(coresetCommand)
  .demandCommand(1, 'name a command; see passgym --help')
  .strict()
  // Every numeric option of every command, against its range (numeric-options.ts).
  .check((argv) => checkNumericOptions(argv, hideBin(process.argv)), true)
  .fail((msg, err) => {
    if (err) {
      const code = err instanceof PassGymError ? ` [${err.code}]` : '';
      console.error(`passgym: ${err.message}${code}`);
    } else {
      // The error first and alone: the help is one flag away.
      const command = hideBin(process.argv).find((a) => !a.startsWith('-'));
      console.error(`passgym: ${msg}\n(passgym ${command ? `${command} ` : ''}--help lists the options)`);
    }
    process.exit(2);
  })
  .help()
  .parseAsync()
  .then(() => process.exit(process.exitCode ?? 0));
