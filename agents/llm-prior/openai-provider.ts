/**
 * Any OpenAI-compatible chat-completions endpoint: vLLM (`vllm serve MODEL` → http://HOST:8000/v1),
 * llama.cpp's `llama-server` (http://HOST:8080/v1), Ollama (http://HOST:11434/v1), OpenAI.
 *
 * One request: `POST {baseUrl}/chat/completions` with `{model, messages, temperature, max_tokens,
 * response_format: {type: 'json_object'}}` and `Authorization: Bearer KEY` when a key is set
 * (`OPENAI_API_KEY` or `PASSGYM_LLM_API_KEY`). Each attempt has a timeout (AbortController).
 * HTTP 429 and 5xx, network errors and timeouts are retried with exponential backoff
 * (`backoffMs · 2^attempt`, or the server's `Retry-After` when longer, at most 30 s); other HTTP
 * errors are not. Tokens come from the reply's `usage.total_tokens`; a server that reports no
 * usage is charged (prompt characters + answer characters) / 4, the usual rule of thumb for
 * English text with BPE tokenisers. `probe()` asks `GET {baseUrl}/models` once, to tell a server
 * that is not there from one that fails calls.
 */
import { CallBudget, ChatProvider, Completion, LlmError } from './provider';
import type { ChatMessage } from './prompt';

/** Options of `openAiProvider`. */
export interface OpenAiOptions {
  /** e.g. `http://127.0.0.1:8000/v1` (the part before `/chat/completions`). */
  baseUrl: string;
  model: string;
  /** Default: `OPENAI_API_KEY`, else `PASSGYM_LLM_API_KEY`, else none. */
  apiKey?: string;
  /** Per attempt, in milliseconds (default 60,000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** First backoff in milliseconds (default 500). */
  backoffMs?: number;
  /** Sampling temperature (default 0.2). */
  temperature?: number;
  /** `max_tokens` of the answer (default 512). */
  maxAnswerTokens?: number;
  /** Send `response_format: {type: 'json_object'}` (default true; turn off for servers that reject it). */
  jsonMode?: boolean;
}

const MAX_BACKOFF_MS = 30_000;
/** Longest wait of `probe()` (or the per-attempt timeout when shorter), in milliseconds. */
const PROBE_TIMEOUT_MS = 10_000;

/** The API key from the environment, or undefined. */
export function apiKeyFromEnv(): string | undefined {
  return process.env.OPENAI_API_KEY || process.env.PASSGYM_LLM_API_KEY || undefined;
}

/**
 * A provider for an OpenAI-compatible endpoint; every attempt is charged to `budget`.
 * @throws Error for a base URL that is not http(s).
 */
export function openAiProvider(options: OpenAiOptions, budget: CallBudget): ChatProvider {
  let url: URL;
  try {
    url = new URL(options.baseUrl.replace(/\/+$/, '') + '/chat/completions');
  } catch {
    throw new Error(`llmBaseUrl "${options.baseUrl}" is not a URL; give e.g. http://127.0.0.1:8000/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`llmBaseUrl "${options.baseUrl}" must be http or https`);
  const apiKey = options.apiKey ?? apiKeyFromEnv();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 500;

  const attempt = async (messages: readonly ChatMessage[]): Promise<Completion> => {
    budget.beforeCall();
    const body = {
      model: options.model,
      messages,
      temperature: options.temperature ?? 0.2,
      max_tokens: options.maxAnswerTokens ?? 512,
      ...(options.jsonMode === false ? {} : { response_format: { type: 'json_object' } }),
    };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: abort.signal,
      });
      text = await res.text();
    } catch (e) {
      if (abort.signal.aborted) throw new LlmError('LlmTimeout', `${url.href} did not answer within ${timeoutMs} ms`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new LlmError('LlmNetwork', `${url.href}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      const err = new LlmError('LlmHttp', `${url.href} answered HTTP ${res.status}: ${text.slice(0, 200)}`, res.status);
      (err as LlmError & { retryAfterMs?: number }).retryAfterMs = Number(res.headers.get('retry-after')) * 1000 || undefined;
      throw err;
    }
    let reply: { choices?: Array<{ message?: { content?: unknown } }>; usage?: { total_tokens?: unknown } };
    try {
      reply = JSON.parse(text);
    } catch {
      throw new LlmError('LlmBadReply', `${url.href} answered something that is not JSON: ${text.slice(0, 200)}`);
    }
    const content = reply.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new LlmError('LlmBadReply', `${url.href} answered without choices[0].message.content`);
    const reported = reply.usage?.total_tokens;
    const tokens = typeof reported === 'number' && reported >= 0 ? reported : Math.ceil((JSON.stringify(messages).length + content.length) / 4);
    budget.addTokens(tokens);
    return { text: content, tokens };
  };

  const retryable = (e: unknown): boolean =>
    e instanceof LlmError && (e.code === 'LlmTimeout' || e.code === 'LlmNetwork' || (e.code === 'LlmHttp' && (e.status === 429 || (e.status ?? 0) >= 500)));

  return {
    name: `openai:${options.model}@${options.baseUrl}`,
    // GET {baseUrl}/models, which vLLM, llama-server, Ollama and OpenAI all serve. Any HTTP answer
    // (even an error status) shows that a server is listening; only no answer fails the probe.
    async probe() {
      const models = new URL(options.baseUrl.replace(/\/+$/, '') + '/models');
      const wait = Math.min(timeoutMs, PROBE_TIMEOUT_MS);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), wait);
      try {
        const res = await fetch(models, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: abort.signal });
        await res.arrayBuffer();
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = abort.signal.aborted ? `no answer within ${wait} ms` : (cause?.code ?? cause?.message ?? (e as Error).message);
        throw new LlmError('LlmUnavailable', `the LLM endpoint ${options.baseUrl} does not answer (${why})`);
      } finally {
        clearTimeout(timer);
      }
    },
    async complete(messages) {
      for (let k = 0; ; k++) {
        try {
          return await attempt(messages);
        } catch (e) {
          if (k >= retries || !retryable(e)) throw e;
          const hinted = (e as { retryAfterMs?: number }).retryAfterMs ?? 0;
          await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, Math.max(hinted, backoffMs * 2 ** k))));
        }
      }
    },
  };
}
