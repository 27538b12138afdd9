/**
 * `PassGymServer`: serves `proto/passgym.proto` over a ZeroMQ ROUTER socket (ZeroMQ guide,
 * "ROUTER/DEALER"). Each session is an `LlvmEnv` over the server's `WorkerPool`, so local and
 * remote sessions run the same code. Requests of one session are served in order; different
 * sessions run concurrently over the pool's workers. Every failure, including undecodable bytes
 * and oversized messages, is answered with an error reply, never by dropping the connection.
 *
 * Failure handled by the pattern: a client that vanishes mid-episode leaves sessions behind;
 * sessions idle for longer than `sessionTimeoutSeconds` are ended and their modules freed.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as zmq from 'zeromq';
import { LlvmEnv } from '../env';
import { observationSpace, ObservationValue } from '../observations';
import { rewardSpace } from '../rewards';
import { parseCommandline } from '../actions/commandline';
import { WorkerPool } from '../session/pool';
import { actionSpaceFor } from '../registry';
import { ACTION_SPACE_NAMES, ActionSpaceName } from '../actions/space';
import { findLlvm } from '../llvm/library';
import { sha256, writeFileAtomic } from '../cache';
import {
  DatasetInstallingError,
  DatasetNotInstalledError,
  EpisodeStateError,
  PassGymError,
  SessionNotFoundError,
  CancelledError,
  SessionLimitError,
  SessionNotOwnedError,
  UnknownBenchmarkError,
  UnknownSpaceError,
} from '../errors';
import {
  actionSpaceToProto,
  DecodedRequest,
  DecodedRequestOf,
  decodeRequest,
  encode,
  Method,
  observationToProto,
  PROTOCOL,
  sessionKey,
  spaceInfos,
  uint64Long,
  wire,
} from './proto';
import { canonicalUri, DEFAULT_BENCHMARK, drawBenchmark, setRunUploaded, UPLOADED_DATASET, uploadedBenchmarkPath, uploadedRunPath } from '../benchmarks';
import { DATASET_RECIPES, GENERATOR_RECIPES, LLVM_STRESS } from '../datasets/registry';
import { installDataset, loadManifest } from '../datasets/install';
import { bitcodeToExecutable } from '../datasets/build';
import { runProgram } from '../datasets/run';
import type { RunSpec } from '../datasets/types';
import { z85Encode } from './z85';
import { makeRng } from '../spaces';
import { buildSlot, needsChildBuild, prepareInChild } from './prepare';

/** Options of `PassGymServer`. */
export interface ServerOptions {
  /** ZeroMQ endpoint to bind, e.g. tcp://127.0.0.1:5555. */
  bind: string;
  /** Worker processes (default: one per core). */
  workers?: number;
  /** Sessions idle longer than this are ended (seconds; default 600). */
  sessionTimeoutSeconds?: number;
  /** Requests larger than this get a MESSAGE_TOO_LARGE reply (default 64 MiB). */
  maxMessageBytes?: number;
  /** CURVE: the server's secret key (Z85, 40 chars); enables authentication and encryption. */
  curveSecretKey?: string;
  /** CURVE: public keys (Z85) of the clients allowed to connect; required with curveSecretKey. */
  curveClientKeys?: string[];
  /** Let clients name `file://` benchmarks on the server's disk (off by default). */
  allowFileBenchmarks?: boolean;
  /** Step timeout of the workers in ms. */
  stepTimeoutMs?: number;
  /**
   * Let uploaded C/C++ programs with a `main` run (Runtime, output validation). Their -O0 build is
   * run at upload, sandboxed (no network, scratch folder, timeout), to record the reference.
   */
  allowRunUploaded?: boolean;
  /**
   * Let a request that names a benchmark of a dataset not installed here start its installation
   * (off by default): in a child process, so that no request waits for it; until it ends such
   * requests get DATASET_INSTALLING. Without it they get DATASET_NOT_INSTALLED with the command.
   */
  allowRemoteInstall?: boolean;
  /**
   * Seconds of program runs one Runtime observation may take (default 60): past it the request
   * gets RUNTIME_BUDGET_EXCEEDED, and its worker is free for the other sessions again.
   */
  runtimeBudgetSeconds?: number;
  /** Sessions open at once, over all clients (default 1000); more get SESSION_LIMIT. */
  maxSessions?: number;
  /** Sessions open at once per client (Request.client_id or connection; default 256). */
  maxSessionsPerClient?: number;
}

/** Datasets a remote request may install without `allowRemoteInstall`: shipped, built in seconds. */
const INSTALLED_ON_DEMAND = new Set(['embedded-v0']);

/** A remote session: its environment and when it was last used. */
interface RemoteSession {
  env: LlvmEnv;
  /** Who may use it: `id:HEX` (Request.client_id) or, for a request without one, `conn:HEX` (its connection). */
  owner: string;
  lastSeen: number;
  /** Serialises the session's requests. */
  queue: Promise<unknown>;
  /**
   * The last `RECENT_REQUESTS` request ids served on this session (exact decimal strings) and
   * their responses, oldest first: a resent request gets its response again and is not re-run.
   */
  recent: Map<string, Promise<Reply>>;
  /** Estimated bytes of the replies in `recent` (at most RECENT_REPLY_BYTES). */
  recentBytes: number;
  /** Estimated size of each settled reply in `recent`, by request id. */
  recentSizes: Map<string, number>;
  /** Requests queued or running on it: the idle sweep never ends a session with one in flight. */
  inflight: number;
  /** An EndSession is queued: the session's requests before it get CANCELLED instead of running. */
  ending: boolean;
  /** StartSessionRequest.max_episode_steps (0: none), and the actions requested so far. */
  maxEpisodeSteps: number;
  elapsed: number;
}

/** A Response as the server builds it: the request id as its exact decimal string. */
type Reply = Omit<wire.IResponse, 'requestId'> & { requestId: string };

