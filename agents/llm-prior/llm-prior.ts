/**
 * The LLM prior: for a state met for the first time, build the prompt (`prompt.ts`) from the
 * state's observations (InstCount, Autophase, Ir, the -O0 and -Oz sizes) and the search's
 * history, ask the model, validate the answer (`answer.ts`), and return its proposals as
 * sequences to expand first and as P(a|s) with a floor.
 *
 * It never fails the search: a timeout, an HTTP or network error, a spent budget, an unreadable
 * reply or an answer without a valid pass gives the uniform prior, and is counted by cause.
 * Good answers are cached by (state hash, prompt version).
 */
import { COMPILERGYM_FLAGS } from '../../env/actions/flags';
import { isNumberArray } from '../../env/observations';
import { uniform, type Prior, type PriorRequest, type PriorResult } from '../mcts/prior';
import { MalformedAnswerError, parseAnswer, proposalsToPrior } from './answer';
import { buildPrompt, ChatMessage, DEFAULT_PROMPT_LIMITS, PROMPT_VERSION, PromptLimits, PromptState } from './prompt';
import { CallBudget, ChatProvider, LlmError } from './provider';

/** Options of `llmPrior`. */
export interface LlmPriorOptions {
  /** The model, or null to only build (and print) prompts and use the uniform prior. */
  provider: ChatProvider | null;
  /** The budget the provider charges. */
  budget: CallBudget;
  /** Share of the uniform distribution mixed into the proposals' prior (default 0.1). */
  floor?: number;
  limits?: Partial<PromptLimits>;
  /** Called with the first prompt built (`--print-prompt`). */
  printPrompt?: (text: string) => void;
}

/** Messages as plain text, for printing. */
export function renderMessages(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `----- ${m.role} -----\n${m.content}`).join('\n');
}

/** Resolves pass names as the model may write them: action names, or CompilerGym flags (`-gvn`). */
export function nameResolver(actionNames: readonly string[]): (name: string) => number | undefined {
  const byName = new Map(actionNames.map((n, i) => [n, i]));
  for (const f of COMPILERGYM_FLAGS) {
    const k = f.spellings.map((p) => byName.get(p)).find((i) => i !== undefined);
    if (k === undefined) continue;
    for (const alias of [f.flag, f.flag.slice(1), ...f.spellings]) if (!byName.has(alias)) byName.set(alias, k);
  }
  return (name) => byName.get(name);
}

/** Reads the state the prompt describes. */
async function promptState(request: PriorRequest): Promise<PromptState> {
  const vector = async (space: string): Promise<number[]> => {
    const v = await request.observe(space);
    if (!isNumberArray(v)) throw new TypeError(`${space} observation is not a vector`);
    return v;
  };
  return {
    benchmark: request.benchmark,
    instCount: await vector('InstCount'),
    autophase: await vector('Autophase'),
    ir: String(await request.observe('Ir')),
    instructionsO0: Number(await request.observe('IrInstructionCountO0')),
    instructionsOz: Number(await request.observe('IrInstructionCountOz')),
    history: request.history,
    best: { actions: request.best.actions, value: request.best.value },
    actionNames: request.actionNames,
  };
}

/** See the module TSDoc. */
export function llmPrior(options: LlmPriorOptions): Prior {
  const floor = options.floor ?? 0.1;
  const limits: PromptLimits = { ...DEFAULT_PROMPT_LIMITS, ...options.limits };
  const cache = new Map<string, PriorResult>();
  const counts: Record<string, number> = { llmAnswers: 0, llmFallbacks: 0, llmCacheHits: 0, llmInvalidNames: 0, llmPrompts: 0 };
  let printed = false;
  let resolver: { names: readonly string[]; resolve: (n: string) => number | undefined } | null = null;

  const fallback = (cause: string, request: PriorRequest): PriorResult => {
    counts.llmFallbacks++;
    counts[`llmFallback${cause}`] = (counts[`llmFallback${cause}`] ?? 0) + 1;
    return { p: uniform(request.actionNames.length), proposals: [] };
  };

  return {
    name: 'llm',
    async prior(request) {
      const key = `${request.node.hash}|${PROMPT_VERSION}`;
      const hit = cache.get(key);
      if (hit) {
        counts.llmCacheHits++;
        return hit;
      }
      // Once the first prompt is printed, a prompt that cannot be sent is not worth building.
      const b = options.budget;
      if (printed || !options.printPrompt) {
        if (!options.provider) return fallback('NoProvider', request);
        if (b.calls >= b.maxCalls || b.tokens >= b.maxTokens) return fallback('LlmBudget', request);
      }
      const messages = buildPrompt(await promptState(request), limits);
      counts.llmPrompts++;
      if (options.printPrompt && !printed) {
        printed = true;
        options.printPrompt(renderMessages(messages));
      }
      if (!options.provider) return fallback('NoProvider', request);
      let text: string;
      try {
        text = (await options.provider.complete(messages)).text;
      } catch (e) {
        if (e instanceof LlmError) return fallback(e.code, request);
        throw e;
      }
      if (!resolver || resolver.names !== request.actionNames) resolver = { names: request.actionNames, resolve: nameResolver(request.actionNames) };
      try {
        const answer = parseAnswer(text, resolver.resolve);
        counts.llmInvalidNames += answer.invalidNames.length;
        counts.llmAnswers++;
        const result: PriorResult = { p: proposalsToPrior(answer.sequences, request.actionNames.length, floor), proposals: answer.sequences };
        cache.set(key, result);
        return result;
      } catch (e) {
        if (e instanceof MalformedAnswerError) return fallback('Malformed', request);
        throw e;
      }
    },
    stats: () => ({
      ...counts,
      llmCalls: options.budget.calls,
      llmTokens: options.budget.tokens,
      llmProvider: options.provider?.name ?? 'none',
      promptVersion: PROMPT_VERSION,
    }),
    close: async () => options.provider?.close?.(),
  };
}
