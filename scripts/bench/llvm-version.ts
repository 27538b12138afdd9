/**
 * What the loaded LLVM makes of PassGym: the actions each space keeps, those it drops (and
 * why), the flags whose spelling differs from the flag's name, the actions flagged
 * nondeterministic or known to miscompile (and whether that was measured on this version), and
 * per embedded-v0 program the IR instruction counts at -O0, -O3 and -Oz and the .text bytes at -Oz.
 * Prints one JSON object; docs/llvm-versions.md holds its output for LLVM 14, 19 and 22.
 *
 *   PASSGYM_LLVM=N node dist/scripts/bench/llvm-version.js [URI ...]   (default: embedded-v0)
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { WorkerPool } from '../../env/session/pool';
import { make } from '../../env/registry';
import { findLlvm } from '../../env/llvm/library';
import { ACTION_SPACE_NAMES } from '../../env/actions/space';
import { COMPILERGYM_FLAGS } from '../../env/actions/flags';
import { embeddedBenchmarkIds } from '../../datasets/recipes/embedded';

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv)).usage('$0 [URI ...]').strictOptions().parse();
  const uris = a._.length ? a._.map(String) : embeddedBenchmarkIds().map((id) => `benchmark://embedded-v0/${id}`);
  const llvm = findLlvm();
  const pool = new WorkerPool({ maxWorkers: 1 });
  const result: Record<string, unknown> = { llvm: llvm.version };
  try {
    const spaces = [];
    for (const name of ACTION_SPACE_NAMES) {
      const env = await make('llvm-v0', { pool, actionSpace: name });
      const s = env.actionSpace;
      spaces.push({
        name,
        version: s.version,
        n: s.n,
        dropped: s.dropped.map((d) => d.flag),
        unsafe: s.names.filter((_, k) => !s.metadata[k].deterministic || s.metadata[k].knownMiscompile),
        measured: s.metadata.filter((m) => m.measured).length,
      });
      if (name === 'PassesAll') {
        // The flags run under a spelling other than their own name (`-instcombine` as `instcombine<no-verify-fixpoint>`).
        result.respelled = COMPILERGYM_FLAGS.flatMap((f) => {
          const chosen = f.spellings.find((p) => s.names.includes(p));
          return chosen !== undefined && f.spellings.length > 1 ? [{ flag: f.flag, action: chosen }] : [];
        });
      }
      await env.close();
    }
    result.actionSpaces = spaces;
    const env = await make('llvm-v0', { pool });
    const programs = [];
    for (const uri of uris) {
      await env.reset({ benchmark: uri });
      const o = await Promise.all(['IrInstructionCountO0', 'IrInstructionCountO3', 'IrInstructionCountOz', 'ObjectTextSizeOz'].map((k) => env.observe(k)));
      programs.push({ benchmark: uri, O0: Number(o[0]), O3: Number(o[1]), Oz: Number(o[2]), textOz: Number(o[3]) });
    }
    await env.close();
    result.programs = programs;
  } finally {
    pool.close();
  }
  console.log(JSON.stringify(result, null, 1));
}

main().catch((e) => {
  console.error(`llvm-version: ${(e as Error).message}`);
  process.exit(2);
});
