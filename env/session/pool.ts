/**
 * `WorkerPool`: sessions spread over worker processes, with crash recovery (DESIGN.md
 * decision 2). The pool keeps, for every session, its benchmark and the actions applied so far.
 * When a worker dies (abort, segfault, SIGKILL) or a request outlives the step timeout (the
 * worker is then killed), the pool starts a fresh worker, replays each of the dead worker's
 * sessions to its last good state, and answers the request that failed with a `StepFailure`
 * (for steps) or an error (for anything else). Other workers' sessions are never touched.
 *
 * Each worker serves one request at a time from its own FIFO queue, so the failing request is
 * always known.
 */
import { fork, ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolveBenchmark, BenchmarkRef } from '../benchmarks';
import { ClosedError, fromErrorPayload, PassGymError, SessionNotFoundError } from '../errors';
import { makeSpinner, defaultSpinMs, SpinPolicy } from './spin';
import type { RuntimeParameters } from './runtime';
import type { SemanticsResult } from './runtime';
import { decodeObservations, Observations, StepResult, WorkerReply, WorkerRequest } from './protocol';
import { allSpellings } from '../actions/space';
import { actionMetadata } from '../actions/metadata';
import { findLlvm } from '../llvm/library';

/**
 * How a session replayed after its worker died compares with its last good state:
 * - `identical`: the replayed state's IrSha1 is the last good state's. Checked when the history
 *   holds an action that is not declared deterministic (`ActionSpace.metadata`), the only case in
 *   which a replay can give another state; the pool then hashes every state of the session.
 * - `differs`: checked, and it is not: the session goes on from the replayed state.
 * - `deterministic`: every action of the history is declared deterministic, so the replay gives
 *   the same state (the property test in tests/session/state-identity.test.ts checks it); not hashed.
 * - `lost`: the replay crashed its worker too; the session is gone (SessionNotFoundError next).
 */
export type RecoveredState = 'identical' | 'differs' | 'deterministic' | 'lost';

/** What the pool found when it replayed a session after a crash. */
export interface Recovery {
  state: RecoveredState;
  details: string;
}

/** Why a step did not happen; the session stays at its last good state (see `recovery`). */
export interface StepFailure {
  /** `WorkerCrash` (the worker died during the step) or `StepTimeout`. */
  errorType: 'WorkerCrash' | 'StepTimeout';
  errorDetails: string;
  /** How the replayed session compares with its last good state. */
  recovery?: Recovery;
}

/**
 * A step's outcome: observations, or the failure that left the state unchanged. A successful step
 * carries `recovery` when the session was replayed since its last step because another session's
 * request killed their worker.
 */
export type StepOutcome = ({ ok: true; recovery?: Recovery } & StepResult) | ({ ok: false } & StepFailure);

/** Options of a pool. */
export interface PoolOptions {
  /** Worker processes at most (default: one per core). */
  maxWorkers?: number;
  /** A step or observation running longer than this is a failure and its worker is killed (default 300,000 ms, CompilerGym's step timeout). */
  stepTimeoutMs?: number;
  /**
   * Busy-poll window in ms after sending a request (parent) and after replying (worker), which
   * cuts a round trip from about 0.18 to 0.05 ms on these VMs when cores are free (`spin.ts`;
   * `SpinPolicy` turns it off while it costs more than it saves); 0 turns it off.
   * Default: `PASSGYM_SPIN_MS`, else 1.
   */
  spinMs?: number;
  /**
   * Seconds of program runs one Runtime observation may take in all; past it the observation
   * fails with RUNTIME_BUDGET_EXCEEDED instead of holding its worker (default: no budget beyond
   * `stepTimeoutMs`; `passgym serve` sets 60).
   */
  runtimeBudgetSeconds?: number;
}

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  req: WorkerRequest;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  /** Set on internal replay requests: the session they restore. */
  replayOf?: number;
  /** For a step: its own timeout in ms, when shorter than the pool's `stepTimeoutMs`. */
  timeoutMs?: number;
  /** For solo requests: when it was sent (performance.now()) and whether its round trip spins. */
  sentAt?: number;
  spun?: boolean;
}

