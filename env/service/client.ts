/**
 * `ServiceClient`: a DEALER connection to `passgym serve` that sends `passgym.v2.Request`s and
 * matches replies by request id. Reliability is the ZeroMQ guide's "lazy pirate" pattern: a
 * request without a reply within `timeoutMs` is resent on a fresh socket, `retries` times, then
 * fails. The failures that pattern is known for are handled: a resend keeps its request id, so
 * the server answers a step it already ran from its cache instead of running it twice; and a reply
 * that arrives after its resend is dropped when its id is no longer awaited.
 */
import { randomBytes } from 'node:crypto';
import * as zmq from 'zeromq';
import { fromErrorPayload, PassGymError } from '../errors';
import { DecodedResponse, decodeResponse, encodeRequest, Method, ReplyOf, RequestOf, wire } from './proto';

/** Connection options. */
export interface ClientOptions {
  /** Milliseconds to wait for a reply before resending (default 600,000: steps may be long). */
  timeoutMs?: number;
  /** Resends before giving up (default 3). */
  retries?: number;
  /** CURVE: the server's public key (Z85). */
  curveServerKey?: string;
  /** CURVE: this client's key pair (Z85); made up (once per client) when omitted. */
  curvePublicKey?: string;
  curveSecretKey?: string;
  /**
   * Who this client is (proto Request.client_id, at least 16 bytes): the owner of the sessions it
   * starts. Random when omitted; give another client the same id to let it use those sessions.
   */
  clientId?: Buffer;
}

interface Pending {
  resolve: (m: DecodedResponse) => void;
  reject: (e: Error) => void;
}

/** A connection to one server; see the module TSDoc. */
export class ServiceClient {
  private socket!: zmq.Dealer;
  private readonly pending = new Map<number, Pending>();
  /** Request ids start at a random 40-bit offset, so that two clients of one session never reuse an id. */
  private nextId = 1 + Math.floor(Math.random() * 2 ** 40);
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  /** Environments using this connection (`retain`/`release`); the last release closes it. */
  private users = 0;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(
    readonly endpoint: string,
    private readonly options: ClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.retries = options.retries ?? 3;
    this.clientId = options.clientId ?? randomBytes(16);
    this.curvePair =
      options.curvePublicKey && options.curveSecretKey ? { publicKey: options.curvePublicKey, secretKey: options.curveSecretKey } : zmq.curveKeyPair();
    this.connect();
  }

  /**
   * Who this client is (proto Request.client_id): 16 random bytes drawn once, sent with every
   * request, so that its sessions stay its own across reconnections and no other client can use them.
   */
  readonly clientId: Buffer;
  /** The CURVE key pair, drawn once when none is given: a reconnection keeps the sessions' owner. */
  private curvePair!: { publicKey: string; secretKey: string };

  private connect(): void {
    const curve = this.options.curveServerKey
      ? { curveServerKey: this.options.curveServerKey, curvePublicKey: this.curvePair.publicKey, curveSecretKey: this.curvePair.secretKey }
      : {};
    const socket = new zmq.Dealer({ ...curve, linger: 0 });
    socket.connect(this.endpoint);
    this.socket = socket;
    void this.receive(socket);
  }

  private async receive(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const payload = frames.length === 2 && frames[0].length === 0 ? frames[1] : frames[0];
        let msg: DecodedResponse;
        try {
          msg = decodeResponse(payload);
        } catch {
          continue;
        }
        const id = Number(msg.requestId ?? 0);
        const p = this.pending.get(id);
        if (!p) continue; // a late reply to a request already resent or abandoned
        this.pending.delete(id);
        // The class a local env throws for the same code (UnknownActionError, SessionNotFoundError, …).
        if (msg.error) p.reject(fromErrorPayload({ code: msg.error.code ?? 'INTERNAL', message: msg.error.message ?? '' }));
        else p.resolve(msg);
      }
    } catch {
      // the socket was closed (reconnect or close())
    }
  }

  private post(bytes: Uint8Array): void {
    const socket = this.socket;
    this.sending = this.sending.then(() => socket.send(bytes)).catch(() => undefined);
  }

  /**
   * Sends `{[method]: body}` and resolves with the reply's result (e.g. `call('step', {…})`
   * takes a `wire.IStepRequest` and gives the decoded `wire.IStepReply`).
   * @throws the PassGymError subclass of the server's code (`fromErrorPayload`: the class a local
   *   env throws), with its message; `NO_REPLY` after the retries; `CLOSED` after `close()`.
   */
  async call<M extends Method>(method: M, body: RequestOf<M> = {} as RequestOf<M>): Promise<ReplyOf<M>> {
    if (this.closed) throw new PassGymError('CLOSED', `the connection to ${this.endpoint} was closed`);
    const id = this.nextId++;
    const request: wire.IRequest = { requestId: id, clientId: this.clientId, [method]: body };
    const bytes = encodeRequest(request);
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const reply = new Promise<DecodedResponse>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.post(bytes);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), this.timeoutMs);
      });
      try {
        const msg = await Promise.race([reply, timeout]);
        if (msg) return (msg[method] ?? {}) as ReplyOf<M>;
      } finally {
        clearTimeout(timer);
      }
      // Lazy pirate: no reply in time; drop this request and retry on a fresh socket.
      this.pending.delete(id);
      this.socket.close();
      this.connect();
    }
    throw new PassGymError('NO_REPLY', `no reply from ${this.endpoint} to ${method} after ${this.retries + 1} tries of ${this.timeoutMs} ms`);
  }

  /** True once `close()` ran: the socket is gone and calls fail with CLOSED. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Counts one more environment using this connection. */
  retain(): void {
    this.users++;
  }

  /**
   * Drops one environment's use; the last one closes the socket, whose pending receive (the
   * `for await` loop in `receive`) otherwise keeps the process from exiting.
   */
  release(): void {
    if (--this.users <= 0) this.close();
  }

  /** Closes the socket; pending calls fail with CLOSED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new PassGymError('CLOSED', `the connection to ${this.endpoint} was closed`));
    this.pending.clear();
    this.socket.close();
  }
}
