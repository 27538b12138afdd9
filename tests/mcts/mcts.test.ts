import net from 'node:net';
import { WorkerPool } from '../../env/session/pool';
import { findLlvm } from '../../env/llvm/library';
import { make } from '../../env/registry';
import { agentContext, localSource } from '../../agents/context';
import { createAgent } from '../../agents/registry';
import { Evaluator, SearchNode } from '../../agents/search/evaluator';
import { mctsSearch } from '../../agents/mcts/search';
import { selectPuct, TreeNode, ValueBounds } from '../../agents/mcts/tree';
import { policyPrior, PolicyLike, PolicyMismatchError } from '../../agents/mcts/policy-prior';
import { llmPrior } from '../../agents/llm-prior/llm-prior';
import { openAiProvider } from '../../agents/llm-prior/openai-provider';
import { CallBudget } from '../../agents/llm-prior/provider';
import { proposalsJson, startStandIn } from '../../agents/llm-prior/standin-server';
import { compilationsToReach } from '../../scripts/bench/sample-efficiency';

const BENCHMARK = 'benchmark://embedded-v0/qsort';
const pool = new WorkerPool({ maxWorkers: 2 });
afterAll(() => pool.close());

const context = (steps: number, seed = 0) => agentContext(localSource({ pool }), { benchmark: BENCHMARK, budget: { steps }, seed });

/** Opens an evaluator whose `expand` records every (state hash, action) it is asked to compile, in order. */
async function recordingEvaluator(steps: number) {
  const ev = await Evaluator.open(context(steps));
  const asked: Array<{ hash: string; action: number }> = [];
  const unrecorded = ev.expand.bind(ev);
  ev.expand = (pairs) => {
    for (const p of pairs) asked.push({ hash: p.node.hash, action: p.action });
    return unrecorded(pairs);
  };
  /** The child of a compiled edge (an edge-table hit, not recorded). */
  const childOf = async (node: SearchNode, action: number) => (await unrecorded([{ node, action }]))[0].child!;
  return { ev, asked, childOf };
}

async function replay(actions: readonly number[]): Promise<number> {
  const env = await make('llvm-ic-v0', { pool });
  try {
    await env.reset({ benchmark: BENCHMARK });
    if (actions.length) await env.multistep([...actions]);
    return env.episodeReward ?? NaN;
  } finally {
    await env.close();
  }
}

describe('PUCT selection', () => {
  const state = { hash: 'h', actions: [], value: 0.5, parent: null };
  const ties = [0, 0, 0];

  test('unvisited edges are taken in order of prior; pruned and pending edges are skipped', () => {
    const node = new TreeNode(state, ties);
    node.setPrior([0.2, 0.5, 0.3]);
    const bounds = new ValueBounds();
    bounds.update(0);
    bounds.update(1);
    expect(selectPuct(node, 1, 'mean', bounds)!.action).toBe(1);
    node.edges![1].pruned = true;
    expect(selectPuct(node, 1, 'mean', bounds)!.action).toBe(2);
    node.edges![2].pending = true;
    expect(selectPuct(node, 1, 'mean', bounds)!.action).toBe(0);
    node.edges![0].pruned = true;
    expect(selectPuct(node, 1, 'mean', bounds)).toBeNull();
  });

  test('a visited edge with a better value than its state wins over the unvisited ones, until exploration outweighs it', () => {
    const node = new TreeNode(state, ties);
    node.setPrior([0.5, 0.5]);
    const bounds = new ValueBounds();
    bounds.update(0);
    bounds.update(1);
    Object.assign(node.edges![0], { n: 1, w: 0.9, best: 0.9 });
    node.n = 1;
    // Q: 0.9 + 1·0.5·1/2 = 1.15 against the unvisited edge's 0.5 + 0.5·1/1 = 1.0.
    expect(selectPuct(node, 1, 'mean', bounds)!.action).toBe(0);
    // Ten visits at 0.9: 0.9 + 0.5·√10/11 ≈ 1.04 against 0.5 + 0.5·√10 ≈ 2.08.
    Object.assign(node.edges![0], { n: 10, w: 9 });
    node.n = 10;
    expect(selectPuct(node, 1, 'mean', bounds)!.action).toBe(1);
    // 'max' backup reads the best value instead of the mean.
    Object.assign(node.edges![0], { n: 1, w: 0.1, best: 0.9 });
    node.n = 1;
    expect(selectPuct(node, 1, 'max', bounds)!.action).toBe(0);
    expect(selectPuct(node, 1, 'mean', bounds)!.action).toBe(1);
  });
});

test('uniform MCTS on qsort spends its compilation budget and returns a sequence that replays to the value it reports', async () => {
  const agent = await createAgent('mcts', { prior: 'uniform' });
  const r = await agent.run(context(120));
  expect(r.steps).toBeGreaterThanOrEqual(120);
  expect(r.steps).toBeLessThanOrEqual(121);
  expect(r.stats).toMatchObject({ prior: 'uniform', compilations: r.steps });
  expect(r.actions.length).toBeGreaterThan(0);
  const reward = await replay(r.actions);
  expect(reward).toBeCloseTo(Number(r.stats!.bestValue), 5);
  expect(reward).toBeGreaterThan(0.5);
});