/** The most actions one Step or StartSession may carry (docs/protocol.md, "Limits"). */
export const MAX_ACTIONS_PER_REQUEST = 10_000;
/** The most observation spaces one Step or Observe may name. */
export const MAX_OBSERVATIONS_PER_REQUEST = 64;
/** Default of ServerOptions.runtimeBudgetSeconds. */
const DEFAULT_RUNTIME_BUDGET_SECONDS = 60;

/** The largest StartSessionRequest.max_episode_steps. */
const MAX_EPISODE_STEPS = 1_000_000;

/** How many request ids per session are remembered for resends (docs/protocol.md). */
export const RECENT_REQUESTS = 64;
/** Estimated bytes of cached replies per session; older ones are dropped past it (docs/protocol.md). */
export const RECENT_REPLY_BYTES = 256 << 10;
/**
 * A reply larger than this is not kept whole: a resend of its request gets RESEND_EXPIRED (the
 * request was applied; Observe gives the state's observations), never a second application.
 */
export const MAX_CACHED_REPLY_BYTES = 64 << 10;
/** Default of ServerOptions.maxSessions. */
const DEFAULT_MAX_SESSIONS = 1000;
/** Default of ServerOptions.maxSessionsPerClient. */
const DEFAULT_MAX_SESSIONS_PER_CLIENT = 256;
/** How many ended sessions' EndSession replies are remembered for resends. */
const ENDED_REMEMBERED = 1000;

const SERVICE_VERSION = '0.1.0';
/** clang limits for uploaded C: CPU seconds and address space. */
const UPLOAD_COMPILE_TIMEOUT_MS = 120_000;
const UPLOAD_COMPILE_MEMORY_BYTES = 4 * 2 ** 30;

/** The PassGym service; see the module TSDoc. */
export class PassGymServer {
  readonly pool: WorkerPool;
  private readonly socket: zmq.Router;
  /** Live sessions by id (the 16 bytes of `session_id` as hex). */
  private readonly sessions = new Map<string, RemoteSession>();
  private sending: Promise<void> = Promise.resolve();
  private sweeper: NodeJS.Timeout | null = null;
  private zap: zmq.Reply | null = null;
  private closed = false;
  readonly maxMessageBytes: number;
  readonly sessionTimeoutSeconds: number;

  constructor(private readonly options: ServerOptions) {
    this.pool = new WorkerPool({
      maxWorkers: options.workers,
      stepTimeoutMs: options.stepTimeoutMs,
      runtimeBudgetSeconds: options.runtimeBudgetSeconds ?? DEFAULT_RUNTIME_BUDGET_SECONDS,
    });
    setRunUploaded(options.allowRunUploaded ?? false);
    this.maxMessageBytes = options.maxMessageBytes ?? 64 * 2 ** 20;
    this.sessionTimeoutSeconds = options.sessionTimeoutSeconds ?? 600;
    const curve = options.curveSecretKey
      ? { curveServer: true, curveSecretKey: options.curveSecretKey, zapDomain: 'passgym' }
      : {};
    // A hard cap well above the reply limit, so that a huge frame cannot exhaust memory.
    this.socket = new zmq.Router({ ...curve, maxMessageSize: Math.max(this.maxMessageBytes * 4, 2 ** 20), linger: 0 });
  }

  /** Binds and starts serving; resolves once bound. */
  async start(): Promise<void> {
    if (this.options.curveSecretKey) await this.startZap(new Set(this.options.curveClientKeys ?? []));
    await this.socket.bind(this.options.bind);
    this.sweeper = setInterval(() => void this.sweep(), Math.min(1000, this.sessionTimeoutSeconds * 250));
    void this.serve();
  }

  /** The endpoint actually bound (resolves `tcp://127.0.0.1:*`). */
  get endpoint(): string {
    return this.socket.lastEndpoint ?? this.options.bind;
  }

