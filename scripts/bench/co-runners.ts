/**
 * CPU-bound co-runners for benchmarks "on a loaded machine": one process per core spinning in a
 * tight loop, as a training run's other environments and learner keep the cores busy. The
 * processes are killed by `stop()` or when this process exits, and end by themselves when it dies.
 */
import os from 'node:os';
import { spawn, ChildProcess } from 'node:child_process';

/** Running co-runners; `stop()` kills them and waits until they are gone. */
export interface CoRunners {
  count: number;
  stop(): Promise<void>;
}

/** Starts `count` (default: one per core) busy co-runners. */
export function startCoRunners(count = os.availableParallelism()): CoRunners {
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    // The loop ends when the bench is gone (its parent changes), so that a killed bench leaves none behind.
    spawn(process.execPath, ['-e', `for (let i = 0; ; i++) if ((i & 0xffffff) === 0 && process.ppid !== ${process.pid}) process.exit(0);`], { stdio: 'ignore' }),
  );
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  return {
    count,
    async stop() {
      process.off('exit', killAll);
      const gone = children.map((c) =>
        c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve())),
      );
      killAll();
      await Promise.all(gone);
    },
  };
}
