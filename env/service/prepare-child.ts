/**
 * Child-process entry of `prepareInChild` (prepare.ts): resolves one benchmark URI, which builds
 * or generates it into the cache on first use, and exits. Prints nothing on success; on failure
 * prints the error's `{code, message}` as one JSON line on stdout and exits 1.
 */
import { resolveBenchmark } from '../benchmarks';
import { toErrorPayload } from '../errors';

resolveBenchmark(process.argv[2] ?? '').then(
  () => process.exit(0),
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify(toErrorPayload(e))}\n`);
    process.exit(1);
  },
);