  /** Number of live sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * ZeroMQ's ZAP protocol (RFC 27): libzmq asks inproc://zeromq.zap.01 to authenticate each CURVE
   * handshake; a client whose public key is not in `allowed` is refused.
   */
  private async startZap(allowed: Set<string>): Promise<void> {
    this.zap = new zmq.Reply();
    // A server closed just before in this process may still hold the endpoint for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.zap.bind('inproc://zeromq.zap.01');
        break;
      } catch (e) {
        if (attempt >= 40 || !/in use/i.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    void (async () => {
      for await (const frames of this.zap!) {
        const [version, requestId, , , , mechanism, key] = frames;
        const ok = mechanism?.toString() === 'CURVE' && key !== undefined && allowed.has(z85Encode(key));
        await this.zap!.send([version, requestId, ok ? '200' : '400', ok ? 'OK' : 'client key not allowed', ok ? 'client' : '', '']);
      }
    })().catch(() => undefined);
  }

  private async serve(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        const [identity, ...rest] = frames;
        const delimited = rest.length === 2 && rest[0].length === 0;
        const payload = delimited ? rest[1] : rest[0];
        const reply = (response: Reply) => this.send(identity, delimited, response);
        if (rest.length === 0 || rest.length > 2 || (rest.length === 2 && !delimited)) {
          // Answer with the request id of a frame that decodes, so that the client can match the reply.
          let id = '0';
          for (const f of rest) {
            if (f.length > this.maxMessageBytes) continue;
            try {
              id = decodeRequest(f).requestId;
            } catch {
              continue;
            }
            if (id !== '0') break;
          }
          reply(errorResponse(id, 'BAD_REQUEST', `expected one frame holding a ${PROTOCOL}.Request, got ${rest.length} frames`));
          continue;
        }
        if (payload.length > this.maxMessageBytes) {
          reply(errorResponse('0', 'MESSAGE_TOO_LARGE', `request of ${payload.length} bytes exceeds the server's limit of ${this.maxMessageBytes} bytes`));
          continue;
        }
        let decoded: DecodedRequest;
        try {
          decoded = decodeRequest(payload);
        } catch (e) {
          // A passgym.v1 client sends session ids as varints where v2 has bytes: say so.
          reply(errorResponse('0', 'BAD_REQUEST', `not a ${PROTOCOL}.Request: ${(e as Error).message} (a passgym.v1 client? ${PROTOCOL} session ids are 16 bytes: see docs/protocol.md)`));
          continue;
        }
        if (decoded.methods.length > 1) {
          reply(errorResponse(decoded.requestId, 'BAD_REQUEST', `a Request sets exactly one method; this one sets ${decoded.methods.join(' and ')}`));
          continue;
        }
        if (decoded.clientId && (decoded.clientId.length < 32 || decoded.clientId.length > 128)) {
          reply(errorResponse(decoded.requestId, 'BAD_REQUEST', `client_id must be 16 to 64 random bytes, got ${decoded.clientId.length / 2}`));
          continue;
        }
        // The owner of the sessions a request starts, and whom the sessions it names must belong to.
        const owner = decoded.clientId ? `id:${decoded.clientId}` : `conn:${identity.toString('hex')}`;
        void this.dispatch(decoded.req, decoded.requestId, owner).then(reply);
      }
    } catch (e) {
      if (!this.closed) throw e;
    }
  }

  private send(identity: Buffer, delimited: boolean, response: Reply): void {
    const bytes = encode(wire.Response, { ...response, requestId: uint64Long(response.requestId) });
    const frames = delimited ? [identity, Buffer.alloc(0), bytes] : [identity, bytes];
    this.sending = this.sending.then(() => this.socket.send(frames)).catch(() => undefined);
  }

  /**
   * Runs one request; requests naming a session wait for that session's earlier requests. A
   * request whose non-zero id is among the session's last `RECENT_REQUESTS` gets that response.
   */
  private dispatch(req: DecodedRequest['req'], id: string, owner: string): Promise<Reply> {
    const method = req.method;
    const body = method ? (req[method] as { sessionId?: Buffer } | undefined) : undefined;
    const run = async (): Promise<Reply> => {
      try {
        if (!method || !body) throw new PassGymError('UNKNOWN_METHOD', `the request names no method known to ${PROTOCOL} (is the client newer than the server?)`);
        if (method !== 'endSession' && sid && this.sessions.get(sid)?.ending && this.sessions.get(sid)?.owner === owner) {
          throw new CancelledError(`session ${sid} is being ended (an EndSession came after this request): the request was not run`);
        }
        return { requestId: id, [method]: await this.handle(method, body, owner) };
      } catch (e) {
        const err = e instanceof PassGymError ? e : new PassGymError('INTERNAL', (e as Error).message ?? String(e));
        return errorResponse(id, err.code, err.message);
      }
    };
    const sid = body && 'sessionId' in body ? sessionKey(body.sessionId) : null;
    const session = sid !== null ? this.sessions.get(sid) : undefined;
    // A resent EndSession of a session already ended gets its reply again.
    const ended = sid !== null && !session ? this.ended.get(sid) : undefined;
    if (ended && ended.owner === owner && ended.requestId === id && id !== '0') return ended.response;
    // Another client's session: `run` refuses it (and never sees that session's cached replies).
    if (!session || session.owner !== owner) return run();
    const resent = id !== '0' ? session.recent.get(id) : undefined;
    if (resent) return resent;
    // Ending a session stops the Runtime runs of its request in flight, which then fails with
    // CANCELLED; the EndSession does not wait for the runs.
    if (method === 'endSession' && session.inflight > 0) {
      session.ending = true;
      session.env.cancel();
    }
    session.inflight++;
    const p = session.queue.then(run, run).finally(() => {
      session.inflight--;
      session.lastSeen = Date.now();
    });
    session.queue = p;
    if (method === 'endSession' && id !== '0') {
      this.ended.set(sid!, { owner, requestId: id, response: p });
      if (this.ended.size > ENDED_REMEMBERED) this.ended.delete(this.ended.keys().next().value!);
    }
    // Observe is idempotent and its replies can be megabytes (Ir, Bitcode): resending reruns it.
    if (id !== '0' && method !== 'observe') {
      session.recent.set(id, p);
      if (session.recent.size > RECENT_REQUESTS) this.forget(session, session.recent.keys().next().value!);
      void p.then((r) => this.sizeCachedReply(session, id, p, r, method));
    }
    return p;
  }

  /** Drops request `id` from the session's reply cache. */
  private forget(session: RemoteSession, id: string): void {
    session.recent.delete(id);
    session.recentBytes -= session.recentSizes.get(id) ?? 0;
    session.recentSizes.delete(id);
  }

  /**
   * Accounts a settled cached reply. One over MAX_CACHED_REPLY_BYTES is replaced by a small
   * RESEND_EXPIRED error, and so are the oldest while the session's replies exceed
   * RECENT_REPLY_BYTES: within the window a resend is never applied a second time.
   */
  private sizeCachedReply(session: RemoteSession, id: string, p: Promise<Reply>, reply: Reply, method: string | undefined): void {
    if (session.recent.get(id) !== p) return; // dropped from the window meanwhile
    const bytes = approxBytes(reply);
    session.recentSizes.set(id, bytes);
    session.recentBytes += bytes;
    const expire = (rid: string, why: string) => {
      const expired = errorResponse(rid, 'RESEND_EXPIRED', `request ${rid} was applied, but ${why}; Observe gives the session's current observations`);
      const size = approxBytes(expired);
      session.recentBytes += size - (session.recentSizes.get(rid) ?? 0);
      session.recentSizes.set(rid, size);
      session.recent.set(rid, Promise.resolve(expired));
    };
    if (bytes > MAX_CACHED_REPLY_BYTES) {
      expire(id, `its reply (${method}) of about ${bytes} bytes is larger than the ${MAX_CACHED_REPLY_BYTES} bytes kept for resends`);
    }
    for (const old of session.recent.keys()) {
      if (session.recentBytes <= RECENT_REPLY_BYTES) break;
      if ((session.recentSizes.get(old) ?? 0) > 512) expire(old, `its reply was dropped to keep the session's cached replies under ${RECENT_REPLY_BYTES} bytes`);
    }
  }

  private session(body: { sessionId?: Buffer }, owner: string): RemoteSession {
    const sid = sessionKey(body.sessionId);
    const s = this.sessions.get(sid);
    if (!s) {
      const what = sid ? `session ${sid}` : `session (session_id is empty: a passgym.v1 client? ${PROTOCOL} session ids are 16 bytes)`;
      throw new SessionNotFoundError(`no ${what} on this server (ended, timed out after ${this.sessionTimeoutSeconds} s idle, or never started)`);
    }
    if (s.owner !== owner) {
      throw new SessionNotOwnedError(`session ${sid} belongs to another client; a session is used by the client that started it (its Request.client_id, or its connection when it sends none)`);
    }
    s.lastSeen = Date.now();
    return s;
  }

  private actionSpaceName(name: string | undefined): ActionSpaceName {
    const n = name || 'PassesAll';
    if (!(ACTION_SPACE_NAMES as readonly string[]).includes(n)) {
      throw new UnknownSpaceError(`unknown action space '${n}'; valid: ${ACTION_SPACE_NAMES.join(', ')}`);
    }
    return n as ActionSpaceName;
  }

  /**
   * The benchmark a request names (empty: the documented default, embedded-v0/qsort), once it may
   * be resolved here without blocking the server.
   * @throws UnknownBenchmarkError for a refused file:// URI; PassGymError DATASET_NOT_INSTALLED,
   *   DATASET_INSTALLING or DATASET_INSTALL_FAILED for a dataset that is not installed.
   */
  private checkBenchmark(uriIn: string): string {
    // Canonical form first (`libs-v0/x` is `benchmark://libs-v0/x`), as resolveBenchmark sees it.
    const uri = canonicalUri(uriIn.trim() || DEFAULT_BENCHMARK);
    if (uri.startsWith('file://') && !this.options.allowFileBenchmarks) {
      throw new UnknownBenchmarkError('file:// benchmarks are refused by this server (start it with --allow-file-benchmarks, or upload with AddBenchmark)');
    }
    const dataset = /^benchmark:\/\/([^/]+)\//.exec(uri)?.[1];
    if (dataset && DATASET_RECIPES.has(dataset) && !INSTALLED_ON_DEMAND.has(dataset) && !loadManifest(dataset)) this.remoteInstall(dataset);
    return uri;
  }

  /**
   * `checkBenchmark`, then the build of a generator seed not built yet, in a child process
   * (prepare.ts): the server goes on serving while csmith and clang run.
   */
  private async prepareBenchmark(uriIn: string): Promise<string> {
    const uri = this.checkBenchmark(uriIn);
    if (needsChildBuild(uri)) await prepareInChild(uri);
    return uri;
  }

  /**
   * The program drawn for a benchmark that names a dataset or generator alone (`drawBenchmark`,
   * with `seed` as a local env's reset(seed) uses it), or null for any other URI.
   * @throws UnknownBenchmarkError; DATASET_NOT_INSTALLED or DATASET_INSTALLING as `checkBenchmark`.
   */
  private async draw(uri: string, seed: number | undefined): Promise<string | null> {
    const dataset = /^(?:benchmark:\/\/)?([^/:]+)\/?$/.exec(uri.trim())?.[1] ?? '';
    try {
      return await drawBenchmark(uri, makeRng(seed), { install: INSTALLED_ON_DEMAND.has(dataset) });
    } catch (e) {
      if (e instanceof DatasetNotInstalledError && dataset) this.remoteInstall(dataset);
      throw e;
    }
  }

  /** The EndSession of recently ended sessions, by session id: a resent EndSession gets its reply. */
  private readonly ended = new Map<string, { owner: string; requestId: string; response: Promise<Reply> }>();

  /** Background installs started by requests (`allowRemoteInstall`), by dataset. */
  private readonly installs = new Map<string, { child: ChildProcess; started: number; ended: number; stderr: string; exit: number | null }>();

  /** @throws always: what a request for the not-installed `dataset` gets (see `checkBenchmark`). */
  private remoteInstall(dataset: string): never {
    const command = `passgym datasets install ${dataset}`;
    if (!this.options.allowRemoteInstall) {
      throw new DatasetNotInstalledError(`dataset ${dataset} is not installed on this server; run '${command}' there (or start the server with --allow-remote-install)`);
    }
    let job = this.installs.get(dataset);
    if (job && job.exit !== null && job.exit !== 0) {
      // A failure is reported for a minute before a request may start the install again.
      if (Date.now() - job.ended < 60_000) {
        throw new PassGymError('DATASET_INSTALL_FAILED', `installing ${dataset} on the server failed (exit ${job.exit}): ${job.stderr.trim().split('\n').slice(-5).join(' | ')}`);
      }
      this.installs.delete(dataset);
      job = undefined;
    }
    if (!job) {
      const child = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'scripts', 'cli.js'), 'datasets', 'install', dataset], { stdio: ['ignore', 'ignore', 'pipe'] });
      const started = { child, started: Date.now(), ended: 0, stderr: '', exit: null as number | null };
      child.stderr!.on('data', (d: Buffer) => (started.stderr = (started.stderr + d.toString()).slice(-4000)));
      child.on('error', (e) => {
        started.stderr += `\n${e.message}`;
        started.exit ??= 1;
        started.ended = Date.now();
      });
      child.on('exit', (code, signal) => {
        started.exit = code ?? (signal ? 128 : 1);
        started.ended = Date.now();
        if (started.exit === 0) this.installs.delete(dataset);
      });
      this.installs.set(dataset, (job = started));
    }
    const seconds = Math.round((Date.now() - job.started) / 1000);
    throw new DatasetInstallingError(`dataset ${dataset} is being installed on the server (${command}, started ${seconds} s ago); retry later`);
  }

  /** StartSessions and ForkSessions running now (counted against maxSessions before their work). */
  private starting = 0;

  /**
   * Runs `work`, which opens one session, if the server is below its session limit.
   * @throws PassGymError SESSION_LIMIT at the limit.
   */
  private async opening<T>(owner: string, work: () => Promise<T>): Promise<T> {
    const max = this.options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (this.sessions.size + this.starting >= max) {
      throw new SessionLimitError(`the server has ${max} sessions open, its limit (--max-sessions); end sessions you no longer use`);
    }
    const perClient = this.options.maxSessionsPerClient ?? DEFAULT_MAX_SESSIONS_PER_CLIENT;
    let mine = this.startingBy.get(owner) ?? 0;
    for (const s of this.sessions.values()) if (s.owner === owner) mine++;
    if (mine >= perClient) {
      throw new SessionLimitError(`this client has ${perClient} sessions open, the limit per client (--max-sessions-per-client); end sessions you no longer use`);
    }
    this.starting++;
    this.startingBy.set(owner, (this.startingBy.get(owner) ?? 0) + 1);
    try {
      return await work();
    } finally {
      this.starting--;
      const left = this.startingBy.get(owner)! - 1;
      if (left) this.startingBy.set(owner, left);
      else this.startingBy.delete(owner);
    }
  }

  /** StartSessions and ForkSessions running now, by owner. */
  private readonly startingBy = new Map<string, number>();

  /** Registers a session of `owner` under a fresh random id: 16 bytes (128 bits) from the OS's CSPRNG. */
  private register(env: LlvmEnv, owner: string, maxEpisodeSteps = 0, elapsed = 0): Buffer {
    let id: Buffer;
    do id = randomBytes(16);
    while (this.sessions.has(id.toString('hex')));
    this.sessions.set(id.toString('hex'), {
      env,
      owner,
      lastSeen: Date.now(),
      queue: Promise.resolve(),
      recent: new Map(),
      recentBytes: 0,
      recentSizes: new Map(),
      inflight: 0,
      ending: false,
      maxEpisodeSteps,
      elapsed,
    });
    return id;
  }

  /** Runs the handler of `method` (its body typed by the generated messages). */
  private handle(method: Method, body: unknown, owner: string): Promise<unknown> {
    return (this.handlers[method] as (b: unknown, o: string) => Promise<unknown>)(body, owner);
  }

  /** One handler per method of the protocol: the decoded request body in, the reply body out. */
  private readonly handlers: { [M in Method]: (body: DecodedRequestOf<M>, owner: string) => Promise<NonNullable<wire.IResponse[M]>> } = {
    getVersion: async () => ({ serviceVersion: SERVICE_VERSION, llvmVersion: findLlvm().version, protocol: PROTOCOL }),
    getSpaces: async () => {
      const spaces = await Promise.all(ACTION_SPACE_NAMES.map((n) => actionSpaceFor(this.pool, n)));
      return { actionSpaces: spaces.map(actionSpaceToProto), ...spaceInfos() };
    },
    startSession: (body, owner) => this.opening(owner, async () => {
      // The cheap checks first: nothing is drawn or built for a request that is refused anyway.
      const seed = body.seed ?? undefined;
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new PassGymError('INVALID_VALUE', `seed must be a whole number in 0..2^53-1, got ${seed}`);
      const maxEpisodeSteps = Number(body.maxEpisodeSteps ?? 0);
      if (maxEpisodeSteps > MAX_EPISODE_STEPS) {
        throw new PassGymError('INVALID_VALUE', `max_episode_steps must be in 0..${MAX_EPISODE_STEPS} (0: no limit), got ${maxEpisodeSteps}`);
      }
      const actionSpace = await actionSpaceFor(this.pool, this.actionSpaceName(body.actionSpace));
      if (body.commandline && body.actions?.length) {
        throw new PassGymError('INVALID_VALUE', 'a StartSession replays actions or a commandline, not both');
      }
      const actions = body.commandline ? checkedActions(parseCommandline(body.commandline, actionSpace)) : checkedActions(body.actions);
      for (const a of actions) actionSpace.index(a); // UNKNOWN_ACTION before any work
      const benchmark = await this.prepareBenchmark((await this.draw(body.benchmark ?? '', seed)) ?? body.benchmark ?? '');
      const env = new LlvmEnv({ pool: this.pool, actionSpace, observationSpace: body.observationSpace || null, rewardSpace: body.rewardSpace || null });
      let failure: { errorType: string; errorDetails: string } | null = null;
      let observation: ObservationValue | null;
      try {
        observation = (await env.reset({ benchmark, seed })).observation;
        if (actions.length) {
          const all = await env.multistep(actions);
          // A failed pass applies nothing: redo the actions one by one, stopping before the one that
          // fails. (An observation error comes after the passes were applied: they stay.)
          if (all.info.error_type && env.actions.length === 0) {
            for (const [k, a] of actions.entries()) {
              const r = await env.step(a);
              if (r.info.error_type) {
                failure = { errorType: r.info.error_type, errorDetails: `action ${k} (${env.actionSpace.names[a]}) of ${actions.length} failed: ${r.info.error_details ?? ''}` };
                break;
              }
            }
          } else if (all.info.error_type) {
            failure = { errorType: all.info.error_type, errorDetails: String(all.info.error_details ?? '') };
          }
        }
        // The observation of the state reached (after the replayed actions), before registering.
        if (env.observationSpaceName) observation = await env.observe(env.observationSpaceName);
      } catch (e) {
        await env.close().catch(() => undefined); // never leave an unregistered session in a worker
        throw e;
      }
      const obs = observation;
      const sessionId = this.register(env, owner, maxEpisodeSteps, actions.length);
      return {
        sessionId,
        benchmark: env.benchmark,
        actionSpace: actionSpaceToProto(env.actionSpace),
        ...(env.observationSpaceName && obs !== null ? { observation: observationToProto(env.observationSpaceName, obs) } : {}),
        errorType: failure?.errorType ?? '',
        errorDetails: failure?.errorDetails ?? '',
        episodeActions: [...env.actions],
      };
    }),
    step: async (body, owner) => {
      const s = this.session(body, owner);
      const requested = checkedActions([...(body.actions ?? []), ...(body.commandline ? parseCommandline(body.commandline, s.env.actionSpace) : [])]);
      const names = checkedObservationNames(body.observationSpaces); // before anything is applied
      if (s.maxEpisodeSteps && s.elapsed >= s.maxEpisodeSteps) {
        throw new EpisodeStateError(`the episode was truncated at its limit of ${s.maxEpisodeSteps} steps (max_episode_steps); start a new session`);
      }
      const rewardSpaces = checkedRewardNames(body.rewardSpaces);
      // uint32 milliseconds; the pool keeps its own step timeout when that is sooner.
      const timeoutSeconds = body.timeoutMs ? body.timeoutMs / 1000 : undefined;
      const r = await s.env.multistep(requested, { observationSpaces: names, rewardSpaces, reportEffect: body.reportEffect === true, timeoutSeconds });
      s.elapsed += requested.length;
      if (s.maxEpisodeSteps && s.elapsed >= s.maxEpisodeSteps && !r.terminated) r.truncated = true;
      const observations: Record<string, wire.IObservation> = {};
      for (const [name, value] of Object.entries(r.observations ?? {})) observations[name] = observationToProto(name, value);
      return {
        rewards: r.rewards ?? {},
        ...(r.info.action_had_no_effect !== undefined ? { actionHadNoEffect: r.info.action_had_no_effect } : {}),
        ...(s.env.observationSpaceName && r.observation !== null ? { observation: observationToProto(s.env.observationSpaceName, r.observation) } : {}),
        observations,
        hasReward: r.reward !== null,
        reward: r.reward ?? 0,
        episodeReward: s.env.episodeReward ?? 0,
        terminated: r.terminated,
        truncated: r.truncated,
        errorType: r.info.error_type ?? '',
        errorDetails: r.info.error_details ?? '',
        recoveredState: r.info.recovered_state ?? '',
        recoveryDetails: r.info.recovery_details ?? '',
        episodeActions: [...s.env.actions],
        commandline: s.env.commandline(),
      };
    },
    observe: async (body, owner) => {
      const s = this.session(body, owner);
      // All of them in one round trip to the worker.
      const values = await s.env.observe(checkedObservationNames(body.observationSpaces));
      const observations: Record<string, wire.IObservation> = {};
      for (const [name, value] of Object.entries(values)) observations[name] = observationToProto(name, value);
      return { observations };
    },
    forkSession: async (body, owner) => {
      const s = this.session(body, owner);
      return this.opening(owner, async () => ({ sessionId: this.register(await s.env.fork(), owner, s.maxEpisodeSteps, s.elapsed) }));
    },
    endSession: async (body, owner) => {
      const s = this.session(body, owner);
      this.sessions.delete(sessionKey(body.sessionId));
      await s.env.close();
      return {};
    },
    setParameter: async (body, owner) => {
      const s = this.session(body, owner);
      await s.env.setParameter(body.name ?? '', body.value ?? '');
      return {};
    },
    validate: async (body, owner) => {
      const benchmark = await this.prepareBenchmark(body.benchmark ?? '');
      const env = new LlvmEnv({
        pool: this.pool,
        actionSpace: await actionSpaceFor(this.pool, this.actionSpaceName(body.actionSpace)),
        rewardSpace: body.rewardSpace || null,
      });
      const r = await env.validate({
        benchmark,
        reward: body.hasReward ? (body.reward ?? 0) : null,
        walltime: 0,
        commandline: body.commandline ?? '',
      });
      await env.close();
      return {
        ok: r.ok,
        rewardValidated: r.rewardValidated,
        rewardValidationFailed: r.rewardValidationFailed,
        semanticsValidated: r.semanticsValidated,
        semanticsValidationFailed: r.semanticsValidationFailed,
        actualReward: r.actualReward ?? 0,
        errorType: r.error?.type ?? '',
        errorDetails: r.error?.details ?? '',
        walltime: r.walltime,
      };
    },
    listBenchmarks: (body) => this.listBenchmarks(body.dataset ?? '', Number(body.offset ?? 0), Number(body.limit ?? 0)),
    addBenchmark: async (body) => ({ benchmark: await this.addBenchmark(body.name ?? '', body.contents ?? Buffer.alloc(0)) }),
  };

  /**
   * Stores an uploaded benchmark: IR text or bitcode as it is, C/C++ compiled with clang under a
   * time limit and an address-space limit in a scratch folder. Uploaded programs are code from the
   * network: they get no run command, so they are never executed (no Runtime, no output check),
   * unless the server runs with `allowRunUploaded`.
   */
  private async addBenchmark(name: string, contents: Buffer): Promise<string> {
    const ext = path.extname(name).toLowerCase();
    if (!['.ll', '.bc', '.c', '.cc', '.cpp'].includes(ext)) {
      throw new PassGymError('BAD_REQUEST', `cannot upload '${name}': the name must end in .ll, .bc, .c, .cc or .cpp`);
    }
    if (contents.length === 0) throw new PassGymError('BAD_REQUEST', `cannot upload '${name}': it is empty`);
    const hash = sha256(contents);
    const out = uploadedBenchmarkPath(hash, ext === '.ll' ? '.ll' : '.bc');
    const uri = `benchmark://${UPLOADED_DATASET}/${hash}`;
    if (!fs.existsSync(out)) {
      if (ext === '.ll' || ext === '.bc') writeFileAtomic(out, contents);
      else await buildSlot(() => compileUpload(contents, ext, out));
      // Parse and verify in a worker (a malformed module may crash LLVM, never the server).
      try {
        await this.pool.endSession(await this.pool.startSession(uri));
      } catch (e) {
        fs.rmSync(out, { force: true });
        throw e;
      }
    }
    if (this.options.allowRunUploaded && ext !== '.ll' && ext !== '.bc' && !fs.existsSync(uploadedRunPath(hash))) {
      await recordUploadReference(out, hash);
    }
    return uri;
  }

  /**
   * ListBenchmarks: the datasets and generators (no dataset), or a page of an installed dataset's
   * URIs. @throws UnknownBenchmarkError for an unknown name or a generator; PassGymError
   *   DATASET_NOT_INSTALLED; INVALID_VALUE for a limit above 1000.
   */
  private async listBenchmarks(dataset: string, offset: number, limit: number): Promise<wire.IListBenchmarksReply> {
    if (!dataset) {
      return {
        datasets: [
          ...[...DATASET_RECIPES.keys()].map((name) => {
            const m = loadManifest(name);
            return { name, installed: m !== null, generator: false, benchmarks: m?.entries.length ?? 0 };
          }),
          ...[LLVM_STRESS.name, ...GENERATOR_RECIPES.keys()].map((name) => ({ name, installed: false, generator: true, benchmarks: 0 })),
        ],
      };
    }
    if (dataset === LLVM_STRESS.name || GENERATOR_RECIPES.has(dataset)) {
      throw new UnknownBenchmarkError(`${dataset} is a generator: its benchmarks are generator://${dataset}/SEED`);
    }
    if (!DATASET_RECIPES.has(dataset)) throw new UnknownBenchmarkError(`unknown dataset '${dataset}'; valid: ${[...DATASET_RECIPES.keys()].join(', ')}`);
    if (limit > 1000) throw new PassGymError('INVALID_VALUE', `limit must be in 1..1000 (0: 1000), got ${limit}`);
    let m = loadManifest(dataset);
    if (!m && INSTALLED_ON_DEMAND.has(dataset)) m = await installDataset(DATASET_RECIPES.get(dataset)!);
    if (!m) this.remoteInstall(dataset);
    const uris = m.entries.map((e) => `benchmark://${dataset}/${e.id}`).sort();
    return { benchmarks: uris.slice(offset, offset + (limit || 1000)), total: uris.length };
  }

  /** Ends sessions idle past the timeout. */
  private async sweep(): Promise<void> {
    const cutoff = Date.now() - this.sessionTimeoutSeconds * 1000;
    for (const [id, s] of this.sessions) {
      // Idle: no request since the cutoff and none in flight (a long step is not idleness).
      if (s.lastSeen < cutoff && s.inflight === 0) {
        this.sessions.delete(id);
        await s.env.close().catch(() => undefined);
      }
    }
  }

  /** Ends every session, stops the workers and closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const job of this.installs.values()) job.child.kill('SIGTERM');
    for (const s of this.sessions.values()) await s.env.close().catch(() => undefined);
    this.sessions.clear();
    await this.sending;
    this.socket.close();
    if (this.zap) {
      // libzmq ends the ROUTER's connections in its I/O threads after close(); a CURVE handshake
      // still waiting for its ZAP reply then talks to the ZAP socket. Closing that socket in the
      // same moment tripped libzmq 4.3.5's assertion in pipe.cpp:355 (seen once in CI, with a
      // refused client reconnecting): let the connections end first.
      await new Promise((r) => setTimeout(r, 200));
      // Unbind first: the inproc ZAP endpoint is process-wide, and a server started next in this
      // process binds it again (closing alone releases it asynchronously).
      await this.zap.unbind('inproc://zeromq.zap.01').catch(() => undefined);
      this.zap.close();
    }
    this.pool.close();
  }
}

/** The run command of an uploaded program: no arguments or inputs, stdout and status compared. */
const UPLOAD_RUN: RunSpec = { args: [], inputs: {}, linkArgs: ['-lm'], stdin: null, timeoutSeconds: 10, compare: 'stdout-and-status', outputFiles: [] };

