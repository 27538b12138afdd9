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
import { ClientOptions, ServiceClient } from './service/client';
import { actionSpaceFromProto, RemoteEnv } from './service/remote-env';

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

/** Options of `make()` for an environment served by `passgym serve`. */
export interface RemoteMakeOptions extends Omit<MakeOptions, 'pool'> {
  /** ZeroMQ endpoint of the server, e.g. tcp://127.0.0.1:5555. */
  endpoint: string;
  /** Timeouts, retries and CURVE keys of the connection. */
  client?: ClientOptions;
}

const clients = new Map<string, { client: ServiceClient; spaces: Promise<ActionSpace[]> }>();

/** The (shared) connection to `endpoint` and the action spaces its server offers. */
export function connect(endpoint: string, options: ClientOptions = {}): { client: ServiceClient; spaces: Promise<ActionSpace[]> } {
  let c = clients.get(endpoint);
  if (!c || c.client.isClosed) {
    const client = new ServiceClient(endpoint, options);
    const spaces = client.call('getSpaces').then((r) => (r.actionSpaces ?? []).map(actionSpaceFromProto));
    c = { client, spaces };
    clients.set(endpoint, c);
    spaces.catch(() => clients.delete(endpoint));
  }
  return c;
}

/** Closes the connections `make()` opened to servers. */
export function disconnectAll(): void {
  for (const c of clients.values()) c.client.close();
  clients.clear();
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
 * Creates an environment: local (`LlvmEnv` over a worker pool), or served by `passgym serve` when
 * `endpoint` is given (`RemoteEnv`, the same interface). Call `reset()` before stepping.
 * @throws UnknownSpaceError for an unknown id or space name (listing the valid ones).
 */
export async function make(id: string, options: RemoteMakeOptions): Promise<RemoteEnv>;
export async function make(id: string, options?: MakeOptions): Promise<LlvmEnv>;
export async function make(id: string, options: MakeOptions | RemoteMakeOptions = {}): Promise<LlvmEnv | RemoteEnv> {
  const defaults = ENV_IDS[id];
  if (!defaults) throw new UnknownSpaceError(`unknown environment id '${id}'; valid: ${Object.keys(ENV_IDS).join(', ')}`);
  if ('endpoint' in options && options.endpoint) {
    const { client, spaces } = connect(options.endpoint, options.client);
    // Held across the await (a concurrent make() that fails must not close the connection) and
    // dropped at the end: the RemoteEnv holds its own use, and a failed make() leaves none.
    client.retain();
    try {
      const name = options.actionSpace ?? 'PassesAll';
      const actionSpace = (await spaces).find((a) => a.name === name);
      if (!actionSpace) throw new UnknownSpaceError(`the server at ${options.endpoint} has no action space '${name}'`);
      return new RemoteEnv({
        client,
        actionSpace,
        observationSpace: options.observationSpace !== undefined ? options.observationSpace : defaults.observationSpace,
        rewardSpace: options.rewardSpace !== undefined ? options.rewardSpace : defaults.rewardSpace,
        benchmark: options.benchmark,
      });
    } finally {
      client.release();
    }
  }
  const pool = (options as MakeOptions).pool ?? sharedPool();
  return new LlvmEnv({
    pool,
    actionSpace: await actionSpaceFor(pool, options.actionSpace ?? 'PassesAll'),
    observationSpace: options.observationSpace !== undefined ? options.observationSpace : defaults.observationSpace,
    rewardSpace: options.rewardSpace !== undefined ? options.rewardSpace : defaults.rewardSpace,
    benchmark: options.benchmark,
  });
}
