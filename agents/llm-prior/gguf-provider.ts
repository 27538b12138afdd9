/**
 * A local GGUF model through `node-llama-cpp` (v3), an optional peer dependency that is loaded
 * only when `--llm-gguf PATH` is given. The answer is constrained by a grammar built from the
 * answer's JSON schema (`ANSWER_SCHEMA`), so it is always JSON of the right shape; the pass
 * names are still validated by `parseAnswer`. It runs with `threads: 1` by default: this
 * machine has 2 cores and the search's workers need them.
 */
import { ANSWER_SCHEMA } from './answer';
import { CallBudget, ChatProvider, LlmError } from './provider';

/** Options of `ggufProvider`. */
export interface GgufOptions {
  /** Path of the .gguf file. */
  modelPath: string;
  /** CPU threads (default 1). */
  threads?: number;
  /** Answer tokens (default 512). */
  maxAnswerTokens?: number;
  temperature?: number;
}

/** The parts of node-llama-cpp v3's API used here. */
interface LlamaCppModule {
  getLlama(): Promise<{
    loadModel(o: { modelPath: string }): Promise<{
      createContext(o: { threads: number }): Promise<{ getSequence(): unknown; dispose(): Promise<void> }>;
      tokenize(text: string): unknown[];
      dispose(): Promise<void>;
    }>;
    createGrammarForJsonSchema(schema: object): Promise<unknown>;
  }>;
  LlamaChatSession: new (o: { contextSequence: unknown; systemPrompt?: string; autoDisposeSequence?: boolean }) => {
    prompt(text: string, o: { grammar: unknown; maxTokens: number; temperature: number }): Promise<string>;
    dispose(): void;
  };
}

/** Module name of the optional peer dependency. */
const LLAMA_CPP_MODULE = 'node-llama-cpp';

/**
 * Loads the model and returns a provider; every call is charged to `budget`. Each call is a
 * fresh chat on the context's one sequence (the prompt carries the whole state).
 * @throws LlmError `LlmUnavailable` when node-llama-cpp is not installed or the model cannot be loaded.
 */
export async function ggufProvider(options: GgufOptions, budget: CallBudget): Promise<ChatProvider> {
  let mod: LlamaCppModule;
  try {
    mod = (await import(LLAMA_CPP_MODULE)) as LlamaCppModule;
  } catch (e) {
    throw new LlmError('LlmUnavailable', `--llm-gguf needs the optional package node-llama-cpp (npm install node-llama-cpp@3): ${(e as Error).message}`);
  }
  let llama: Awaited<ReturnType<LlamaCppModule['getLlama']>>;
  let model: Awaited<ReturnType<typeof llama.loadModel>>;
  try {
    llama = await mod.getLlama();
    model = await llama.loadModel({ modelPath: options.modelPath });
  } catch (e) {
    throw new LlmError('LlmUnavailable', `cannot load GGUF model ${options.modelPath}: ${(e as Error).message}`);
  }
  const context = await model.createContext({ threads: options.threads ?? 1 });
  const sequence = context.getSequence();
  const grammar = await llama.createGrammarForJsonSchema(ANSWER_SCHEMA);
  return {
    name: `gguf:${options.modelPath}`,
    async complete(messages) {
      budget.beforeCall();
      const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
      const user = messages.filter((m) => m.role !== 'system').map((m) => m.content).join('\n');
      const session = new mod.LlamaChatSession({ contextSequence: sequence, systemPrompt: system, autoDisposeSequence: false });
      let text: string;
      try {
        text = await session.prompt(user, { grammar, maxTokens: options.maxAnswerTokens ?? 512, temperature: options.temperature ?? 0.2 });
      } finally {
        session.dispose();
      }
      const tokens = model.tokenize(system + user + text).length;
      budget.addTokens(tokens);
      return { text, tokens };
    },
    async close() {
      await context.dispose();
      await model.dispose();
    },
  };
}