/**
 * Builds an uploaded program at -O0 and runs it twice (sandboxed) to record its reference output.
 * A program without `main`, one that does not link, crashes, times out or is not deterministic
 * stays not runnable (nothing is recorded).
 */
async function recordUploadReference(bitcode: string, hash: string): Promise<void> {
  const exe = `${bitcode}.O0.exe`;
  try {
    bitcodeToExecutable(findLlvm(), bitcode, exe, UPLOAD_RUN.linkArgs);
    const dir = path.dirname(bitcode);
    const runs = [await runProgram(exe, UPLOAD_RUN, dir), await runProgram(exe, UPLOAD_RUN, dir)];
    const ok = runs.every((r) => !r.timedOut && r.signal === null && r.status !== null);
    if (ok && runs[0].outputSha256 === runs[1].outputSha256 && runs[0].status === runs[1].status) {
      const reference = { outputSha256: runs[0].outputSha256, status: runs[0].status!, seconds: Math.min(runs[0].seconds, runs[1].seconds) };
      writeFileAtomic(uploadedRunPath(hash), JSON.stringify({ ...UPLOAD_RUN, reference }));
    }
  } catch {
    // not runnable: no main, or it does not link
  } finally {
    fs.rmSync(exe, { force: true });
  }
}

/** A request's actions, at most MAX_ACTIONS_PER_REQUEST. @throws PassGymError INVALID_VALUE. */
function checkedActions(actions: number[] | undefined): number[] {
  const a = actions ?? [];
  if (a.length > MAX_ACTIONS_PER_REQUEST) {
    throw new PassGymError('INVALID_VALUE', `a request carries at most ${MAX_ACTIONS_PER_REQUEST} actions, got ${a.length}; send them in several Steps`);
  }
  return a;
}

