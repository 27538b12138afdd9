/**
 * The `mcts` agent: `mctsSearch` (PUCT tree search over pass sequences) with a prior chosen by
 * the `prior` option — `uniform`, `policy[:CHECKPOINT_DIR]` (a PPO policy, AlphaZero-style) or
 * `llm` (an OpenAI-compatible endpoint or a local GGUF model).
 *
 * Options (`passgym search --agent mcts --prior … --agent-options k=v,…`):
 *  - `prior`: `uniform` (default) | `policy` (the committed PPO policy, `agents/ppo/pretrained`) |
 *    `policy:CHECKPOINT_DIR` | `llm`
 *  - `c`: PUCT constant (default 0.1); `rollouts`: random passes after each new state (default 0);
 *    `batch`: simulations compiled at once (default: the context's parallelism);
 *    `backup`: `max` (default) | `mean`; `maxLength`: longest sequence (default 200);
 *    `floor`: share of the uniform distribution mixed into a policy or LLM prior (default 0.1);
 *    `held`: environments each lane keeps at recently used states (default 64; fewer replays);
 *    `allowUnsafe`: also try the actions known to miscompile (`env/actions/unsafe.ts`; default false)
 *  - LLM: `llmBaseUrl` (or env `PASSGYM_LLM_BASE_URL`), `llmModel` (default `default`), `llmGguf`
 *    (a .gguf path), `llmTimeoutMs` (60,000), `llmRetries` (2), `llmBackoffMs` (500),
 *    `llmMaxCalls` (200 per benchmark), `llmMaxTokens` (2,000,000 per benchmark), `llmTemperature` (0.2), `llmJsonMode`
 *    (true), `llmThreads` (1, GGUF), `llmProposals` (5), `llmIrChars` (4,000), `printPrompt`
 *    (print the first prompt and continue), `llmFallback` (false: see below). The API key comes from `OPENAI_API_KEY` or
 *    `PASSGYM_LLM_API_KEY`.
 * `stats.trace` lists each improvement of the best reward as `compilations:reward` (compilations
 * counted at the end of the batch that found it).
 * With `prior=llm`, `printPrompt=true` and no endpoint, the prompt is printed and the search
 * continues with the uniform prior (counted as fallbacks with cause NoProvider).
 * The endpoint is probed (`GET /models`) before the first search, and a run in which every LLM
 * call failed (timeouts, HTTP or network errors, unreadable answers) throws, so that a result is
 * never taken for an LLM-guided one when the model never answered; `llmFallback=true` (`search
 * --llm-fallback`) instead warns and lets such runs stand (a spent call budget is never a failure).
 */
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { Evaluator } from '../search/evaluator';
import { ggufProvider } from '../llm-prior/gguf-provider';
import { llmPrior } from '../llm-prior/llm-prior';
import { openAiProvider } from '../llm-prior/openai-provider';
import { CallBudget, ChatProvider } from '../llm-prior/provider';
import { PRETRAINED_DIR } from '../ppo/agent';
import { loadPolicyPrior } from './policy-prior';
import { uniformPrior, type Prior } from './prior';
import { mctsSearch } from './search';
import type { Backup } from './tree';

/**
 * Defaults chosen on embedded-v0 (the validation split), 1,000 compilations, seed 0, mean reward
 * over its 8 programs: mean backup with c=1 1.2376, max backup with c=0.3 1.2666, c=0.1 1.2735,
 * c=0.03 1.2739 (random search 1.2251, greedy 1.2591). Rollouts of 3-5 passes lowered it at 300
 * compilations.
 */
const DEFAULT_C = 0.1;
const DEFAULT_BACKUP: Backup = 'max';

const KNOWN = [
  'prior', 'c', 'rollouts', 'batch', 'backup', 'maxLength', 'floor', 'held', 'allowUnsafe',
  'llmBaseUrl', 'llmModel', 'llmGguf', 'llmTimeoutMs', 'llmRetries', 'llmBackoffMs', 'llmMaxCalls', 'llmMaxTokens',
  'llmTemperature', 'llmJsonMode', 'llmThreads', 'llmProposals', 'llmIrChars', 'printPrompt', 'llmFallback',
] as const;

