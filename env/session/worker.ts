/**
 * A worker process: holds sessions (one LLVM module each) and serves `WorkerRequest`s from the
 * pool one at a time. LLVM runs in this process, so a pass that aborts or segfaults kills only
 * this worker; the pool replaces it and replays its sessions (DESIGN.md decision 2).
 *
 * Started by `pool.ts` with `child_process.fork`; exits when the IPC channel closes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Llvm } from '../llvm/llvm';
import type { IrModule } from '../llvm/module';
import { toErrorPayload, SessionNotFoundError, PassGymError } from '../errors';
import { observationSpace, type BaselineLevel, type ObservationValue, type ObserveContext } from '../observations';
import type { BenchmarkRef } from '../benchmarks';
import { encodeObservations, StepResult, WorkerReply, WorkerRequest } from './protocol';
import { checkSemantics, DEFAULT_RUNTIME_PARAMETERS, RuntimeParameters } from './runtime';
import { stepsPipeline } from '../actions/commandline';
import { defaultSpinMs, makeSpinner } from './spin';
import { readBaseline, writeBaseline } from './baseline-cache';

/**
 * A benchmark loaded in this worker (by content): its file's bytes, parsed anew for each session
 * (every module has a context of its own, see `llvm.ts`), and its cached baseline values.
 */
interface LoadedBenchmark {
  bytes: Buffer;
  /** Content hash of the benchmark's bitcode (the key of the on-disk baseline cache). */
  sha256: string;
  baselines: Map<string, ObservationValue>;
}

/**
 * A session: its module, benchmark, runtime parameters, and the benchmark reference it was started
 * with (the same content may come with a different run command, e.g. an upload made runnable later).
 */
interface Session {
  module: IrModule;
  benchmark: LoadedBenchmark;
  ref: BenchmarkRef;
  params: RuntimeParameters;
}

const llvm = Llvm.get();
const benchmarks = new Map<string, LoadedBenchmark>();
const sessions = new Map<number, Session>();
/**
 * Aborted by the pool's out-of-band `cancel` (the session is ending): its Runtime runs stop, those
 * running and those of requests still queued, until the session's `end` deletes it.
 */
const aborts = new Map<number, AbortController>();
/** Seconds of runs one Runtime observation may take (the pool's runtimeBudgetSeconds). */
const runtimeBudgetSeconds = Number(process.env.PASSGYM_RUNTIME_BUDGET_SECONDS) || Infinity;

function abortOf(sid: number): AbortController {
  let a = aborts.get(sid);
  if (!a) aborts.set(sid, (a = new AbortController()));
  return a;
}

function loadBenchmark(ref: BenchmarkRef): LoadedBenchmark {
  let b = benchmarks.get(ref.sha256);
  if (!b) {
    b = { bytes: fs.readFileSync(ref.path), sha256: ref.sha256, baselines: new Map() };
    benchmarks.set(ref.sha256, b);
  }
  return b;
}

function session(sid: number) {
  const s = sessions.get(sid);
  if (!s) throw new SessionNotFoundError(`worker ${process.pid} holds no session ${sid}`);
  return s;
}

/** The pipeline that makes each baseline from the unoptimized module (none for O0). */
const BASELINE_PIPELINES: Record<BaselineLevel, string | null> = {
  O0: null,
  O3: 'module(default<O3>)',
  Oz: 'module(default<Oz>)',
};

/**
 * A baseline observation: `cost` computed on a fresh parse of the benchmark after `level`'s
 * pipeline, cached in memory and on disk per benchmark content (`baseline-cache.ts`).
 */
async function baseline(sid: number, s: Session, name: string, cost: string, level: BaselineLevel): Promise<ObservationValue> {
  const b = s.benchmark;
  let v = b.baselines.get(name) ?? readBaseline(b.sha256, name);
  if (v === undefined) {
    const m = llvm.parse(b.bytes, s.ref.uri);
    try {
      const pipeline = BASELINE_PIPELINES[level];
      if (pipeline) m.runPasses(pipeline);
      v = await observationSpace(cost).compute(context(sid, s, m));
    } finally {
      m.dispose();
    }
    writeBaseline(b.sha256, name, v);
  }
  b.baselines.set(name, v);
  return v;
}

