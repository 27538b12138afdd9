import { WorkerPool } from '../../env/session/pool';
import { agentContext, localSource } from '../../agents/context';
import { Evaluator, SearchNode } from '../../agents/search/evaluator';
import { llmPrior } from '../../agents/llm-prior/llm-prior';
import { openAiProvider } from '../../agents/llm-prior/openai-provider';
import { ggufProvider } from '../../agents/llm-prior/gguf-provider';
import { CallBudget, LlmError } from '../../agents/llm-prior/provider';
import { functionSizes, irExcerpt } from '../../agents/llm-prior/ir-summary';
import { describePass, PASS_DESCRIPTIONS } from '../../agents/llm-prior/pass-descriptions';
import { spellingsOf } from '../../env/actions/flags';
import { PROMPT_VERSION } from '../../agents/llm-prior/prompt';
import type { HistoryStep, PriorRequest } from '../../agents/mcts/prior';
import { proposalsJson, StandIn, startStandIn } from '../../agents/llm-prior/standin-server';

const BENCHMARK = 'benchmark://embedded-v0/qsort';
const pool = new WorkerPool({ maxWorkers: 2 });
let ev: Evaluator;
const servers: StandIn[] = [];

beforeAll(async () => {
  ev = await Evaluator.open(agentContext(localSource({ pool }), { benchmark: BENCHMARK, budget: { steps: 1000 }, seed: 0 }));
});
afterAll(async () => {
  await ev.close();
  await Promise.all(servers.map((s) => s.close()));
  pool.close();
});

async function standIn(reply: Parameters<typeof startStandIn>[0]): Promise<StandIn> {
  const s = await startStandIn(reply);
  servers.push(s);
  return s;
}

function historyOf(node: SearchNode): HistoryStep[] {
  const steps: HistoryStep[] = [];
  for (let s: SearchNode | null = node; s && s.parent; s = s.parent) steps.unshift({ action: s.actions[s.actions.length - 1], reward: s.value - s.parent.value });
  return steps;
}

function request(node: SearchNode = ev.root, best: SearchNode = ev.root): PriorRequest {
  return {
    node,
    history: historyOf(node),
    best,
    benchmark: BENCHMARK,
    actionNames: ev.actionSpace.names,
    observe: async (space) => (await ev.observe(node, [space]))[space],
  };
}

function prior(server: StandIn, options: { retries?: number; timeoutMs?: number; maxCalls?: number; floor?: number } = {}) {
  const budget = new CallBudget(options.maxCalls ?? Infinity);
  const provider = openAiProvider({ baseUrl: server.baseUrl, model: 'stand-in', retries: options.retries ?? 0, backoffMs: 5, timeoutMs: options.timeoutMs ?? 10_000 }, budget);
  return llmPrior({ provider, budget, floor: options.floor ?? 0.1 });
}

async function child(node: SearchNode, action: string): Promise<SearchNode> {
  const [edge] = await ev.expand([{ node, action: ev.actionSpace.index(action) }]);
  expect(edge.child).not.toBeNull();
  return edge.child!;
}

test('every PassesAll action has a one-line description', () => {
  // Keyed by LLVM 14's spelling; a newer spelling of the same flag shares its line.
  const missing = ev.actionSpace.names.filter((n) => !spellingsOf(n).some((p) => PASS_DESCRIPTIONS[p]));
  expect(missing).toEqual([]);
  expect(ev.actionSpace.names.map(describePass)).toHaveLength(ev.actionSpace.n);
});

test('function sizes come from the IR, and the excerpt keeps whole functions, largest first, within its bound', async () => {
  const ir = String((await ev.observe(ev.root, ['Ir'])).Ir);
  const fns = functionSizes(ir);
  expect(fns.reduce((s, f) => s + f.instructions, 0)).toBe(Number((await ev.observe(ev.root, ['IrInstructionCount'])).IrInstructionCount));
  expect(fns[0].name).toBe('main');
  const excerpt = irExcerpt(fns, 3000);
  expect(excerpt.length).toBeLessThanOrEqual(3000);
  expect(excerpt.startsWith('define')).toBe(true);
  expect(excerpt).toContain('@main(');
  expect(excerpt).toMatch(/; \.\.\. \d+ more lines of @/);
});

