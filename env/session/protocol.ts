/**
 * Messages between the worker pool (parent) and a worker process (child), sent over Node's IPC
 * channel with JSON serialization: measured here, an empty round trip takes 0.08-0.11 ms with
 * JSON and 0.22-0.25 ms with structured-clone ("advanced") serialization, which would double the
 * cost of a small step. Byte values (Bitcode) cross as base64 (`encodeObservations`).
 * One request in flight per worker; replies carry the request's `id`.
 */
import type { BenchmarkRef } from '../benchmarks';
import type { ErrorPayload } from '../errors';
import { OBSERVATION_SPACES, type ObservationValue } from '../observations';
import type { RuntimeParameters } from './runtime';

/** Observation values by space name. */
export type Observations = Record<string, ObservationValue>;

/**
 * Requests a worker serves. `spin` (set by the pool on requests sent while no other request was in
 * flight) asks the worker to busy-poll briefly for the next request after replying (`spin.ts`). `actions` are pipeline elements such as `instcombine` or `function(loop-mssa(licm))`.
 * A `start` with `hash` replies `{irSha1}` of the state it reached, a `step` with `hash` adds `irSha1`
 * to its `StepResult` (crash recovery checks it). */
export type WorkerRequest = (
  | { id: number; op: 'start'; sid: number; benchmark: BenchmarkRef; actions: string[]; params: Partial<RuntimeParameters>; hash?: boolean }
  | { id: number; op: 'setParameters'; sid: number; params: Partial<RuntimeParameters> }
  | { id: number; op: 'checkSemantics'; sid: number }
  | { id: number; op: 'step'; sid: number; actions: string[]; observations: string[]; hash?: boolean }
  | { id: number; op: 'observe'; sid: number; observations: string[] }
  | { id: number; op: 'fork'; sid: number; newSid: number }
  | { id: number; op: 'end'; sid: number }
  /** Sent past the worker's queue, unanswered: aborts the session's Runtime runs (it is ending). */
  | { id: number; op: 'cancel'; sid: number }
  | { id: number; op: 'checkPipelines'; pipelines: string[] }
) & { spin?: boolean };

/** Result of a step: the observations, or the error that computing them raised (the passes did run). */
export interface StepResult {
  observations: Observations;
  observationError?: ErrorPayload;
  /** IrSha1 of the state after the step, when the request asked for it (`hash`). */
  irSha1?: string;
}

/** What a worker sends back; `ms` is the time the worker spent on the request (ms). */
export type WorkerReply =
  | { id: number; ok: true; result: unknown; ms: number }
  | { id: number; ok: false; error: ErrorPayload; ms: number }
  | { id: -1; ok: true; ready: { pid: number; llvmVersion: string } };

/** Observation values with bytes replaced by `{base64}` for the JSON channel. */
export function encodeObservations(obs: Observations): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obs)) out[k] = v instanceof Uint8Array ? { base64: Buffer.from(v).toString('base64') } : v;
  return out;
}

/**
 * Inverse of `encodeObservations`, then each space's `materialize` (the observation a space sends
 * in a smaller form, e.g. Inst2vec's rows from its indices).
 */
export function decodeObservations(obs: Record<string, unknown>): Observations {
  const out: Observations = {};
  for (const [k, v] of Object.entries(obs)) {
    const b64 = v !== null && typeof v === 'object' && 'base64' in v ? (v as { base64: string }).base64 : null;
    const value = b64 !== null ? new Uint8Array(Buffer.from(b64, 'base64')) : (v as Observations[string]);
    const materialize = OBSERVATION_SPACES.get(k)?.materialize;
    out[k] = materialize ? materialize(value) : value;
  }
  return out;
}
