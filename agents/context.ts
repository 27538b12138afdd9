/**
 * Where agents' environments come from: a local worker pool, or a list of `passgym serve`
 * endpoints (round-robin). `agentContext()` turns one into the `AgentContext` of a benchmark.
 */
import os from 'node:os';
import type { Env } from '../env/core';
import type { ActionSpaceName } from '../env/actions/space';
import { make } from '../env/registry';
import { WorkerPool } from '../env/session/pool';
import type { AgentContext, AgentEnvOptions, Budget } from './agent';

/** A source of environments. */
export interface EnvSource {
  /** Evaluations that can run at once. */
  readonly parallelism: number;
  /** The local pool, when the environments are local (harnesses replay results in it). */
  readonly pool?: WorkerPool;
  /** A new environment (not yet reset). */
  open(options: Required<AgentEnvOptions> & { benchmark: string }): Promise<Env>;
  /** Frees the source (kills a pool it owns; closes nothing it was given). */
  close(): void;
}

/**
 * Environments in a local worker pool. With no pool given, starts one with `workers` workers
 * (default: one per core) and owns it.
 */
export function localSource(options: { pool?: WorkerPool; workers?: number } = {}): EnvSource {
  const owned = !options.pool;
  const pool = options.pool ?? new WorkerPool({ maxWorkers: options.workers ?? os.cpus().length });
  return {
    parallelism: pool.maxWorkers,
    pool,
    open: (o) => make('llvm-v0', { pool, ...o }),
    close: () => {
      if (owned) pool.close();
    },
  };
}

/**
 * Environments served by `passgym serve` at `endpoints`, opened round-robin. `workersPerEndpoint`
 * (default 1) is how many evaluations each server runs at once (its `--workers`).
 * @throws Error when `endpoints` is empty.
 */
export function remoteSource(endpoints: readonly string[], workersPerEndpoint = 1): EnvSource {
  if (endpoints.length === 0) throw new Error('remoteSource needs at least one endpoint');
  let next = 0;
  return {
    parallelism: endpoints.length * Math.max(1, workersPerEndpoint),
    open: (o) => make('llvm-v0', { endpoint: endpoints[next++ % endpoints.length], ...o }),
    close: () => undefined,
  };
}

/**
 * The context an agent gets for one benchmark: `makeEnv()` opens an environment from `source`
 * and resets it on the benchmark with the seed.
 */
export function agentContext(
  source: EnvSource,
  run: { benchmark: string; budget: Budget; seed: number; actionSpace?: ActionSpaceName; log?: (m: string) => void },
): AgentContext {
  const actionSpace = run.actionSpace ?? 'PassesAll';
  return {
    benchmark: run.benchmark,
    budget: run.budget,
    seed: run.seed,
    actionSpace,
    parallelism: source.parallelism,
    async makeEnv(o: AgentEnvOptions = {}) {
      const env = await source.open({
        benchmark: run.benchmark,
        actionSpace: o.actionSpace ?? actionSpace,
        observationSpace: o.observationSpace ?? null,
        rewardSpace: o.rewardSpace === undefined ? 'IrInstructionCountOz' : o.rewardSpace,
      });
      try {
        await env.reset({ seed: run.seed });
      } catch (e) {
        await env.close();
        throw e;
      }
      return env;
    },
    log: run.log ?? (() => undefined),
  };
}