test('the prompt carries the state (sizes, InstCount and Autophase summaries, function sizes, IR excerpt, vocabulary) over the chat-completions wire format', async () => {
  const saved = { a: process.env.OPENAI_API_KEY, b: process.env.PASSGYM_LLM_API_KEY };
  delete process.env.OPENAI_API_KEY;
  process.env.PASSGYM_LLM_API_KEY = 'test-key';
  try {
    const server = await standIn(() => ({ content: proposalsJson(['mem2reg']) }));
    await prior(server).prior(request());
    // The -O0 sizes are those of the loaded clang's build of the program.
    const ir = String((await ev.observe(ev.root, ['Ir'])).Ir);
    const fns = functionSizes(ir);
    const n0 = fns.reduce((s, f) => s + f.instructions, 0);
    expect(server.requests).toHaveLength(1);
    const { path, headers, body } = server.requests[0];
    expect(path).toBe('/v1/chat/completions');
    expect(headers.authorization).toBe('Bearer test-key');
    expect(body).toMatchObject({ model: 'stand-in', response_format: { type: 'json_object' } });
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[0].content).toContain('{"proposals": [{"passes"');
    const user = body.messages[1].content;
    expect(user).toContain(`Program: ${BENCHMARK}`);
    expect(user).toMatch(new RegExp(`IR instructions: now ${n0}, at -O0 ${n0}, after -Oz \\d+\\.`));
    expect(user).toMatch(new RegExp(`InstCount \\(non-zero\\): TotalInsts=${n0} TotalBlocks=\\d+ TotalFuncs=\\d+`));
    expect(user).toMatch(/Autophase \(non-zero\): .*NumAllocaInst=\d+/);
    expect(user).toContain('Defined functions: 13');
    expect(fns.slice(0, 2).map((f) => f.name)).toEqual(['main', 'median_of_three']);
    expect(user).toContain(fns.slice(0, 2).map((f) => `${f.name}: ${f.instructions}/${f.blocks}`).join(', '));
    expect(user).toMatch(/```llvm\ndefine [^\n]*@main\(/);
    expect(user).toContain(`- ${ev.actionSpace.names[ev.actionSpace.index('instcombine')]}: `);
    expect(user).toContain('- function(loop-mssa(licm)): ');
    expect(user).toContain('Passes applied so far: none');
    expect(user).toContain('Best sequence found so far: none');
  } finally {
    if (saved.a === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved.a;
    if (saved.b === undefined) delete process.env.PASSGYM_LLM_API_KEY;
    else process.env.PASSGYM_LLM_API_KEY = saved.b;
  }
});

test('the prompt carries the passes applied so far with the reward each gave, and the best sequence found', async () => {
  const a = await child(ev.root, 'mem2reg');
  const b = await child(a, 'instcombine');
  const server = await standIn(() => ({ content: proposalsJson(['gvn']) }));
  await prior(server).prior(request(b, b));
  const user = server.requests[0].body.messages[1].content;
  expect(user).toContain('Passes applied so far (2), with the reward each gave:');
  expect(user).toContain(`1. mem2reg +${a.value.toFixed(4)}`);
  const instcombine = ev.actionSpace.names[ev.actionSpace.index('instcombine')];
  expect(user).toContain(`2. ${instcombine} +${(b.value - a.value).toFixed(4)}`);
  expect(user).toContain(`Best sequence found so far (reward ${b.value.toFixed(4)}): mem2reg, ${instcombine}`);
  const n0 = Number((await ev.observe(ev.root, ['IrInstructionCount'])).IrInstructionCount);
  expect(user).not.toContain(`IR instructions: now ${n0},`);
});

test('proposals become the prior: ranked first passes get 1/(rank+1) and every action keeps a floor', async () => {
  const server = await standIn(() => ({ content: '```json\n' + proposalsJson(['gvn'], ['instcombine', 'simplifycfg'], ['-sroa']) + '\n```' }));
  const r = await prior(server, { floor: 0.2 }).prior(request());
  const k = (n: string) => ev.actionSpace.index(n);
  expect(r.proposals).toEqual([[k('gvn')], [k('instcombine'), k('simplifycfg')], [k('sroa')]]);
  const n = ev.actionSpace.n;
  const total = 1 + 1 / 2 + 1 / 3;
  expect(r.p[k('gvn')]).toBeCloseTo(0.8 * (1 / total) + 0.2 / n, 12);
  expect(r.p[k('instcombine')]).toBeCloseTo(0.8 * (0.5 / total) + 0.2 / n, 12);
  expect(r.p[k('sroa')]).toBeCloseTo(0.8 * (1 / 3 / total) + 0.2 / n, 12);
  expect(r.p[k('adce')]).toBeCloseTo(0.2 / n, 12);
  expect(r.p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
});

test('invalid pass names are dropped and counted; an answer with no valid pass falls back to uniform', async () => {
  const server = await standIn((_, i) => ({ content: i === 0 ? proposalsJson(['not-a-pass', 'gvn'], ['bogus']) : proposalsJson(['bogus'], ['nothing']) }));
  const p = prior(server);
  const r = await p.prior(request());
  expect(r.proposals).toEqual([[ev.actionSpace.index('gvn')]]);
  expect(p.stats()).toMatchObject({ llmInvalidNames: 2, llmAnswers: 1, llmFallbacks: 0 });
  const a = await child(ev.root, 'sroa');
  const r2 = await p.prior(request(a));
  expect(r2.proposals).toEqual([]);
  expect(new Set(r2.p)).toEqual(new Set([1 / ev.actionSpace.n]));
  expect(p.stats()).toMatchObject({ llmFallbacks: 1, llmFallbackMalformed: 1 });
});

test('garbage, HTTP 500 (after a retry) and a timeout fall back to uniform and are counted by cause', async () => {
  const garbage = await standIn(() => ({ content: 'Sure! Try instcombine then gvn.' }));
  const notJson = await standIn(() => ({ raw: '<html>bad gateway</html>' }));
  const failing = await standIn(() => ({ status: 500, raw: '{"error":"overloaded"}' }));
  const slow = await standIn(() => ({ content: proposalsJson(['gvn']), delayMs: 5000 }));
  const cases = [
    { server: garbage, options: {}, cause: 'llmFallbackMalformed', calls: 1 },
    { server: notJson, options: {}, cause: 'llmFallbackLlmBadReply', calls: 1 },
    { server: failing, options: { retries: 1 }, cause: 'llmFallbackLlmHttp', calls: 2 },
    { server: slow, options: { timeoutMs: 200 }, cause: 'llmFallbackLlmTimeout', calls: 1 },
  ];
  for (const c of cases) {
    const p = prior(c.server, c.options);
    const r = await p.prior(request());
    expect([c.cause, r.proposals.length, Math.max(...r.p), Math.min(...r.p)]).toEqual([c.cause, 0, 1 / ev.actionSpace.n, 1 / ev.actionSpace.n]);
    expect([c.cause, p.stats()]).toEqual([c.cause, expect.objectContaining({ llmFallbacks: 1, [c.cause]: 1, llmCalls: c.calls })]);
    expect(c.server.requests).toHaveLength(c.calls);
  }
});

test('answers are cached by (state hash, prompt version); a new state asks again', async () => {
  const server = await standIn(() => ({ content: proposalsJson(['gvn']), tokens: 250 }));
  const p = prior(server);
  const first = await p.prior(request());
  const again = await p.prior(request());
  expect(again).toBe(first);
  expect(server.requests).toHaveLength(1);
  await p.prior(request(await child(ev.root, 'instcombine')));
  expect(server.requests).toHaveLength(2);
  expect(p.stats()).toMatchObject({ llmCacheHits: 1, llmAnswers: 2, llmCalls: 2, llmTokens: 500, promptVersion: PROMPT_VERSION });
  expect(PROMPT_VERSION).toMatch(/^llm-prior-v1-[0-9a-f]{8}$/);
});

test('the call budget stops calls: later states get the uniform prior, counted', async () => {
  const server = await standIn(() => ({ content: proposalsJson(['gvn']) }));
  const p = prior(server, { maxCalls: 1 });
  expect((await p.prior(request())).proposals).toHaveLength(1);
  const r = await p.prior(request(await child(ev.root, 'simplifycfg')));
  expect(r.proposals).toEqual([]);
  expect(server.requests).toHaveLength(1);
  expect(p.stats()).toMatchObject({ llmCalls: 1, llmFallbackLlmBudget: 1 });
});

test('a GGUF model without node-llama-cpp installed fails with a message naming the package', async () => {
  await expect(ggufProvider({ modelPath: '/nonexistent/model.gguf' }, new CallBudget())).rejects.toThrow(LlmError);
  await expect(ggufProvider({ modelPath: '/nonexistent/model.gguf' }, new CallBudget())).rejects.toThrow(/node-llama-cpp/);
});
