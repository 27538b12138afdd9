import { WorkerPool } from '../../env/session/pool';
import { make } from '../../env/registry';

const pool = new WorkerPool({ maxWorkers: 2 });
afterAll(() => pool.close());

/** Action pairs whose result depended on analyses kept inside one pipeline (found by fuzzing opt-14). */
const SENSITIVE = [
  ['loop-predication', 'function(loop-mssa(licm))'],
  ['indvars', 'function(loop-mssa(licm))'],
  ['loop-reroll', 'function(loop-mssa(licm))'],
  ['function(loop-mssa(licm))', 'simple-loop-unswitch<nontrivial>'],
  ['irce', 'instsimplify', 'loop-simplifycfg'],
];

async function sha(sid: number): Promise<string> {
  return (await pool.observe(sid, ['IrSha1'])).IrSha1 as string;
}

describe('replaying a session reproduces the state that its steps reached', () => {
  test.each(['benchmark://embedded-v0/dijkstra', 'benchmark://embedded-v0/matmul', 'benchmark://embedded-v0/stringsearch'])(
    'on %s, random and analysis-sensitive sequences replay to the same IR',
    async (uri) => {
      const env = await make('llvm-v0', { pool });
      // Each action as the loaded LLVM spells it; a pair with an action this LLVM lacks
      // (loop-reroll is gone by LLVM 19) is left out.
      const space = env.actionSpace;
      const sequences: string[][] = SENSITIVE.filter((s) => s.every((a) => space.names.includes(a)))
        .map((s) => ['sroa', 'loop-rotate', ...s, 'instcombine'].map((a) => space.pipeline(space.index(a))));
      expect(sequences.length).toBeGreaterThanOrEqual(SENSITIVE.length - 1);
      for (let seed = 0; seed < 4; seed++) {
        await env.reset({ benchmark: uri, seed });
        sequences.push(Array.from({ length: 30 }, () => env.actionSpace.names[env.actionSpace.sample(env.rng)]));
      }
      for (const actions of sequences) {
        const stepped = await pool.startSession(uri);
        for (const a of actions) await pool.step(stepped, [a], []);
        const replayed = await pool.startSession(uri, actions);
        expect([actions.join(','), await sha(replayed)]).toEqual([actions.join(','), await sha(stepped)]);
        await pool.endSession(stepped);
        await pool.endSession(replayed);
      }
      await env.close();
    },
  );
});
