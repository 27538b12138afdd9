/**
 * The README's TypeScript quickstart, as a file that runs: `npm run quickstart` (it builds first).
 * From another project after `npm install /path/to/passgym-0.1.0.tgz`, the same code runs with
 * `import { make } from 'passgym'`.
 */
import { make } from 'passgym';

async function main(): Promise<void> {
  const env = await make('llvm-ic-v0'); // reward IrInstructionCountOz
  await env.reset({ benchmark: 'benchmark://embedded-v0/qsort', seed: 0 });
  const { reward } = await env.step('instcombine');
  console.log('reward of instcombine:', reward);
  await env.multistep(['mem2reg', 'gvn', '-simplifycfg']); // names, CompilerGym flags or indices
  console.log('episode reward:', env.episodeReward, '(1.0 = as small as -Oz)');
  console.log(env.commandline());
  const copy = await env.fork(); // independent session, same state
  console.log('Autophase:', (await copy.observe('Autophase')) as number[]);
  console.log('validation:', await env.validate()); // replays env.state, checks the reward
  await copy.close();
  await env.close(); // the last env closes its worker pool: the process exits
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