test('rollouts spend compilations on random passes after each new state', async () => {
  const agent = await createAgent('mcts', { rollouts: 4, batch: 2 });
  const r = await agent.run(context(80, 3));
  expect(r.steps).toBeGreaterThanOrEqual(80);
  expect(r.steps).toBeLessThanOrEqual(81);
  expect(Number(r.stats!.simulations)).toBeLessThan(40);
  expect(await replay(r.actions)).toBeCloseTo(Number(r.stats!.bestValue), 5);
});

test('the search compiles the LLM-proposed actions first, and continues a proposed sequence at its child', async () => {
  // The start state gets one proposed sequence; every other state gets an answer without a valid
  // pass (uniform prior), so only the proposal can explain the order.
  const server = await startStandIn((req, i) => ({ content: i === 0 ? proposalsJson(['mem2reg', 'instcombine', 'simplifycfg']) : proposalsJson(['no-such-pass']) }));
  const { ev, asked, childOf } = await recordingEvaluator(30);
  try {
    const budget = new CallBudget();
    const prior = llmPrior({ provider: openAiProvider({ baseUrl: server.baseUrl, model: 'stand-in', retries: 0 }, budget), budget });
    const k = (n: string) => ev.actionSpace.index(n);
    const r = await mctsSearch(ev, prior, { batch: 1, benchmark: BENCHMARK, actionNames: ev.actionSpace.names, seed: 0 });
    const m = await childOf(ev.root, k('mem2reg'));
    const mi = await childOf(m, k('instcombine'));
    expect(asked.slice(0, 3)).toEqual([
      { hash: ev.root.hash, action: k('mem2reg') },
      { hash: m.hash, action: k('instcombine') },
      { hash: mi.hash, action: k('simplifycfg') },
    ]);
    // Every state the search initialised asked the model once; the later prompts carry history.
    expect(server.requests.length).toBe(Number(prior.stats().llmCalls));
    expect(prior.stats()).toMatchObject({ llmAnswers: 1, llmFallbackMalformed: server.requests.length - 1 });
    expect(server.requests[1].body.messages[1].content).toContain('Passes applied so far (1), with the reward each gave:\n1. mem2reg +');
    expect(r.best.value).toBeGreaterThanOrEqual(mi.value);
  } finally {
    await ev.close();
    await server.close();
  }
});

test('the mcts agent with prior=llm charges each benchmark its own call budget and reports calls, tokens and fallbacks', async () => {
  const server = await startStandIn(() => ({ content: proposalsJson(['sroa'], ['instcombine']), tokens: 321 }));
  try {
    const agent = await createAgent('mcts', { prior: 'llm', llmBaseUrl: server.baseUrl, llmModel: 'stand-in', llmMaxCalls: 3 });
    // Two benchmarks: answers are cached by state hash, so a second run on the same one would ask less.
    for (const benchmark of [BENCHMARK, 'benchmark://embedded-v0/dijkstra']) {
      const r = await agent.run(agentContext(localSource({ pool }), { benchmark, budget: { steps: 80 }, seed: 0 }));
      expect(r.stats).toMatchObject({ prior: 'llm', llmCalls: 3, llmAnswers: 3, llmTokens: 963, llmProvider: `openai:stand-in@${server.baseUrl}` });
      expect(Number(r.stats!.llmFallbackLlmBudget)).toBeGreaterThan(0);
    }
    expect(server.requests).toHaveLength(6);
    expect(server.probes).toBe(1); // the endpoint was probed once, before the first search
    await agent.close?.();
  } finally {
    await server.close();
  }
});

test('prior=llm with nobody listening fails before searching; a run where every call failed fails; llmFallback=true accepts both', async () => {
  const run = async (options: Record<string, string | number | boolean>) => {
    const agent = await createAgent('mcts', { prior: 'llm', llmModel: 'stand-in', llmRetries: 0, ...options });
    try {
      return await agent.run(agentContext(localSource({ pool }), { benchmark: BENCHMARK, budget: { steps: 20 }, seed: 0 }));
    } finally {
      await agent.close?.();
    }
  };
  // A loopback port that was just free: connection refused.
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const nobody = `http://127.0.0.1:${closed}/v1`;
  await expect(run({ llmBaseUrl: nobody })).rejects.toThrow(new RegExp(`LLM endpoint ${nobody.replace(/[./]/g, '\\$&')} does not answer \\(ECONNREFUSED\\).*llmFallback=true`));
  const warned = await run({ llmBaseUrl: nobody, llmFallback: true });
  expect(warned.stats).toMatchObject({ llmAnswers: 0 });
  expect(Number(warned.stats!.llmFallbackLlmNetwork)).toBeGreaterThan(0);

  // A server that answers the probe but fails every call.
  const failing = await startStandIn(() => ({ status: 500, raw: '{"error":"overloaded"}' }));
  try {
    await expect(run({ llmBaseUrl: failing.baseUrl })).rejects.toThrow(/every LLM call on benchmark:\/\/embedded-v0\/\S+ failed \(LlmHttp \d+\)/);
    const kept = await run({ llmBaseUrl: failing.baseUrl, llmFallback: true });
    expect(kept.actions.length).toBeGreaterThan(0);
    expect(Number(kept.stats!.llmFallbackLlmHttp)).toBeGreaterThan(0);
  } finally {
    await failing.close();
  }
});

