/**
 * `passgym validate STATES.csv [--reward R] [--json]`: replays every state of a CompilerGym state
 * CSV, checks its reward and, for runnable benchmarks, its output against the -O0 reference.
 * Exits 1 when any state fails.
 */
import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { make } from '../../env/registry';
import { parseStatesCsv } from '../../env/state';
import { ACTION_SPACE_NAMES, ActionSpaceName } from '../../env/actions/space';
import { StateFormatError } from '../../env/errors';

interface ValidateArgs {
  states: string;
  reward: string;
  'action-space': string;
  json: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <states>',
  describe: 'Replay the states of a state CSV and check rewards and program output',
  builder: (y) =>
    y
      .positional('states', { type: 'string', demandOption: true, describe: 'CSV with header benchmark,reward,walltime,commandline' })
      .option('reward', { type: 'string', default: 'IrInstructionCountOz', describe: 'reward space the rewards were computed with' })
      .option('action-space', { type: 'string', default: 'PassesWithLevels', choices: [...ACTION_SPACE_NAMES], describe: 'the action space the state command lines are read in' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON line per state' }) as never,
  handler: async (argv) => {
    if (!fs.existsSync(argv.states)) throw new StateFormatError(`${argv.states}: no such file`);
    const states = parseStatesCsv(fs.readFileSync(argv.states, 'utf8'));
    const env = await make('llvm-v0', { rewardSpace: argv.reward, actionSpace: argv['action-space'] as ActionSpaceName });
    let failed = 0;
    try {
      for (const state of states) {
        const r = await env.validate(state);
        if (!r.ok) failed++;
        if (argv.json) console.log(JSON.stringify(r));
        else {
          const what = r.ok ? 'ok' : `FAILED ${r.error?.type}: ${r.error?.details}`;
          console.log(`${r.benchmark.padEnd(44)} reward ${r.actualReward ?? '-'} ${r.semanticsValidated ? 'output checked ' : ''}${what}`);
        }
      }
    } finally {
      await env.close();
    }
    if (!argv.json) console.log(`${states.length - failed} of ${states.length} states validated`);
    if (failed > 0) process.exitCode = 1;
  },
};
