/**
 * What the LLM prior needs from a language model: chat messages in, text out, with the tokens it
 * cost; and the call/token budget that every provider honours.
 */
import type { ChatMessage } from './prompt';

/** One completion. */
export interface Completion {
  text: string;
  /** Tokens used (prompt + answer), as the provider reports them. */
  tokens: number;
}

/** A chat model. */
export interface ChatProvider {
  /** `openai:MODEL@URL` or `gguf:PATH`, for the results. */
  readonly name: string;
  /** @throws LlmError (timeout, HTTP error, network error, budget spent, unreadable reply). */
  complete(messages: readonly ChatMessage[]): Promise<Completion>;
  /**
   * Checks that the model can be reached at all, before a search relies on it; not charged to the
   * budget.
   * @throws LlmError `LlmUnavailable` naming the endpoint and what failed.
   */
  probe?(): Promise<void>;
  close?(): Promise<void>;
}

/** Why a call to a model failed. */
export type LlmErrorCode = 'LlmTimeout' | 'LlmHttp' | 'LlmNetwork' | 'LlmBudget' | 'LlmBadReply' | 'LlmUnavailable';

/** A failed model call; `code` says which failure. */
export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    /** HTTP status for `LlmHttp`. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Limits on calls and tokens, and what was used. */
export class CallBudget {
  /** Requests sent (each retry counts). */
  calls = 0;
  /** Tokens reported by the replies. */
  tokens = 0;

  constructor(
    readonly maxCalls: number = Infinity,
    readonly maxTokens: number = Infinity,
  ) {}

  /**
   * Counts a request about to be sent.
   * @throws LlmError `LlmBudget` when the call or token budget is spent.
   */
  beforeCall(): void {
    if (this.calls >= this.maxCalls) throw new LlmError('LlmBudget', `the LLM call budget (${this.maxCalls} calls) is spent`);
    if (this.tokens >= this.maxTokens) throw new LlmError('LlmBudget', `the LLM token budget (${this.maxTokens} tokens) is spent`);
    this.calls++;
  }

  /** Starts counting again (a new benchmark). */
  reset(): void {
    this.calls = 0;
    this.tokens = 0;
  }

  /** Adds the tokens a reply used. */
  addTokens(n: number): void {
    this.tokens += n;
  }
}
