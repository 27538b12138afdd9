/**
 * `make(id)`: environments by CompilerGym's ids (CompilerGym v0.2.5 `compiler_gym/envs/llvm/__init__.py`):
 *
 * | id                          | observation space | reward space          |
 * |-----------------------------|-------------------|-----------------------|
 * | llvm-v0                     | none              | none                  |
 * | llvm-ic-v0                  | none              | IrInstructionCountOz  |
 * | llvm-codesize-v0            | none              | ObjectTextSizeOz      |
 * | llvm-autophase-ic-v0        | Autophase         | IrInstructionCountOz  |
 * | llvm-autophase-codesize-v0  | Autophase         | ObjectTextSizeOz      |
 * | llvm-ir-ic-v0               | Ir                | IrInstructionCountOz  |
 * | llvm-ir-codesize-v0         | Ir                | ObjectTextSizeOz      |
 */
import { ActionSpace, ActionSpaceName, buildActionSpace } from './actions/space';
import { LlvmEnv } from './env';
import { sharedPool, WorkerPool } from './session/pool';
import { UnknownSpaceError } from './errors';
import { findLlvm } from './llvm/library';

/** Environment ids and their default spaces. */
export const ENV_IDS: Readonly<Record<string, { observationSpace: string | null; rewardSpace: string | null }>> = {
  'llvm-v0': { observationSpace: null, rewardSpace: null },
  'llvm-ic-v0': { observationSpace: null, rewardSpace: 'IrInstructionCountOz' },
  'llvm-codesize-v0': { observationSpace: null, rewardSpace: 'ObjectTextSizeOz' },
  'llvm-autophase-ic-v0': { observationSpace: 'Autophase', rewardSpace: 'IrInstructionCountOz' },
  'llvm-autophase-codesize-v0': { observationSpace: 'Autophase', rewardSpace: 'ObjectTextSizeOz' },
  'llvm-ir-ic-v0': { observationSpace: 'Ir', rewardSpace: 'IrInstructionCountOz' },
  'llvm-ir-codesize-v0': { observationSpace: 'Ir', rewardSpace: 'ObjectTextSizeOz' },
};

/** Options of `make()`; space options override the id's defaults. */
export interface MakeOptions {
  actionSpace?: ActionSpaceName;
  observationSpace?: string | null;
  rewardSpace?: string | null;
  /** Benchmark for the first `reset()` (default: benchmark://embedded-v0/qsort). */
  benchmark?: string;
  /** The worker pool to run in (default: the process-wide shared pool). */
  pool?: WorkerPool;
}

const actionSpaces = new WeakMap<WorkerPool, Map<string, Promise<ActionSpace>>>();

/** The named action space, checked against the pool's LLVM once per pool. */
export function actionSpaceFor(pool: WorkerPool, name: ActionSpaceName = 'PassesAll'): Promise<ActionSpace> {
  let byName = actionSpaces.get(pool);
  if (!byName) actionSpaces.set(pool, (byName = new Map()));
  let space = byName.get(name);
  if (!space) {
    space = buildActionSpace(name, findLlvm().major, (p) => pool.checkPipelines(p));
    byName.set(name, space);
    space.catch(() => byName!.delete(name));
  }
  return space;
}

/**
 * Creates an environment. Call `reset()` before stepping.
 * @throws UnknownSpaceError for an unknown id or space name (listing the valid ones).
 */
export async function make(id: string, options: MakeOptions = {}): Promise<LlvmEnv> {
  const defaults = ENV_IDS[id];
  if (!defaults) throw new UnknownSpaceError(`unknown environment id '${id}'; valid: ${Object.keys(ENV_IDS).join(', ')}`);
  const pool = options.pool ?? sharedPool();
  return new LlvmEnv({
    pool,
    actionSpace: await actionSpaceFor(pool, options.actionSpace ?? 'PassesAll'),
    observationSpace: options.observationSpace !== undefined ? options.observationSpace : defaults.observationSpace,
    rewardSpace: options.rewardSpace !== undefined ? options.rewardSpace : defaults.rewardSpace,
    benchmark: options.benchmark,
  });
}
