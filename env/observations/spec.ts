/**
 * The shape of one observation space in the registry (`index.ts`): its specification (name,
 * space, CompilerGym's deterministic / platform-dependent facts) beside its computation, so that
 * adding a space is one entry in one module (docs/architecture.md, "Adding an observation space").
 */
import type { IrModule } from '../llvm/module';
import type { BenchmarkRef } from '../benchmarks';
import type { RuntimeLimits, RuntimeParameters } from '../session/runtime';
import { Box, Dict, Space } from '../spaces';
import type { ProgramGraph } from './programl-graph';
import type { LexedIr } from './lexed-ir';
import type { LexedToken } from './lexed';

/** A value of any observation space. */
export type ObservationValue =
  | string
  | number
  | boolean
  | number[]
  | string[]
  | number[][]
  | Float32Array[]
  | Uint8Array
  | Record<string, number>
  | JsonObject
  | ProgramGraph
  | LexedIr
  | LexedToken[];

/** A JSON document (ProgramlJson's node-link graph, CpuInfo). */
export interface JsonObject {
  [key: string]: unknown;
}

/** True when `v` is a vector of numbers (InstCount, Autophase, Runtime's runs, …). */
export function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((e) => typeof e === 'number');
}

/**
 * What a computation may use: the session's module (in the worker that holds it), its benchmark,
 * its runtime parameters and limits, and the baseline cache.
 */
export interface ObserveContext {
  module: IrModule;
  ref: BenchmarkRef;
  params: RuntimeParameters;
  limits: RuntimeLimits;
  /**
   * The value of observation `cost` on the benchmark after `level`'s pipeline (O0: none), cached
   * per benchmark content (`session/baseline-cache.ts`).
   */
  baseline(name: string, cost: string, level: BaselineLevel): Promise<ObservationValue>;
  /** A folder of the session's own (created on first use, removed when the session ends). */
  sessionDir(): string;
  /**
   * `compute()`'s value, computed once per request: the spaces of one observe call that share an
   * intermediate (the printed IR, the ProGraML graph, the lexed tokens) ask for it under one key.
   * The value must not be mutated.
   */
  memo<T>(key: string, compute: () => T): T;
}

/** The module's printed IR, once per request. */
export const irText = (ctx: ObserveContext): string => ctx.memo('ir', () => ctx.module.print());

/** The optimization level of a baseline observation (`…O0`, `…O3`, `…Oz`). */
export type BaselineLevel = 'O0' | 'O3' | 'Oz';

/** One observation space: its name, space, the facts CompilerGym documents, and how to compute it. */
export interface ObservationSpaceSpec {
  name: string;
  space: Space;
  deterministic: boolean;
  platformDependent: boolean;
  description: string;
  /** For a baseline space (e.g. IrInstructionCountOz): the cost space and the level it is measured at. */
  baseline?: { cost: string; level: BaselineLevel };
  /**
   * Computes the value in the worker that holds the module. May throw PassGymError (e.g.
   * NOT_RUNNABLE); the step's passes stay applied.
   */
  compute(ctx: ObserveContext): ObservationValue | Promise<ObservationValue>;
  /**
   * Turns what `compute` returned in the worker into the observation, in the process that asked
   * (the pool's, `session/protocol.ts`). For a value much bigger than what determines it, so that
   * only the small part crosses the worker channel: Inst2vec sends its vocabulary indices (one
   * number per statement) and gets its rows of 200 floats here.
   */
  materialize?(sent: ObservationValue): ObservationValue;
}

/** The int64 scalar of counts (CompilerGym: `Scalar(min=0, max=INT64_MAX)`). */
export const INT64_MAX = Number.MAX_SAFE_INTEGER;
export const count = () => new Box([], 'int64', 0, INT64_MAX);
/** A Dict of int64 counts named `<name><suffix>`. */
export const dictOf = (names: readonly string[], suffix: string) =>
  new Dict(Object.fromEntries(names.map((n) => [`${n}${suffix}`, count()])));

/** Names zipped with values as a record keyed `<name><suffix>`. */
export const zip = (names: readonly string[], values: number[], suffix: string) =>
  Object.fromEntries(names.map((n, k) => [`${n}${suffix}`, values[k]]));

/**
 * The baseline spaces of `cost` (`<prefix>O0`, `<prefix>O3`, `<prefix>Oz`), each the cost of the
 * benchmark at that level.
 */
export function baselines(prefix: string, cost: string, space: () => Space, platformDependent: boolean, what: string): ObservationSpaceSpec[] {
  const levels: [BaselineLevel, string][] = [
    ['O0', 'the unoptimized benchmark'],
    ['O3', 'the benchmark after default<O3>'],
    ['Oz', 'the benchmark after default<Oz>'],
  ];
  return levels.map(([level, of]) => {
    const name = `${prefix}${level}`;
    return {
      name,
      space: space(),
      deterministic: true,
      platformDependent,
      description: `${what} of ${of}.`,
      baseline: { cost, level },
      compute: (ctx: ObserveContext) => ctx.baseline(name, cost, level),
    };
  });
}
