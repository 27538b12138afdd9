/**
 * Computes observation values for a module in the worker process. Baseline observations
 * (`…O0`, `…O3`, `…Oz`) are computed once per benchmark on a clone of the unoptimized module
 * and cached by the caller.
 */
import type { IrModule } from '../llvm/module';
import { AUTOPHASE_NAMES, INSTCOUNT_NAMES, observationSpace, ObservationValue } from '../observations';

const zip = (names: readonly string[], values: number[], suffix: string) =>
  Object.fromEntries(names.map((n, k) => [`${n}${suffix}`, values[k]]));

/** InstCount[1:] / max(TotalInsts, 1) as float32 values (CompilerGym's InstCountNorm). */
const instCountNorm = (c: number[]) => {
  const total = Math.max(c[0], 1);
  return c.slice(1).map((v) => Math.fround(v / total));
};

/** The pipeline that makes each baseline from the unoptimized module (none for O0). */
export const BASELINE_PIPELINES: Record<string, string | null> = {
  O0: null,
  O3: 'module(default<O3>)',
  Oz: 'module(default<Oz>)',
};

/** If `name` is a baseline observation, its cost observation and level, e.g. IrInstructionCountOz → [IrInstructionCount, Oz], TextSizeO3 → [TextSizeBytes, O3]. */
export function baselineOf(name: string): { cost: 'IrInstructionCount' | 'ObjectTextSizeBytes' | 'TextSizeBytes'; level: string } | null {
  const m = /^(IrInstructionCount|ObjectTextSize|TextSize)(O0|O3|Oz)$/.exec(name);
  if (!m) return null;
  return { cost: m[1] === 'IrInstructionCount' ? 'IrInstructionCount' : m[1] === 'ObjectTextSize' ? 'ObjectTextSizeBytes' : 'TextSizeBytes', level: m[2] };
}

/**
 * The value of a non-baseline observation space for `module`.
 * @throws UnknownSpaceError for a name that is not an observation space.
 */
export function observe(module: IrModule, name: string): ObservationValue {
  switch (name) {
    case 'Ir':
      return module.print();
    case 'IrSha1':
      return module.irSha1();
    case 'Bitcode':
      return new Uint8Array(module.bitcode());
    case 'InstCount':
      return module.instCount();
    case 'InstCountDict':
      return zip(INSTCOUNT_NAMES, module.instCount(), 'Count');
    case 'InstCountNorm':
      return instCountNorm(module.instCount());
    case 'InstCountNormDict':
      return zip(INSTCOUNT_NAMES.slice(1), instCountNorm(module.instCount()), 'Density');
    case 'Autophase':
      return module.autophase();
    case 'AutophaseDict':
      return zip(AUTOPHASE_NAMES, module.autophase(), '');
    case 'IrInstructionCount':
      return module.instructionCount();
    case 'ObjectTextSizeBytes':
      return module.objectTextSizeBytes();
    case 'IsBuildable':
      return module.defines('main');
    default:
      observationSpace(name);
      throw new Error(`observation '${name}' is a baseline; use the benchmark's baseline cache`);
  }
}
