/**
 * Code size: ObjectTextSizeBytes (the object file emitted in-process) and TextSizeBytes (the
 * linked executable's .text), each with its O0/O3/Oz baselines (CompilerGym's names).
 */
import { textSizeBytes } from '../session/runtime';
import { baselines, count, ObservationSpaceSpec } from './spec';

export const CODE_SIZE_SPACES: ObservationSpaceSpec[] = [
  { name: 'ObjectTextSizeBytes', space: count(), deterministic: true, platformDependent: true,
    description: 'Bytes of executable sections of the object file emitted in-process for the host target (generic CPU).',
    compute: (ctx) => ctx.module.objectTextSizeBytes() },
  ...baselines('ObjectTextSize', 'ObjectTextSizeBytes', count, true, 'ObjectTextSizeBytes'),
  { name: 'TextSizeBytes', space: count(), deterministic: true, platformDependent: true,
    description: 'Bytes of the .text section of the current state linked into an executable (with the benchmark\'s link arguments; runnable benchmarks only).',
    compute: (ctx) => textSizeBytes(ctx.module, ctx.ref) },
  ...baselines('TextSize', 'TextSizeBytes', count, true, 'TextSizeBytes'),
];
