/**
 * Observation spaces of the LLVM environment, with CompilerGym's names, shapes and meanings
 * (CompilerGym v0.2.5, `compiler_gym/envs/llvm/service/ObservationSpaces.h` and the LLVM
 * environment's documentation). Each space says whether it is deterministic (the same state
 * always gives the same value) and platform-dependent (the value depends on the host's target).
 *
 * Values are computed in the worker process that holds the module (`session/observe.ts`).
 */
import { Box, Dict, Sequence, Space } from './spaces';
import { UnknownSpaceError } from './errors';

/** InstCount feature names, CompilerGym's order: totals, then opcodes in Instruction.def order. */
export const INSTCOUNT_NAMES: readonly string[] = [
  'TotalInsts', 'TotalBlocks', 'TotalFuncs', 'Ret', 'Br', 'Switch', 'IndirectBr', 'Invoke', 'Resume',
  'Unreachable', 'CleanupRet', 'CatchRet', 'CatchSwitch', 'CallBr', 'FNeg', 'Add', 'FAdd', 'Sub', 'FSub',
  'Mul', 'FMul', 'UDiv', 'SDiv', 'FDiv', 'URem', 'SRem', 'FRem', 'Shl', 'LShr', 'AShr', 'And', 'Or', 'Xor',
  'Alloca', 'Load', 'Store', 'GetElementPtr', 'Fence', 'AtomicCmpXchg', 'AtomicRMW', 'Trunc', 'ZExt',
  'SExt', 'FPToUI', 'FPToSI', 'UIToFP', 'SIToFP', 'FPTrunc', 'FPExt', 'PtrToInt', 'IntToPtr', 'BitCast',
  'AddrSpaceCast', 'CleanupPad', 'CatchPad', 'ICmp', 'FCmp', 'PHI', 'Call', 'Select', 'UserOp1', 'UserOp2',
  'VAArg', 'ExtractElement', 'InsertElement', 'ShuffleVector', 'ExtractValue', 'InsertValue', 'LandingPad',
  'Freeze',
];

/** Autophase feature names, CompilerGym's order (Huang et al., MLSys 2020). */
export const AUTOPHASE_NAMES: readonly string[] = [
  'BBNumArgsHi', 'BBNumArgsLo', 'onePred', 'onePredOneSuc', 'onePredTwoSuc', 'oneSuccessor', 'twoPred',
  'twoPredOneSuc', 'twoEach', 'twoSuccessor', 'morePreds', 'BB03Phi', 'BBHiPhi', 'BBNoPhi', 'BeginPhi',
  'BranchCount', 'returnInt', 'CriticalCount', 'NumEdges', 'const32Bit', 'const64Bit', 'numConstZeroes',
  'numConstOnes', 'UncondBranches', 'binaryConstArg', 'NumAShrInst', 'NumAddInst', 'NumAllocaInst',
  'NumAndInst', 'BlockMid', 'BlockLow', 'NumBitCastInst', 'NumBrInst', 'NumCallInst', 'NumGetElementPtrInst',
  'NumICmpInst', 'NumLShrInst', 'NumLoadInst', 'NumMulInst', 'NumOrInst', 'NumPHIInst', 'NumRetInst',
  'NumSExtInst', 'NumSelectInst', 'NumShlInst', 'NumStoreInst', 'NumSubInst', 'NumTruncInst', 'NumXorInst',
  'NumZExtInst', 'TotalBlocks', 'TotalInsts', 'TotalMemInst', 'TotalFuncs', 'ArgsPhi', 'testUnary',
];

/** A value of any observation space. */
export type ObservationValue = string | number | boolean | number[] | Uint8Array | Record<string, number>;

/** One observation space: its name, space, and the facts CompilerGym documents for each. */
export interface ObservationSpaceSpec {
  name: string;
  space: Space;
  deterministic: boolean;
  platformDependent: boolean;
  description: string;
}

const INT64_MAX = Number.MAX_SAFE_INTEGER;
const count = () => new Box([], 'int64', 0, INT64_MAX);
const dictOf = (names: readonly string[], suffix: string) =>
  new Dict(Object.fromEntries(names.map((n) => [`${n}${suffix}`, count()])));