/** A request's reward space names: distinct, each known. @throws PassGymError INVALID_VALUE; UnknownSpaceError. */
function checkedRewardNames(names: string[] | undefined): string[] {
  const n = names ?? [];
  if (n.length > MAX_OBSERVATIONS_PER_REQUEST) throw new PassGymError('INVALID_VALUE', `a request names at most ${MAX_OBSERVATIONS_PER_REQUEST} reward spaces, got ${n.length}`);
  const dup = n.find((x, k) => n.indexOf(x) !== k);
  if (dup !== undefined) throw new PassGymError('INVALID_VALUE', `reward space '${dup}' is named twice in one request`);
  for (const name of n) rewardSpace(name);
  return n;
}

/** A request's observation space names: distinct, at most MAX_OBSERVATIONS_PER_REQUEST. @throws PassGymError INVALID_VALUE. */
function checkedObservationNames(names: string[] | undefined): string[] {
  const n = names ?? [];
  if (n.length > MAX_OBSERVATIONS_PER_REQUEST) {
    throw new PassGymError('INVALID_VALUE', `a request names at most ${MAX_OBSERVATIONS_PER_REQUEST} observation spaces, got ${n.length}`);
  }
  const dup = n.find((x, k) => n.indexOf(x) !== k);
  if (dup !== undefined) throw new PassGymError('INVALID_VALUE', `observation space '${dup}' is named twice in one request`);
  for (const name of n) observationSpace(name); // UnknownSpaceError before any work
  return n;
}