/** This worker's folder for session files (BitcodeFile), created on first use, removed at exit. */
let workerDir: string | null = null;
function sessionDir(sid: number): string {
  workerDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-worker-'));
  const dir = path.join(workerDir, `session-${sid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
process.on('exit', () => {
  if (workerDir) fs.rmSync(workerDir, { recursive: true, force: true });
});

/** What an observation's computation sees of session `sid`, with `module` its state (or a baseline's). */
function context(sid: number, s: Session, module: IrModule, memos = new Map<string, unknown>()): ObserveContext {
  return {
    memo: <T>(key: string, compute: () => T): T => {
      if (memos.has(key)) return memos.get(key) as T;
      const v = compute();
      memos.set(key, v);
      return v;
    },
    module,
    ref: s.ref,
    params: s.params,
    limits: { budgetSeconds: runtimeBudgetSeconds, signal: abortOf(sid).signal },
    baseline: (name, cost, level) => baseline(sid, s, name, cost, level),
    sessionDir: () => sessionDir(sid),
  };
}

async function observeAll(sid: number, names: string[]): Promise<Record<string, ObservationValue>> {
  const s = session(sid);
  const out: Record<string, ObservationValue> = {};
  const memos = new Map<string, unknown>();
  for (const name of names) {
    out[name] = await observationSpace(name).compute(context(sid, s, s.module, memos));
  }
  return out;
}

/** An empty module on which pipelines are parsed (and run, harmlessly) to check them. */
let emptyModule: IrModule | null = null;

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'start': {
      const benchmark = loadBenchmark(req.benchmark);
      const module = llvm.parse(benchmark.bytes, req.benchmark.uri);
      try {
        if (req.actions.length > 0) module.runPasses(stepsPipeline(req.actions));
      } catch (e) {
        module.dispose();
        throw e;
      }
      sessions.get(req.sid)?.module.dispose();
      sessions.set(req.sid, { module, benchmark, ref: req.benchmark, params: { ...DEFAULT_RUNTIME_PARAMETERS, ...req.params } });
      return req.hash ? { irSha1: module.irSha1() } : null;
    }
    case 'step': {
      const s = session(req.sid);
      if (req.actions.length > 0) s.module.runPasses(stepsPipeline(req.actions));
      const result: StepResult = { observations: {} };
      try {
        result.observations = await observeAll(req.sid, req.observations);
      } catch (e) {
        result.observationError = toErrorPayload(e);
      }
      if (req.hash) {
        const asked = result.observations.IrSha1;
        result.irSha1 = typeof asked === 'string' ? asked : s.module.irSha1(); // one print when both are wanted
      }
      return { ...result, observations: encodeObservations(result.observations) };
    }
    case 'observe':
      return encodeObservations(await observeAll(req.sid, req.observations));
    case 'setParameters':
      Object.assign(session(req.sid).params, req.params);
      return null;
    case 'checkSemantics': {
      const s = session(req.sid);
      return checkSemantics(s.module, s.ref);
    }
    case 'fork': {
      const s = session(req.sid);
      sessions.set(req.newSid, { module: s.module.fork(), benchmark: s.benchmark, ref: s.ref, params: { ...s.params } });
      return null;
    }
    case 'end':
      sessions.get(req.sid)?.module.dispose();
      if (workerDir) fs.rmSync(path.join(workerDir, `session-${req.sid}`), { recursive: true, force: true });
      sessions.delete(req.sid);
      aborts.delete(req.sid);
      return null;
    case 'checkPipelines': {
      emptyModule ??= llvm.parse(Buffer.from('; empty module for pipeline checks\n'), 'pipeline-check');
      return req.pipelines.map((p) => {
        try {
          emptyModule!.runPasses(stepsPipeline([p]));
          return null;
        } catch (e) {
          return e instanceof PassGymError ? e.message : String(e);
        }
      });
    }
  }
}

function reply(msg: WorkerReply): void {
  process.send!(msg);
}

let received = 0;
let awaited = 0;
/** After each reply, poll for the next request for a moment instead of sleeping (spin.ts). */
const spinForNext = makeSpinner(defaultSpinMs(), () => received !== awaited);

process.on('message', async (req: WorkerRequest) => {
  // Out of band (no reply, not queued behind the session's request): stop that request's runs.
  if (req.op === 'cancel') {
    abortOf(req.sid).abort();
    return;
  }
  received++;
  const t0 = performance.now();
  try {
    const result = await handle(req);
    reply({ id: req.id, ok: true, result, ms: performance.now() - t0 });
  } catch (e) {
    reply({ id: req.id, ok: false, error: toErrorPayload(e), ms: performance.now() - t0 });
  }
  awaited = received;
  if (req.spin) spinForNext();
});
process.on('disconnect', () => process.exit(0));
reply({ id: -1, ok: true, ready: { pid: process.pid, llvmVersion: llvm.installation.version } });
