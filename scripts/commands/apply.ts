/**
 * `passgym apply --benchmark URI --actions a,b,c [--observation X]… [--reward Y] [--json]`:
 * applies actions one step at a time and prints each step (one JSON line per step with --json).
 */
import type { CommandModule } from 'yargs';
import { make } from '../../env/registry';
import { splitPipeline } from '../../env/actions/commandline';
import { ACTION_SPACE_NAMES, ActionSpaceName } from '../../env/actions/space';
import type { ObservationValue } from '../../env/observations';

interface ApplyArgs {
  benchmark: string;
  actions: string;
  observation: string[];
  reward?: string;
  'action-space': string;
  json: boolean;
}

/** JSON-friendly form of an observation value (bytes as base64). */
export function jsonValue(v: ObservationValue | null): unknown {
  return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
}

export const applyCommand: CommandModule<object, ApplyArgs> = {
  command: 'apply',
  describe: 'Apply actions to a benchmark step by step, printing observations and rewards',
  builder: (y) =>
    y
      .option('benchmark', { type: 'string', demandOption: true, describe: 'benchmark URI' })
      .option('actions', { type: 'string', demandOption: true, describe: 'comma-separated action names (pipeline elements or CompilerGym flags) or indices' })
      .option('observation', { type: 'string', array: true, default: [], describe: 'observation space(s) to print after each step' })
      .option('reward', { type: 'string', describe: 'reward space' })
      .option('action-space', { type: 'string', default: 'PassesAll', choices: [...ACTION_SPACE_NAMES], describe: 'the action space the actions are named in' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON line per step' }) as never,
  handler: async (argv) => {
    const env = await make('llvm-v0', {
      actionSpace: argv['action-space'] as ActionSpaceName,
      rewardSpace: argv.reward ?? null,
      benchmark: argv.benchmark,
    });
    try {
      const actions = splitPipeline(argv.actions).map((a) => (/^\d+$/.test(a) ? Number(a) : a));
      actions.forEach((a) => env.actionSpace.index(a));
      await env.reset();
      for (let k = 0; k < actions.length; k++) {
        const r = await env.step(actions[k]);
        const observations: Record<string, unknown> = {};
        for (const name of argv.observation) observations[name] = jsonValue(await env.observe(name));
        const action = env.actionSpace.names[env.actionSpace.index(actions[k])];
        if (argv.json) {
          console.log(JSON.stringify({ step: k + 1, action, reward: r.reward, episode_reward: env.episodeReward, observations, info: r.info }));
        } else {
          const obs = Object.entries(observations).map(([n, v]) => `${n}=${typeof v === 'string' && v.length > 60 ? `${v.slice(0, 57)}...` : JSON.stringify(v)}`);
          const err = r.info.error_type ? ` ERROR ${r.info.error_type}: ${r.info.error_details}` : '';
          console.log(`${String(k + 1).padStart(4)} ${action.padEnd(34)} reward=${r.reward ?? '-'} ${obs.join(' ')}${err}`);
        }
      }
      if (!argv.json) console.log(env.commandline());
    } finally {
      await env.close();
    }
  },
};