/** A cheap over-estimate of a reply's encoded size: strings and bytes by length, numbers as 8 bytes. */
function approxBytes(v: unknown): number {
  if (typeof v === 'string') return v.length * 3 + 2; // UTF-16 units to at most 3 UTF-8 bytes
  if (v instanceof Uint8Array) return v.length + 2;
  if (typeof v !== 'object' || v === null) return 8;
  let n = 2;
  // A number in an array: a varint of its size when whole (action indices), else a double.
  if (Array.isArray(v)) for (const x of v) n += typeof x !== 'number' ? approxBytes(x) : Number.isInteger(x) && x >= 0 ? (x < 128 ? 1 : x < 16384 ? 2 : 5) : 8;
  else for (const [k, x] of Object.entries(v)) n += k.length + approxBytes(x);
  return n;
}

function errorResponse(requestId: string, code: string, message: string): Reply {
  return { requestId, error: { code, message } };
}

/** bubblewrap, which confines the compilation of uploads; null when it is not installed. */
function bwrapPath(): string | null {
  for (const p of ['/usr/bin/bwrap', '/bin/bwrap']) if (fs.existsSync(p)) return p;
  return null;
}

/**
 * Compiles uploaded C/C++ with clang, with time and memory limits (prlimit), inside a bubblewrap
 * sandbox (Debian's `bubblewrap`) that sees only /usr (clang and the system headers, read-only),
 * /dev/null and the upload's scratch folder, with no network, /etc, /proc or home: an
 * `#include "/etc/passwd"` is "file not found", and `#include "/dev/zero"` fails at once.
 * @throws PassGymError MISSING_TOOL without clang or bubblewrap; BENCHMARK_BUILD_FAILED with
 *   clang's last lines (which can only quote the upload and system headers).
 */