/** Fallback causes that are failures of the model (not a spent budget or no model asked for). */
const FAILURE_CAUSES = ['LlmTimeout', 'LlmHttp', 'LlmNetwork', 'LlmBadReply', 'LlmUnavailable', 'Malformed'];

/**
 * The failures of an LLM prior in one run's stats, as `LlmNetwork 12, Malformed 1`, when it had
 * failures and no answer at all, new or cached; else null (the model guided some states, or nothing
 * was asked).
 */
export function allLlmCallsFailed(stats: Record<string, number | string>): string | null {
  const failed = FAILURE_CAUSES.map((c) => [c, Number(stats[`llmFallback${c}`] ?? 0)] as const).filter(([, n]) => n > 0);
  // Answers cached from earlier runs (same states) guided this run too.
  if (failed.length === 0 || Number(stats.llmAnswers ?? 0) + Number(stats.llmCacheHits ?? 0) > 0) return null;
  return failed.map(([c, n]) => `${c} ${n}`).join(', ');
}

function stringOption(options: AgentOptions, key: string): string | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new Error(`agent option ${key}=${String(v)} must be a non-empty string`);
  return v;
}

function booleanOption(options: AgentOptions, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new Error(`agent option ${key}=${String(v)} must be true or false`);
  return v;
}

/** A prior's figures for one run: numbers as differences from `before` (priors live across benchmarks). */
function statsSince(before: Record<string, number | string>, after: Record<string, number | string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(after)) out[k] = typeof v === 'number' && typeof before[k] === 'number' ? v - (before[k] as number) : v;
  return out;
}

/**
 * Builds the agent. Priors that load something (a policy, a model) are loaded on the first run
 * and kept until `close()`.
 * @throws Error for an unknown option, a value out of range, or `prior=llm` without an endpoint,
 *   a GGUF path or `printPrompt`.
 */