/** The pipeline elements declared nondeterministic on the loaded LLVM, in any action space. */
let nondeterministicElements: Set<string> | null = null;
function nondeterministic(): Set<string> {
  if (!nondeterministicElements) {
    const names = allSpellings();
    const meta = actionMetadata(findLlvm().major, names);
    nondeterministicElements = new Set(names.filter((_, k) => !meta[k].deterministic));
  }
  return nondeterministicElements;
}

class CrashError extends PassGymError {
  constructor(readonly failure: StepFailure) {
    super('WORKER_CRASH', `${failure.errorType}: ${failure.errorDetails}`);
  }
}

/** A worker process slot; its process is replaced when it dies. */
class Worker {
  child!: ChildProcess;
  private ready!: Promise<void>;
  private queue: Pending[] = [];
  private inflight: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timedOut = false;
  /** The timeout of the step or observation in flight, in ms. */
  private timeoutMs = 0;
  readonly sessions = new Set<number>();
  restarts = 0;

  constructor(private readonly pool: WorkerPool) {
    this.spawn();
  }

  /** Set when a fresh worker died before it was ready: the pool cannot start workers. */
  private startError: Error | null = null;

  private spawn(): void {
    const child = fork(path.join(__dirname, 'worker.js'), [], {
      env: { ...process.env, PASSGYM_SPIN_MS: String(this.pool.spinMs), PASSGYM_RUNTIME_BUDGET_SECONDS: String(this.pool.runtimeBudgetSeconds) },
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let ready = false;
    this.ready = new Promise((resolve, reject) => {
      const onReady = (msg: WorkerReply) => {
        if (msg.id === -1) {
          ready = true;
          child.off('message', onReady);
          resolve();
        }
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => {
        if (!ready) reject(new PassGymError('WORKER_START', `a worker process exited while starting (${signal ?? `exit code ${code}`}): ${stderr.trim()}`));
      });
    });
    this.ready.catch(() => undefined);
    child.on('message', (msg: WorkerReply) => this.onReply(msg));
    child.once('exit', (code, signal) => {
      if (ready) this.onExit(child, code, signal, () => stderr);
      else this.failStart(child);
    });
  }

  /** A worker that cannot start fails every request with the reason instead of respawning. */
  private failStart(child: ChildProcess): void {
    if (child !== this.child) return;
    this.ready.catch((e: Error) => {
      this.startError = e;
      const waiting = [...(this.inflight ? [this.inflight] : []), ...this.queue];
      this.inflight = null;
      this.queue = [];
      for (const p of waiting) p.reject(e);
    });
  }

  /** Queues a request; `front` puts it before requests already waiting (used for replays). */
  request(p: Pending, front = false): void {
    if (this.startError) {
      p.reject(this.startError);
      return;
    }
    if (front) this.queue.unshift(p);
    else this.queue.push(p);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.inflight || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    this.inflight = p;
    const child = this.child;
    // Hold the parent alive from here: a worker respawned idle (unref'd by onExit) is still
    // starting, and its ready message must not be waited for with nothing holding the event loop.
    child.ref();
    (child.channel as unknown as { ref?: () => void })?.ref?.();
    (child.stderr as Socket | null)?.ref();
    try {
      await this.ready;
    } catch (e) {
      this.inflight = null;
      p.reject(e as Error);
      return;
    }
    if (child !== this.child) return; // the worker died while we waited; onExit answered this request
    this.timedOut = false;
    if (p.req.op === 'step' || p.req.op === 'observe') {
      this.timeoutMs = Math.min(p.timeoutMs ?? Infinity, this.pool.stepTimeoutMs);
      this.timer = setTimeout(() => {
        this.timedOut = true;
        child.kill('SIGKILL');
      }, this.timeoutMs);
    }
    // Busy-polling can pay only when one request at a time is in flight (an agent stepping one
    // environment), and then only while the machine has a core to spare (`SpinPolicy`).
    const solo = this.pool.inflight() === 1;
    const spin = solo && this.pool.spinPolicy.choose();
    if (solo) {
      p.spun = spin;
      p.sentAt = performance.now();
    }
    child.send({ ...p.req, spin });
    if (spin) this.pool.spin();
  }

  /** True while a request is in flight on this worker. */
  get busy(): boolean {
    return this.inflight !== null;
  }

  private onReply(msg: WorkerReply): void {
    if (msg.id === -1 || !this.inflight || msg.id !== this.inflight.req.id) return;
    const p = this.inflight;
    this.inflight = null;
    if (this.timer) clearTimeout(this.timer);
    if (p.sentAt !== undefined && 'ms' in msg) this.pool.spinPolicy.record(p.spun === true, performance.now() - p.sentAt - msg.ms);
    if (!msg.ok) p.reject(fromErrorPayload(msg.error));
    else if ('result' in msg) p.resolve(msg.result);
    if (this.queue.length === 0) this.idle();
    void this.pump();
  }

  /**
   * Lets the parent process exit while this worker has nothing to do: the process handle, the IPC
   * channel and the stderr pipe (a flowing readable stream, ref'd for as long as it is read) all
   * stop holding the event loop; `pump()` refs them again for the next request.
   */
  private idle(): void {
    this.child.unref();
    (this.child.channel as unknown as { unref?: () => void })?.unref?.();
    (this.child.stderr as Socket | null)?.unref();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, stderr: () => string): void {
    if (child !== this.child || this.pool.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const culprit = this.inflight;
    this.inflight = null;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const what = culprit ? describe(culprit.req) : 'no request';
    const last = stderr().trim().split('\n').slice(-3).join(' | ');
    const failure: StepFailure = this.timedOut
      ? { errorType: 'StepTimeout', errorDetails: `${what} ran longer than ${this.timeoutMs} ms; the worker was killed` }
      : { errorType: 'WorkerCrash', errorDetails: `worker ${child.pid} died (${how}) during ${what}${last ? `: ${last}` : ''}` };
    this.restarts++;
    this.spawn();
    if (culprit?.replayOf !== undefined) this.pool.loseSession(culprit.replayOf, failure);
    // Replays still queued from an earlier crash are superseded by the ones queued now.
    this.queue = this.queue.filter((p) => p.replayOf === undefined);
    for (const sid of [...this.sessions].reverse()) {
      if (sid === culprit?.replayOf) continue;
      const rec = this.pool.record(sid);
      if (rec) this.request(this.pool.replayRequest(rec), true);
    }
    culprit?.reject(new CrashError(failure));
    void this.pump();
    // A worker respawned with nothing to replay or serve must not hold the parent alive.
    if (!this.inflight && this.queue.length === 0) this.idle();
  }

  /**
   * Sessions (including those still starting, which `startSession` adds before their start
   * request) plus queued requests: the load used to place new sessions, so that N sessions
   * started at once on N worker slots get N processes.
   */
  get load(): number {
    return this.sessions.size + this.queue.length;
  }

  kill(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const p of [...(this.inflight ? [this.inflight] : []), ...this.queue]) p.reject(new ClosedError('the worker pool was closed'));
    this.queue = [];
    this.inflight = null;
    this.child.kill('SIGKILL');
  }
}

function describe(req: WorkerRequest): string {
  switch (req.op) {
    case 'step':
      return `step of session ${req.sid} with '${req.actions.join(',')}'`;
    case 'start':
      return `start of session ${req.sid} on ${req.benchmark.uri}${req.actions.length ? ` replaying ${req.actions.length} actions` : ''}`;
    default:
      return `${req.op} of ${'sid' in req ? `session ${req.sid}` : 'the worker'}`;
  }
}

/** What the pool remembers of a session, enough to replay it. */
interface SessionRecord {
  sid: number;
  worker: Worker;
  benchmark: BenchmarkRef;
  /** Pipeline elements applied so far, in order. */
  actions: string[];
  /** Runtime parameters set on the session (replayed with it). */
  params: Partial<RuntimeParameters>;
  /** True once the history holds an action declared nondeterministic: its states are then hashed. */
  hashed: boolean;
  /** IrSha1 of the last good state, when `hashed`. */
  lastSha1: string | null;
  /** A replay not yet reported to the session's next step, and the replay in progress. */
  recovery: Recovery | null;
  replaying: { promise: Promise<Recovery>; settle: (r: Recovery) => void } | null;
}

/** Worker processes serving sessions; see the module TSDoc. */
export class WorkerPool {
  readonly maxWorkers: number;
  /** Milliseconds a step or observation may take (may be changed between requests). */
  stepTimeoutMs: number;
  readonly spinMs: number;
  /** PoolOptions.runtimeBudgetSeconds (Infinity: none). */
  readonly runtimeBudgetSeconds: number;
  /** @internal Busy-polls while any request is in flight (see spin.ts). */
  readonly spin: () => void;
  /** Whether solo round trips busy-poll, from what spinning and not spinning cost (spin.ts). */
  readonly spinPolicy: SpinPolicy;

  /** @internal Requests in flight over all workers. */
  inflight(): number {
    return this.workers.reduce((n, w) => n + (w.busy ? 1 : 0), 0);
  }
  closed = false;
  private workers: Worker[] = [];
  private sessions = new Map<number, SessionRecord>();
  private lost = new Map<number, string>();
  private nextSid = 1;
  private nextId = 1;

  constructor(options: PoolOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? os.cpus().length);
    this.stepTimeoutMs = options.stepTimeoutMs ?? 300_000;
    this.spinMs = options.spinMs ?? defaultSpinMs();
    this.runtimeBudgetSeconds = options.runtimeBudgetSeconds ?? Infinity;
    this.spin = makeSpinner(this.spinMs, () => this.closed || !this.workers.some((w) => w.busy));
    this.spinPolicy = new SpinPolicy(this.spinMs);
  }

  /** @internal */
  record(sid: number): SessionRecord | undefined {
    return this.sessions.get(sid);
  }

  /**
   * @internal A request that rebuilds a session on its (new) worker; when the session's history is
   * hashed, the replayed state's IrSha1 is compared with the last good one (`Recovery`).
   */
  replayRequest(rec: SessionRecord): Pending {
    // A replay superseded by another crash keeps its promise, which the new replay settles.
    if (!rec.replaying) {
      let settle!: (r: Recovery) => void;
      const promise = new Promise<Recovery>((resolve) => (settle = resolve));
      rec.replaying = { promise, settle };
    }
    const replaying = rec.replaying;
    const expected = rec.lastSha1;
    const done = (r: Recovery) => {
      rec.recovery = r;
      rec.replaying = null;
      replaying.settle(r);
    };
    return {
      req: { id: this.nextId++, op: 'start', sid: rec.sid, benchmark: rec.benchmark, actions: [...rec.actions], params: { ...rec.params }, hash: rec.hashed },
      resolve: (result) => {
        const got = (result as { irSha1?: string } | null)?.irSha1 ?? null;
        if (!rec.hashed) done({ state: 'deterministic', details: `replayed ${rec.actions.length} actions, all declared deterministic` });
        else if (got !== null && got === expected) done({ state: 'identical', details: `replayed ${rec.actions.length} actions to the last good state (IrSha1 ${expected})` });
        else {
          rec.lastSha1 = got;
          done({
            state: 'differs',
            details: `replaying ${rec.actions.length} actions (some not deterministic: ${[...new Set(rec.actions.filter((a) => nondeterministic().has(a)))].join(', ')}) gave IrSha1 ${got}, not the last good state's ${expected}; the session goes on from the replayed state`,
          });
        }
      },
      reject: (e) => {
        if (!(e instanceof ClosedError)) this.loseSession(rec.sid, { errorType: 'WorkerCrash', errorDetails: e.message });
        done({ state: 'lost', details: `the replay failed, and the session is lost: ${e.message}` });
      },
      replayOf: rec.sid,
    };
  }

  /** @internal A session whose replay crashed its worker again cannot be restored. */
  loseSession(sid: number, failure: StepFailure): void {
    const rec = this.sessions.get(sid);
    rec?.worker.sessions.delete(sid);
    this.sessions.delete(sid);
    this.lost.set(sid, `session ${sid} was lost: replaying it failed (${failure.errorType}: ${failure.errorDetails})`);
  }

  private call<T>(worker: Worker, body: RequestBody, timeoutMs?: number): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError('the worker pool was closed'));
    return new Promise<T>((resolve, reject) => {
      worker.request({ req: { ...body, id: this.nextId++ } as WorkerRequest, resolve: resolve as (v: unknown) => void, reject, timeoutMs });
    });
  }

  private placeWorker(): Worker {
    if (this.workers.length < this.maxWorkers) {
      const idle = this.workers.find((w) => w.load === 0);
      if (idle) return idle;
      const w = new Worker(this);
      this.workers.push(w);
      return w;
    }
    return this.workers.reduce((a, b) => (b.load < a.load ? b : a));
  }

  private get(sid: number): SessionRecord {
    const rec = this.sessions.get(sid);
    if (!rec) throw new SessionNotFoundError(this.lost.get(sid) ?? `no session ${sid} (ended, or never started)`);
    return rec;
  }

  /** Worker processes started so far (for tests and benchmarks). */
  get workerPids(): number[] {
    return this.workers.map((w) => w.child.pid!);
  }

  /** Live sessions in the pool (for tests: nothing may leak). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The pid of the worker holding `sid`. */
  workerPidOf(sid: number): number {
    return this.get(sid).worker.child.pid!;
  }

  /** How many times workers were replaced after a crash or timeout. */
  get restarts(): number {
    return this.workers.reduce((a, w) => a + w.restarts, 0);
  }

  /**
   * Starts a session on a benchmark, optionally replaying `actions` (pipeline elements).
   * @returns the session id.
   * @throws UnknownBenchmarkError, InvalidIrError, BenchmarkBuildError, PassPipelineError, or a
   *   WORKER_CRASH error when loading or replaying crashed the worker.
   */
  async startSession(benchmarkUri: string, actions: string[] = []): Promise<number> {
    const benchmark = await resolveBenchmark(benchmarkUri);
    const worker = this.placeWorker();
    const sid = this.nextSid++;
    const hashed = actions.some((a) => nondeterministic().has(a));
    // Held on the worker while it starts (a crash meanwhile finds no record to replay, and skips it).
    worker.sessions.add(sid);
    let reply: { irSha1?: string } | null;
    try {
      reply = await this.call(worker, { op: 'start', sid, benchmark, actions, params: {}, hash: hashed });
    } catch (e) {
      worker.sessions.delete(sid);
      throw e;
    }
    this.sessions.set(sid, this.newRecord(sid, worker, benchmark, actions, {}, hashed, reply?.irSha1 ?? null));
    return sid;
  }

  /**
   * Applies pipeline elements in order and returns the requested observations. A crash or
   * timeout gives `{ok: false, errorType, errorDetails}` and the session stays where it was.
   * @param timeoutMs this step's own timeout, when shorter than `stepTimeoutMs` (an agent's time
   *   budget); past it the step fails with StepTimeout as past `stepTimeoutMs`.
   * @throws SessionNotFoundError, PassPipelineError (module unchanged).
   */
  async step(sid: number, actions: string[], observations: string[], timeoutMs?: number): Promise<StepOutcome> {
    const rec = this.get(sid);
    const hashed = rec.hashed || actions.some((a) => nondeterministic().has(a));
    try {
      const { irSha1, ...result } = await this.call<StepResult>(rec.worker, { op: 'step', sid, actions, observations, hash: hashed }, timeoutMs);
      rec.actions.push(...actions);
      if (hashed) {
        rec.hashed = true;
        rec.lastSha1 = irSha1 ?? null;
      }
      const recovery = rec.recovery;
      rec.recovery = null;
      return { ok: true, ...result, observations: decodeObservations(result.observations), ...(recovery ? { recovery } : {}) };
    } catch (e) {
      if (!(e instanceof CrashError)) throw e;
      const recovery = rec.replaying ? await rec.replaying.promise : rec.recovery;
      rec.recovery = null;
      return { ok: false, ...e.failure, ...(recovery ? { recovery } : {}) };
    }
  }

  private newRecord(
    sid: number,
    worker: Worker,
    benchmark: BenchmarkRef,
    actions: string[],
    params: Partial<RuntimeParameters>,
    hashed: boolean,
    lastSha1: string | null,
  ): SessionRecord {
    return { sid, worker, benchmark, actions: [...actions], params: { ...params }, hashed, lastSha1, recovery: null, replaying: null };
  }

  /** Observation values of the session's current state. @throws SessionNotFoundError, UnknownSpaceError */
  async observe(sid: number, observations: string[]): Promise<Observations> {
    const rec = this.get(sid);
    return decodeObservations(await this.call<Record<string, unknown>>(rec.worker, { op: 'observe', sid, observations }));
  }

  /** A new session in the same state, on the same worker. @returns its id. */
  async fork(sid: number): Promise<number> {
    const rec = this.get(sid);
    const newSid = this.nextSid++;
    await this.call(rec.worker, { op: 'fork', sid, newSid });
    this.sessions.set(newSid, this.newRecord(newSid, rec.worker, rec.benchmark, rec.actions, rec.params, rec.hashed, rec.lastSha1));
    rec.worker.sessions.add(newSid);
    return newSid;
  }

  /** Sets runtime parameters of a session (kept across replays and forks). */
  async setParameters(sid: number, params: Partial<RuntimeParameters>): Promise<void> {
    const rec = this.get(sid);
    await this.call(rec.worker, { op: 'setParameters', sid, params });
    Object.assign(rec.params, params);
  }

  /** Builds and runs the session's current state and compares it with the benchmark's -O0 reference. */
  async checkSemantics(sid: number): Promise<SemanticsResult> {
    const rec = this.get(sid);
    return this.call<SemanticsResult>(rec.worker, { op: 'checkSemantics', sid });
  }

  /**
   * For a session about to end: aborts its Runtime runs at once (past the worker's queue), those
   * running and those of its requests still queued, which fail with CANCELLED. A no-op for an
   * unknown session.
   */
  cancel(sid: number): void {
    const rec = this.sessions.get(sid);
    // A worker that died a moment ago fails the send: its sessions are replayed, nothing to stop.
    if (rec && rec.worker.child.connected) rec.worker.child.send({ id: 0, op: 'cancel', sid }, () => undefined);
  }

  /** Ends a session and frees its module. Ending an unknown session is a no-op. */
  async endSession(sid: number): Promise<void> {
    const rec = this.sessions.get(sid);
    this.lost.delete(sid);
    if (!rec) return;
    this.sessions.delete(sid);
    rec.worker.sessions.delete(sid);
    await this.call(rec.worker, { op: 'end', sid }).catch(() => undefined);
  }

  /**
   * For each pipeline element, null if the loaded LLVM parses and runs it on an empty module,
   * else LLVM's message.
   */
  async checkPipelines(pipelines: string[]): Promise<Array<string | null>> {
    return this.call(this.placeWorker(), { op: 'checkPipelines', pipelines });
  }

  /** Kills every worker; pending requests fail with ClosedError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) w.kill();
    this.workers = [];
    this.sessions.clear();
  }
}

let shared: WorkerPool | null = null;

/** The process-wide pool that environments use unless given one (created on first use). */
export function sharedPool(): WorkerPool {
  if (!shared || shared.closed) shared = new WorkerPool();
  return shared;
}
