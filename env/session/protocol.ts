/**
 * Messages between the worker pool (parent) and a worker process (child), sent over Node's IPC
 * channel with structured-clone ("advanced") serialization so that Bitcode travels as bytes.
 * One request in flight per worker; replies carry the request's `id`.
 */
import type { BenchmarkRef } from '../benchmarks';
import type { ErrorPayload } from '../errors';
import type { ObservationValue } from '../observations';

/** Observation values by space name. */
export type Observations = Record<string, ObservationValue>;

/** Requests a worker serves. `actions` are pipeline elements such as `instcombine` or `function(loop-mssa(licm))`. */
export type WorkerRequest =
  | { id: number; op: 'start'; sid: number; benchmark: BenchmarkRef; actions: string[] }
  | { id: number; op: 'step'; sid: number; actions: string[]; observations: string[] }
  | { id: number; op: 'observe'; sid: number; observations: string[] }
  | { id: number; op: 'fork'; sid: number; newSid: number }
  | { id: number; op: 'end'; sid: number }
  | { id: number; op: 'checkPipelines'; pipelines: string[] };

/** Result of a step: the observations, or the error that computing them raised (the passes did run). */
export interface StepResult {
  observations: Observations;
  observationError?: ErrorPayload;
}

/** What a worker sends back. */
export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ErrorPayload }
  | { id: -1; ok: true; ready: { pid: number; llvmVersion: string } };