function compileUpload(contents: Buffer, ext: string, out: string): Promise<void> {
  const llvm = findLlvm();
  if (!llvm.tools.clang) throw new PassGymError('MISSING_TOOL', `clang-${llvm.major} is not installed on the server`);
  const bwrap = bwrapPath();
  if (!bwrap) {
    throw new PassGymError('MISSING_TOOL', 'compiling uploaded C/C++ needs bubblewrap on the server (apt-get install bubblewrap); .ll and .bc uploads work without it');
  }
  const dir = fs.mkdtempSync(path.join(path.dirname(out), 'upload-'));
  const src = `/work/upload${ext}`;
  fs.writeFileSync(path.join(dir, `upload${ext}`), contents);
  const sandbox = [
    bwrap, '--unshare-all', '--die-with-parent', '--new-session',
    '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
    '--dev-bind', '/dev/null', '/dev/null', '--tmpfs', '/tmp', '--bind', dir, '/work', '--chdir', '/work',
  ];
  const args = [
    `--as=${UPLOAD_COMPILE_MEMORY_BYTES}`,
    ...sandbox,
    llvm.tools.clang,
    ...(ext === '.c' ? [] : ['-x', 'c++']),
    '-O0', '-Xclang', '-disable-O0-optnone', '-emit-llvm', '-c', '-w', src, '-o', '/work/out.bc',
  ];
  return new Promise((resolve, reject) => {
    execFile('prlimit', args, { cwd: dir, timeout: UPLOAD_COMPILE_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
      try {
        if (err) {
          const why = err.killed
            ? `took longer than ${UPLOAD_COMPILE_TIMEOUT_MS / 1000} s`
            : stderr.toString().split(src).join(path.basename(src)).trim().split('\n').slice(-10).join('\n');
          reject(new PassGymError('BENCHMARK_BUILD_FAILED', `the uploaded source did not compile: ${why}`));
        } else {
          writeFileAtomic(out, fs.readFileSync(path.join(dir, 'out.bc')));
          resolve();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
