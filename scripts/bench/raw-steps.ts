/**
 * The raw phase of `passgym bench step`, in a process of its own so that a pass that crashes LLVM
 * ends this process and not the bench: parses the benchmark, then for each action writes the
 * state's bitcode to `<dir>/state-K.bc` (the opt phase's input) and times `LLVMRunPasses` of
 * `module(ACTION)` on it. Replies `{rawMs}` over IPC; after a crash, the states written say how
 * far it got.
 *
 * Started by `scripts/bench/step.ts` with `child_process.fork`; one request, then exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Llvm } from '../../env/llvm/llvm';

/** What the bench sends. */
export interface RawStepsRequest {
  uri: string;
  file: string;
  actions: string[];
  dir: string;
}

process.once('message', (req: RawStepsRequest) => {
  const llvm = Llvm.get();
  const module = llvm.parse(fs.readFileSync(req.file), req.uri);
  const rawMs: number[] = [];
  for (let k = 0; k < req.actions.length; k++) {
    fs.writeFileSync(path.join(req.dir, `state-${k}.bc`), module.bitcode());
    const t0 = process.hrtime.bigint();
    module.runPasses(`module(${req.actions[k]})`);
    rawMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  module.dispose();
  process.send!({ rawMs }, () => process.exit(0));
});