export function mctsAgent(options: AgentOptions): Agent {
  checkOptionKeys('mcts', options, KNOWN);
  const priorSpec = stringOption(options, 'prior') ?? 'uniform';
  if (!(priorSpec === 'uniform' || priorSpec === 'llm' || priorSpec === 'policy' || priorSpec.startsWith('policy:'))) {
    throw new Error(`agent mcts: prior "${priorSpec}" is not uniform, policy, policy:CHECKPOINT_DIR or llm`);
  }
  if (priorSpec === 'policy:') throw new Error('agent mcts: prior policy: needs a checkpoint folder, e.g. policy:runs/ppo/checkpoint (or prior=policy for the committed one)');
  const checkpoint = priorSpec === 'policy' ? PRETRAINED_DIR : priorSpec.slice('policy:'.length);
  const c = numberOption(options, 'c', DEFAULT_C, 0);
  const rollouts = numberOption(options, 'rollouts', 0, 0, 1000);
  const batch = options.batch === undefined ? undefined : numberOption(options, 'batch', 1, 1, 1024);
  const maxLength = numberOption(options, 'maxLength', 200, 1);
  const floor = numberOption(options, 'floor', 0.1, 0, 1);
  const held = numberOption(options, 'held', 64, 1, 4096);
  const backup = stringOption(options, 'backup') ?? DEFAULT_BACKUP;
  if (backup !== 'mean' && backup !== 'max') throw new Error(`agent mcts: backup "${backup}" is not mean or max`);
  const printPrompt = booleanOption(options, 'printPrompt', false);
  const llmFallback = booleanOption(options, 'llmFallback', false);
  const allowUnsafe = booleanOption(options, 'allowUnsafe', false);
  const llmBaseUrl = stringOption(options, 'llmBaseUrl') ?? (process.env.PASSGYM_LLM_BASE_URL || undefined);
  const llmGguf = stringOption(options, 'llmGguf');
  if (priorSpec === 'llm' && !llmBaseUrl && !llmGguf && !printPrompt) {
    throw new Error('agent mcts: prior llm needs llmBaseUrl (an OpenAI-compatible endpoint such as http://127.0.0.1:8000/v1, or env PASSGYM_LLM_BASE_URL) or llmGguf (a .gguf file)');
  }
  const budget = new CallBudget(numberOption(options, 'llmMaxCalls', 200, 0), numberOption(options, 'llmMaxTokens', 2_000_000, 0));
  const llmModel = stringOption(options, 'llmModel') ?? 'default';
  const llm = {
    threads: numberOption(options, 'llmThreads', 1, 1),
    temperature: numberOption(options, 'llmTemperature', 0.2, 0, 2),
    timeoutMs: numberOption(options, 'llmTimeoutMs', 60_000, 1),
    retries: numberOption(options, 'llmRetries', 2, 0, 10),
    backoffMs: numberOption(options, 'llmBackoffMs', 500, 0),
    jsonMode: booleanOption(options, 'llmJsonMode', true),
    maxProposals: numberOption(options, 'llmProposals', 5, 1, 50),
    irChars: numberOption(options, 'llmIrChars', 4000, 0),
  };

  let prior: Prior | null = null;
  let priorVersion = '';
  const getPrior = async (actionSpaceVersion: string): Promise<Prior> => {
    if (prior && priorVersion === actionSpaceVersion) return prior;
    if (prior) await prior.close?.();
    priorVersion = actionSpaceVersion;
    if (priorSpec === 'uniform') prior = uniformPrior();
    else if (priorSpec.startsWith('policy')) prior = await loadPolicyPrior(checkpoint, actionSpaceVersion, floor);
    else {
      let provider: ChatProvider | null = null;
      if (llmGguf) provider = await ggufProvider({ modelPath: llmGguf, threads: llm.threads, temperature: llm.temperature }, budget);
      else if (llmBaseUrl) {
        const { timeoutMs, retries, backoffMs, temperature, jsonMode } = llm;
        provider = openAiProvider({ baseUrl: llmBaseUrl, model: llmModel, timeoutMs, retries, backoffMs, temperature, jsonMode }, budget);
      }
      // Nobody listening: say so before the search, not in a fallback counter after it.
      try {
        await provider?.probe?.();
      } catch (e) {
        if (!llmFallback) {
          priorVersion = '';
          await provider?.close?.();
          throw new Error(`agent mcts: ${(e as Error).message}: start the model server (or fix llmBaseUrl), or pass llmFallback=true (search --llm-fallback) to search with the uniform prior where the model fails`);
        }
        process.stderr.write(`passgym: warning: ${(e as Error).message}; every LLM call will fall back to the uniform prior (llmFallback=true)\n`);
      }
      prior = llmPrior({
        provider,
        budget,
        floor,
        limits: { maxProposals: llm.maxProposals, irChars: llm.irChars },
        printPrompt: printPrompt ? (text) => process.stdout.write(text + '\n') : undefined,
      });
    }
    return prior;
  };

  return {
    name: 'mcts',
    async run(context: AgentContext): Promise<AgentResult> {
      const ev = await Evaluator.open(context, { heldPerLane: held, affinity: true });
      try {
        const p = await getPrior(ev.actionSpace.version);
        budget.reset();
        const before = p.stats();
        const r = await mctsSearch(ev, p, { c, rollouts, batch, maxLength, backup: backup as Backup, seed: context.seed, benchmark: context.benchmark, actionNames: ev.actionSpace.names, actions: ev.searchActions(allowUnsafe) });
        context.log(`mcts ${priorSpec}: best ${r.best.value.toFixed(4)} after ${ev.stats.compilations} compilations, ${r.simulations} simulations`);
        const since = statsSince(before, p.stats());
        const failed = priorSpec === 'llm' && !llmFallback ? allLlmCallsFailed(since) : null;
        if (failed) {
          throw new Error(
            `agent mcts: every LLM call on ${context.benchmark} failed (${failed}), so the search ran with the uniform prior, not the model's; fix the endpoint (llmBaseUrl, llmTimeoutMs), or pass llmFallback=true (search --llm-fallback) to accept such runs`,
          );
        }
        return {
          actions: [...r.best.actions],
          steps: ev.stats.compilations,
          stats: {
            ...ev.summary(),
            ...since,
            prior: p.name,
            simulations: r.simulations,
            treeNodes: r.treeNodes,
            maxDepth: r.maxDepth,
            bestValue: Number(r.best.value.toFixed(6)),
            compilationsToBest: r.trace.length ? r.trace[r.trace.length - 1].compilations : 0,
            trace: r.trace.map((t) => `${t.compilations}:${t.value.toFixed(6)}`).join(' '),
          },
        };
      } finally {
        await ev.close();
      }
    },
    async close() {
      await prior?.close?.();
      prior = null;
    },
  };
}
