import fs from 'node:fs';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { resolveBenchmark } from '../../env/benchmarks';
import { baselineFile, readBaseline } from '../../env/session/baseline-cache';

describe('baselines on disk', () => {
  test('a new pool reads the -Oz baselines that another pool computed, and a bad file is recomputed', async () => {
    const uri = 'benchmark://embedded-v0/crc32';
    const { sha256 } = await resolveBenchmark(uri);
    const file = baselineFile(sha256);
    fs.rmSync(file, { force: true });

    const observeOz = async () => {
      const pool = new WorkerPool({ maxWorkers: 1 });
      try {
        const env = await make('llvm-ic-v0', { pool, benchmark: uri });
        await env.reset();
        const v = [Number(await env.observe('IrInstructionCountOz')), Number(await env.observe('ObjectTextSizeOz'))];
        await env.close();
        return v;
      } finally {
        pool.close();
      }
    };
    const [count, text] = await observeOz();
    expect(readBaseline(sha256, 'IrInstructionCountOz')).toBe(count);
    expect(readBaseline(sha256, 'ObjectTextSizeOz')).toBe(text);

    // A stored value is what a new pool answers (so the file is really read).
    fs.writeFileSync(file, JSON.stringify({ IrInstructionCountOz: count + 1000, ObjectTextSizeOz: text }));
    expect((await observeOz())[0]).toBe(count + 1000);

    // A corrupt file is ignored and rewritten with the computed value.
    fs.writeFileSync(file, '{not json');
    expect(await observeOz()).toEqual([count, text]);
    expect(readBaseline(sha256, 'IrInstructionCountOz')).toBe(count);
  });
});
