import { WorkerPool } from '../../env/session/pool';
import { agentContext, localSource, EnvSource } from '../../agents/context';
import { createAgent, parseAgentOptions } from '../../agents/registry';
import { Evaluator } from '../../agents/search/evaluator';
import { make } from '../../env/registry';
import { stepTimeoutSeconds } from '../../agents/search/step-deadline';

const QSORT = 'benchmark://embedded-v0/qsort';

describe('search agents', () => {
  let pool: WorkerPool;
  let source: EnvSource;
  beforeAll(() => {
    pool = new WorkerPool({ maxWorkers: 2 });
    source = localSource({ pool });
  });
  afterAll(() => pool.close());

  /** Replays actions in a fresh environment and returns the episode reward. */
  async function replay(actions: number[]): Promise<number> {
    const env = await make('llvm-ic-v0', { pool, benchmark: QSORT });
    await env.reset();
    if (actions.length) await env.multistep(actions);
    const r = env.episodeReward!;
    await env.close();
    return r;
  }

  test('the evaluator compiles an edge once: asking again is a cache hit with no compilation', async () => {
    const ctx = agentContext(source, { benchmark: QSORT, budget: { steps: 1000 }, seed: 0 });
    const ev = await Evaluator.open(ctx);
    try {
      const pairs = Array.from({ length: 10 }, (_, action) => ({ node: ev.root, action }));
      const first = await ev.expand(pairs);
      expect(first).toHaveLength(10);
      expect(ev.stats.compilations).toBe(10);
      const second = await ev.expand(pairs);
      expect(ev.stats.compilations).toBe(10);
      expect(ev.stats.cacheHits).toBe(10);
      expect(second.map((e) => e.child?.hash)).toEqual(first.map((e) => e.child?.hash));
      // A child's value is its episode reward: replaying its actions gives the same reward.
      const moved = first.find((e) => e.child && e.child.hash !== ev.root.hash)!;
      expect(await replay([...moved.child!.actions])).toBeCloseTo(moved.child!.value, 9);
      // Two lanes, one per worker.
      expect(ev.width).toBe(2);
    } finally {
      await ev.close();
    }
  });

  test('greedy improves on qsort, stops when no action improves, and reports its cache figures', async () => {
    const agent = await createAgent('greedy', {});
    const r = await agent.run(agentContext(source, { benchmark: QSORT, budget: { steps: 3000 }, seed: 0 }));
    expect(r.actions.length).toBeGreaterThan(0);
    expect(await replay(r.actions)).toBeGreaterThan(0.9);
    expect(r.steps).toBeLessThanOrEqual(3000);
    expect(Number(r.stats!.transpositions)).toBeGreaterThan(0); // many passes are no-ops on a state
    expect(Number(r.stats!.hitRate)).toBeGreaterThan(0);
  });

  test('beam search keeps distinct states and is at least as good as greedy at its first round', async () => {
    const agent = await createAgent('beam', { width: 3 });
    const r = await agent.run(agentContext(source, { benchmark: QSORT, budget: { steps: 1500 }, seed: 0 }));
    expect(await replay(r.actions)).toBeGreaterThan(0.9);
    expect(Number(r.stats!.states)).toBeGreaterThan(3);
  });

  test('random search spends its step budget over both workers', async () => {
    const agent = await createAgent('random', { patience: 20 });
    const r = await agent.run(agentContext(source, { benchmark: QSORT, budget: { steps: 400 }, seed: 3 }));
    expect(r.steps).toBe(400);
    expect(r.stats!.lanes).toBe(2);
    expect(await replay(r.actions)).toBeGreaterThan(0);
  });

  test('over two lanes, every search agent spends a small step budget exactly, never one more', async () => {
    for (const name of ['random', 'greedy', 'beam', 'mcts']) {
      const agent = await createAgent(name, {});
      for (const steps of [1, 5, 7]) {
        const r = await agent.run(agentContext(source, { benchmark: QSORT, budget: { steps }, seed: 0 }));
        expect([name, steps, r.steps]).toEqual([name, steps, steps]);
      }
      await agent.close?.();
    }
  });

  test('under a time budget a step gets the time left plus a grace of 10% of the budget (at least 0.5 s)', () => {
    expect(stepTimeoutSeconds(30, 10)).toBeCloseTo(23, 9);
    expect(stepTimeoutSeconds(30, 31)).toBeCloseTo(3, 9); // already over: the grace only
    expect(stepTimeoutSeconds(2, 1.5)).toBeCloseTo(1, 9); // 0.5 left + the 0.5 s floor
  });

  test('bad agent names and options are refused with the reason', async () => {
    await expect(createAgent('nope')).rejects.toThrow(/unknown agent "nope" \(known: random, greedy/);
    await expect(createAgent('beam', { widht: 3 })).rejects.toThrow(/unknown option widht/);
    await expect(createAgent('greedy', { epsilon: 2 })).rejects.toThrow(/epsilon=2 must be a number in \[0, 1\]/);
    expect(parseAgentOptions('width=8,name=x,flag=true')).toEqual({ width: 8, name: 'x', flag: true });
    expect(parseAgentOptions('{"width": 2}')).toEqual({ width: 2 });
    expect(() => parseAgentOptions('width')).toThrow(/"width" is not key=value/);
    expect(() => parseAgentOptions('{bad')).toThrow(/not valid JSON/);
  });
});
