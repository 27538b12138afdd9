/**
 * Feature vectors and counts: InstCount, Autophase and IrInstructionCount, computed in the C
 * helper (`llvm/native/features.c`), with CompilerGym's names, orders and shapes
 * (CompilerGym v0.2.5, `compiler_gym/envs/llvm/service/ObservationSpaces.h`).
 */
import { Box, Dict } from '../spaces';
import { baselines, count, dictOf, INT64_MAX, ObservationSpaceSpec, zip } from './spec';

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

/** InstCount[1:] / max(TotalInsts, 1) as float32 values (CompilerGym's InstCountNorm). */
const instCountNorm = (c: number[]) => {
  const total = Math.max(c[0], 1);
  return c.slice(1).map((v) => Math.fround(v / total));
};

export const FEATURE_SPACES: ObservationSpaceSpec[] = [
  { name: 'InstCount', space: new Box([70], 'int64', 0, INT64_MAX), deterministic: true, platformDependent: false,
    description: 'TotalInsts, TotalBlocks, TotalFuncs (definitions) and one count per opcode, as LLVM\'s instcount pass.',
    compute: (ctx) => ctx.module.instCount() },
  { name: 'InstCountDict', space: dictOf(INSTCOUNT_NAMES, 'Count'), deterministic: true, platformDependent: false,
    description: 'InstCount as a dictionary keyed `<Name>Count`.',
    compute: (ctx) => zip(INSTCOUNT_NAMES, ctx.module.instCount(), 'Count') },
  { name: 'InstCountNorm', space: new Box([69], 'float32', 0, 1), deterministic: true, platformDependent: false,
    description: 'InstCount[1:] / max(TotalInsts, 1).',
    compute: (ctx) => instCountNorm(ctx.module.instCount()) },
  { name: 'InstCountNormDict', space: new Dict(Object.fromEntries(INSTCOUNT_NAMES.slice(1).map((n) => [`${n}Density`, new Box([], 'float32', 0, 1)]))),
    deterministic: true, platformDependent: false,
    description: 'InstCountNorm as a dictionary keyed `<Name>Density` (TotalBlocksDensity, …, FreezeDensity), as CompilerGym names it.',
    compute: (ctx) => zip(INSTCOUNT_NAMES.slice(1), instCountNorm(ctx.module.instCount()), 'Density') },
  { name: 'Autophase', space: new Box([56], 'int64', 0, INT64_MAX), deterministic: true, platformDependent: false,
    description: 'The 56 Autophase features (Huang et al., MLSys 2020), CompilerGym\'s definitions.',
    compute: (ctx) => ctx.module.autophase() },
  { name: 'AutophaseDict', space: dictOf(AUTOPHASE_NAMES, ''), deterministic: true, platformDependent: false,
    description: 'Autophase as a dictionary keyed by feature name.',
    compute: (ctx) => zip(AUTOPHASE_NAMES, ctx.module.autophase(), '') },
  { name: 'IrInstructionCount', space: count(), deterministic: true, platformDependent: false,
    description: 'Instructions in all function bodies of the current module.',
    compute: (ctx) => ctx.module.instructionCount() },
  ...baselines('IrInstructionCount', 'IrInstructionCount', count, false, 'IrInstructionCount'),
];
