/**
 * The program as something built and run: IsBuildable, IsRunnable, Runtime and Buildtime
 * (CompilerGym's names; built in-process and linked with the system cc, `session/runtime.ts`).
 */
import { Box, Sequence } from '../spaces';
import { buildtime, runtime } from '../session/runtime';
import type { ObservationSpaceSpec } from './spec';

export const PROGRAM_SPACES: ObservationSpaceSpec[] = [
  { name: 'IsRunnable', space: new Box([], 'bool', 0, 1), deterministic: true, platformDependent: false,
    description: 'Whether the benchmark has a run command (and an -O0 reference output), so Runtime and semantic validation work.',
    compute: (ctx) => ctx.ref.run !== null },
  { name: 'Runtime', space: new Sequence('float64', 1, 100), deterministic: false, platformDependent: true,
    description: 'Seconds: the wall time of each of runtime_observation_count runs (in order) after runtime_warmup_runs_count warm-up runs of the current state (built in-process, linked with cc); the Runtime reward uses their median.',
    compute: (ctx) => runtime(ctx.module, ctx.ref, ctx.params, ctx.limits) },
  { name: 'Buildtime', space: new Box([], 'float64', 0, Number.MAX_VALUE), deterministic: false, platformDependent: true,
    description: 'Seconds to emit object code for the current state and link it into an executable.',
    compute: (ctx) => buildtime(ctx.module, ctx.ref) },
  { name: 'IsBuildable', space: new Box([], 'bool', 0, 1), deterministic: true, platformDependent: false,
    description: 'Whether the module defines `main`, so that its object code links into an executable with the system cc.',
    compute: (ctx) => ctx.module.defines('main') },
];
