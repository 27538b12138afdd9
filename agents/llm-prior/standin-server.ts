/**
 * A stand-in for an LLM server, for tests and benchmarks on machines without model weights: real
 * HTTP on 127.0.0.1 (a free port) speaking the OpenAI chat-completions wire format
 * (`POST /v1/chat/completions`, reply `{choices: [{message: {content}}], usage: {total_tokens}}`;
 * `GET /v1/models` lists one model).
 * Each request is recorded, and the caller decides every reply. It is not a language model.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recorded request. */
export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: { model: string; messages: Array<{ role: string; content: string }>; temperature: number; max_tokens: number; response_format?: { type: string } };
}

/** What the stand-in answers to one request. */
export interface StandInReply {
  /** HTTP status (default 200). */
  status?: number;
  /** The assistant message's content, wrapped in a chat-completions reply. */
  content?: string;
  /** A raw body instead of a chat-completions reply. */
  raw?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** usage.total_tokens (default 100). */
  tokens?: number;
}

/** A running stand-in. */
export interface StandIn {
  /** Base URL, e.g. http://127.0.0.1:PORT/v1. */
  readonly baseUrl: string;
  /** The chat-completions requests, in order. */
  readonly requests: RecordedRequest[];
  /** GET /v1/models requests answered (the model list). */
  readonly probes: number;
  close(): Promise<void>;
}

/** Starts a stand-in that answers request i (0-based) with `reply(request, i)`; `close()` stops it. */
export async function startStandIn(reply: (request: RecordedRequest, i: number) => StandInReply): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let probes = 0;
  const server = http.createServer((req, res) => {
    // The model list (GET /v1/models), as OpenAI-compatible servers answer it: what a probe asks.
    if (req.method === 'GET' && req.url?.replace(/\/+$/, '').endsWith('/models')) {
      probes++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'default', object: 'model', owned_by: 'passgym-stand-in' }] }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      requests.push(recorded);
      const r = reply(recorded, requests.length - 1);
      const send = () => {
        const body = r.raw ?? JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          model: recorded.body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: r.content ?? '' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: (r.tokens ?? 100) - 10, completion_tokens: 10, total_tokens: r.tokens ?? 100 },
        });
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (r.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) send();
        }, r.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get probes() {
      return probes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A chat-completions content proposing `sequences` in the prompt's JSON format. */
export function proposalsJson(...sequences: string[][]): string {
  return JSON.stringify({ proposals: sequences.map((passes) => ({ passes, why: 'test' })) });
}
