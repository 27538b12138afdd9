/** `passgym info [--json]`: the LLVM in use, the action spaces (and what was dropped), the spaces and ids. */
import type { CommandModule } from 'yargs';
import { findLlvm } from '../../env/llvm/library';
import { actionSpaceFor, ENV_IDS } from '../../env/registry';
import { ACTION_SPACE_NAMES } from '../../env/actions/space';
import { OBSERVATION_SPACES } from '../../env/observations';
import { REWARD_SPACES } from '../../env/rewards';
import { WorkerPool } from '../../env/session/pool';

export const infoCommand: CommandModule<object, { json: boolean }> = {
  command: 'info',
  describe: 'Show the LLVM in use, action/observation/reward spaces and environment ids',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }),
  handler: async (argv) => {
    const llvm = findLlvm();
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const spaces = await Promise.all(ACTION_SPACE_NAMES.map((n) => actionSpaceFor(pool, n)));
      const info = {
        llvm: { version: llvm.version, major: llvm.major, library: llvm.libraryPath, tools: llvm.tools },
        actionSpaces: spaces.map((s) => ({ name: s.name, version: s.version, n: s.n, actions: s.names, dropped: s.dropped })),
        observationSpaces: [...OBSERVATION_SPACES.values()].map((o) => ({
          name: o.name,
          space: o.space.describe(),
          deterministic: o.deterministic,
          platformDependent: o.platformDependent,
        })),
        rewardSpaces: [...REWARD_SPACES.keys()],
        envIds: ENV_IDS,
      };
      if (argv.json) {
        console.log(JSON.stringify(info));
        return;
      }
      console.log(`LLVM ${llvm.version} (${llvm.libraryPath})`);
      console.log(`tools: ${Object.entries(llvm.tools).map(([k, v]) => `${k}=${v ?? 'missing'}`).join(' ')}`);
      for (const s of info.actionSpaces) {
        console.log(`action space ${s.name}: ${s.n} actions (${s.version}); dropped ${s.dropped.length}:`);
        for (const d of s.dropped) console.log(`  ${d.flag}: ${d.reason}`);
      }
      console.log(`observation spaces: ${info.observationSpaces.map((o) => o.name).join(', ')}`);
      console.log(`reward spaces: ${info.rewardSpaces.join(', ')}`);
      console.log(`environments: ${Object.keys(ENV_IDS).join(', ')}`);
    } finally {
      pool.close();
    }
  },
};