const SPECS: ObservationSpaceSpec[] = [
  { name: 'Ir', space: new Sequence('str'), deterministic: true, platformDependent: false,
    description: 'The module as LLVM assembly text.' },
  { name: 'IrSha1', space: new Sequence('str', 40, 40), deterministic: true, platformDependent: false,
    description: 'Hex SHA-1 of the Ir text: a cheap state identity.' },
  { name: 'Bitcode', space: new Sequence('bytes'), deterministic: true, platformDependent: false,
    description: 'The module as LLVM bitcode.' },
  { name: 'InstCount', space: new Box([70], 'int64', 0, INT64_MAX), deterministic: true, platformDependent: false,
    description: 'TotalInsts, TotalBlocks, TotalFuncs (definitions) and one count per opcode, as LLVM\'s instcount pass.' },
  { name: 'InstCountDict', space: dictOf(INSTCOUNT_NAMES, 'Count'), deterministic: true, platformDependent: false,
    description: 'InstCount as a dictionary keyed `<Name>Count`.' },
  { name: 'InstCountNorm', space: new Box([69], 'float32', 0, 1), deterministic: true, platformDependent: false,
    description: 'InstCount[1:] / max(TotalInsts, 1).' },
  { name: 'InstCountNormDict', space: new Dict(Object.fromEntries(INSTCOUNT_NAMES.slice(1).map((n) => [`${n}Density`, new Box([], 'float32', 0, 1)]))),
    deterministic: true, platformDependent: false,
    description: 'InstCountNorm as a dictionary keyed `<Name>Density` (TotalBlocksDensity, …, FreezeDensity), as CompilerGym names it.' },
  { name: 'Autophase', space: new Box([56], 'int64', 0, INT64_MAX), deterministic: true, platformDependent: false,
    description: 'The 56 Autophase features (Huang et al., MLSys 2020), CompilerGym\'s definitions.' },
  { name: 'AutophaseDict', space: dictOf(AUTOPHASE_NAMES, ''), deterministic: true, platformDependent: false,
    description: 'Autophase as a dictionary keyed by feature name.' },
  { name: 'IrInstructionCount', space: count(), deterministic: true, platformDependent: false,
    description: 'Instructions in all function bodies of the current module.' },
  { name: 'IrInstructionCountO0', space: count(), deterministic: true, platformDependent: false,
    description: 'IrInstructionCount of the unoptimized benchmark.' },
  { name: 'IrInstructionCountO3', space: count(), deterministic: true, platformDependent: false,
    description: 'IrInstructionCount of the benchmark after default<O3>.' },
  { name: 'IrInstructionCountOz', space: count(), deterministic: true, platformDependent: false,
    description: 'IrInstructionCount of the benchmark after default<Oz>.' },
  { name: 'ObjectTextSizeBytes', space: count(), deterministic: true, platformDependent: true,
    description: 'Bytes of executable sections of the object file emitted in-process for the host target (generic CPU).' },
  { name: 'ObjectTextSizeO0', space: count(), deterministic: true, platformDependent: true,
    description: 'ObjectTextSizeBytes of the unoptimized benchmark.' },
  { name: 'ObjectTextSizeO3', space: count(), deterministic: true, platformDependent: true,
    description: 'ObjectTextSizeBytes of the benchmark after default<O3>.' },
  { name: 'ObjectTextSizeOz', space: count(), deterministic: true, platformDependent: true,
    description: 'ObjectTextSizeBytes of the benchmark after default<Oz>.' },
  { name: 'TextSizeBytes', space: count(), deterministic: true, platformDependent: true,
    description: 'Bytes of the .text section of the current state linked into an executable (with the benchmark\'s link arguments; runnable benchmarks only).' },
  { name: 'TextSizeO0', space: count(), deterministic: true, platformDependent: true,
    description: 'TextSizeBytes of the unoptimized benchmark.' },
  { name: 'TextSizeO3', space: count(), deterministic: true, platformDependent: true,
    description: 'TextSizeBytes of the benchmark after default<O3>.' },
  { name: 'TextSizeOz', space: count(), deterministic: true, platformDependent: true,
    description: 'TextSizeBytes of the benchmark after default<Oz>.' },
  { name: 'IsRunnable', space: new Box([], 'bool', 0, 1), deterministic: true, platformDependent: false,
    description: 'Whether the benchmark has a run command (and an -O0 reference output), so Runtime and semantic validation work.' },
  { name: 'Runtime', space: new Sequence('float64', 1, 100), deterministic: false, platformDependent: true,
    description: 'Seconds: the wall time of each of runtime_observation_count runs (in order) after runtime_warmup_runs_count warm-up runs of the current state (built in-process, linked with cc); the Runtime reward uses their median.' },
  { name: 'Buildtime', space: new Box([], 'float64', 0, Number.MAX_VALUE), deterministic: false, platformDependent: true,
    description: 'Seconds to emit object code for the current state and link it into an executable.' },
  { name: 'IsBuildable', space: new Box([], 'bool', 0, 1), deterministic: true, platformDependent: false,
    description: 'Whether the module defines `main`, so that its object code links into an executable with the system cc.' },
];

/** All observation spaces, by name. */
export const OBSERVATION_SPACES: ReadonlyMap<string, ObservationSpaceSpec> = new Map(SPECS.map((s) => [s.name, s]));

/**
 * The observation space called `name`.
 * @throws UnknownSpaceError listing the valid names.
 */
export function observationSpace(name: string): ObservationSpaceSpec {
  const spec = OBSERVATION_SPACES.get(name);
  if (!spec) {
    throw new UnknownSpaceError(
      `unknown observation space '${name}'; valid: ${[...OBSERVATION_SPACES.keys()].join(', ')}`,
    );
  }
  return spec;
}