test("the policy prior reads the policy's observation space and the search tries the policy's favourite actions first", async () => {
  const { ev, asked } = await recordingEvaluator(12);
  const seen: Array<{ length: number; history: number[] }> = [];
  const favourite = ['sroa', 'instcombine', 'simplifycfg'].map((n) => ev.actionSpace.index(n));
  const policy: PolicyLike = {
    observationSpace: 'Autophase',
    actionSpaceVersion: ev.actionSpace.version,
    async probabilities(observation, history) {
      seen.push({ length: observation.length, history: [...history] });
      const p = new Float32Array(ev.actionCount).fill(0.1 / ev.actionCount);
      favourite.forEach((a, i) => (p[a] += [0.5, 0.3, 0.1][i]));
      return p;
    },
    dispose: () => undefined,
  };
  try {
    await mctsSearch(ev, policyPrior(policy, ev.actionSpace.version, 0.1), { batch: 1, benchmark: BENCHMARK, actionNames: ev.actionSpace.names });
    expect(asked[0]).toEqual({ hash: ev.root.hash, action: favourite[0] });
    // At every state, the untried actions are taken in the policy's order.
    for (const hash of new Set(asked.map((a) => a.hash))) {
      const here = asked.filter((a) => a.hash === hash).map((a) => a.action);
      expect(here.slice(0, 3)).toEqual(favourite.slice(0, Math.min(3, here.length)));
    }
    expect(seen[0]).toEqual({ length: 56, history: [] });
    expect(seen.some((s) => s.history.length > 0)).toBe(true);
  } finally {
    await ev.close();
  }
});

test('a policy trained on another action space is refused with both versions named', () => {
  const policy: PolicyLike = { observationSpace: 'Autophase', actionSpaceVersion: 'PassesAll-llvm15-00000000', probabilities: async () => new Float32Array(120), dispose: () => undefined };
  expect(() => policyPrior(policy, 'PassesAll-llvm14-2f985c44', 0.1)).toThrow(PolicyMismatchError);
  expect(() => policyPrior(policy, 'PassesAll-llvm14-2f985c44', 0.1)).toThrow(/PassesAll-llvm15-00000000.*PassesAll-llvm14-2f985c44/);
});

test('mcts options are checked when the agent is built', async () => {
  await expect(createAgent('mcts', { depth: 3 })).rejects.toThrow(/unknown option depth/);
  await expect(createAgent('mcts', { prior: 'oracle' })).rejects.toThrow(/uniform, policy, policy:CHECKPOINT_DIR or llm/);
  await expect(createAgent('mcts', { prior: 'llm' })).rejects.toThrow(/llmBaseUrl/);
  await expect(createAgent('mcts', { backup: 'min' })).rejects.toThrow(/mean or max/);
  await expect(createAgent('mcts', { c: -1 })).rejects.toThrow(/c=-1/);
  await expect(createAgent('mcts', { prior: 'llm', llmBaseUrl: 'http://127.0.0.1:1/v1', llmTimeoutMs: 0 })).rejects.toThrow(/llmTimeoutMs=0/);
});

test('prior policy:DIR fails naming the folder when the checkpoint cannot be loaded', async () => {
  const agent = await createAgent('mcts', { prior: 'policy:/nonexistent/checkpoint' });
  await expect(agent.run(context(10))).rejects.toThrow(/policy:\/nonexistent\/checkpoint: cannot load the PPO checkpoint/);
});

test('prior=policy searches with the committed PPO policy and reports the policy prior', async () => {
  const agent = await createAgent('mcts', { prior: 'policy' });
  try {
    if (findLlvm().major !== 14) {
      // The committed policy is LLVM 14's: elsewhere it is refused with the remedy.
      await expect(agent.run(context(30))).rejects.toThrow(/trained on LLVM 14 and LLVM \d+ is loaded: run with PASSGYM_LLVM=14/);
      return;
    }
    const r = await agent.run(context(30));
    expect(r.stats).toMatchObject({ prior: 'policy', policyObservation: 'Autophase' });
    expect(Number(r.stats!.priorCalls)).toBeGreaterThan(0);
    expect(await replay(r.actions)).toBeCloseTo(Number(r.stats!.bestValue), 5);
  } finally {
    await agent.close?.();
  }
});

test('the sample-efficiency bench reads the compilations at which a trace first reaches a reward', () => {
  expect(compilationsToReach('8:0.69 12:0.73 26:1.10 28:1.17', 1.1)).toBe(26);
  expect(compilationsToReach('8:0.69 12:0.73', 1.1)).toBeNull();
  expect(compilationsToReach('', 0.5)).toBeNull();
});
