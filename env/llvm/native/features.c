/*
 * PassGym feature extraction: the per-instruction loops behind the InstCount, Autophase and
 * IrInstructionCount observations, written in C over LLVM's stable C API.
 *
 * Why C and not koffi calls from TypeScript: walking IR through a foreign-function call per
 * instruction costs about 100 ns an instruction (measured here: 0.33 ms to count 3,201
 * instructions), as much as many passes take on the same module, which would double the cost of
 * an environment step. Here the same C API calls cost a few nanoseconds each.
 *
 * Built on first use by env/llvm/native.ts with the system C compiler and linked against the
 * same libLLVM that PassGym loaded. Only C API functions are used, declared in llvm-c.h from
 * llvm-c/Core.h (their ABI is stable across LLVM versions), so no LLVM headers are needed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "llvm-c.h"

/* LLVMOpcode values (llvm-c/Core.h). */
enum {
  OP_Ret = 1, OP_Br = 2, OP_Switch = 3, OP_IndirectBr = 4, OP_Invoke = 5, OP_Unreachable = 7,
  OP_Add = 8, OP_FAdd = 9, OP_Sub = 10, OP_FSub = 11, OP_Mul = 12, OP_FMul = 13, OP_UDiv = 14,
  OP_SDiv = 15, OP_FDiv = 16, OP_URem = 17, OP_SRem = 18, OP_FRem = 19, OP_Shl = 20, OP_LShr = 21,
  OP_AShr = 22, OP_And = 23, OP_Or = 24, OP_Xor = 25, OP_Alloca = 26, OP_Load = 27, OP_Store = 28,
  OP_GetElementPtr = 29, OP_Trunc = 30, OP_ZExt = 31, OP_SExt = 32, OP_FPToUI = 33, OP_FPToSI = 34,
  OP_UIToFP = 35, OP_SIToFP = 36, OP_FPTrunc = 37, OP_FPExt = 38, OP_PtrToInt = 39,
  OP_IntToPtr = 40, OP_BitCast = 41, OP_ICmp = 42, OP_FCmp = 43, OP_PHI = 44, OP_Call = 45,
  OP_Select = 46, OP_UserOp1 = 47, OP_UserOp2 = 48, OP_VAArg = 49, OP_ExtractElement = 50,
  OP_InsertElement = 51, OP_ShuffleVector = 52, OP_ExtractValue = 53, OP_InsertValue = 54,
  OP_Fence = 55, OP_AtomicCmpXchg = 56, OP_AtomicRMW = 57, OP_Resume = 58, OP_LandingPad = 59,
  OP_AddrSpaceCast = 60, OP_CleanupRet = 61, OP_CatchRet = 62, OP_CatchPad = 63,
  OP_CleanupPad = 64, OP_CatchSwitch = 65, OP_FNeg = 66, OP_CallBr = 67, OP_Freeze = 68,
  OP_LIMIT = 69
};
enum { LLVMIntegerTypeKind = 8 };

/*
 * InstCount layout (70 int64, CompilerGym's order): TotalInsts, TotalBlocks, TotalFuncs, then one
 * count per opcode in the order of llvm/IR/Instruction.def (Ret … Freeze). Maps an LLVMOpcode to
 * its index, -1 for none.
 */
static int instcount_index(int op) {
  switch (op) {
    case OP_Ret: return 3; case OP_Br: return 4; case OP_Switch: return 5;
    case OP_IndirectBr: return 6; case OP_Invoke: return 7; case OP_Resume: return 8;
    case OP_Unreachable: return 9; case OP_CleanupRet: return 10; case OP_CatchRet: return 11;
    case OP_CatchSwitch: return 12; case OP_CallBr: return 13; case OP_FNeg: return 14;
    case OP_Add: return 15; case OP_FAdd: return 16; case OP_Sub: return 17; case OP_FSub: return 18;
    case OP_Mul: return 19; case OP_FMul: return 20; case OP_UDiv: return 21; case OP_SDiv: return 22;
    case OP_FDiv: return 23; case OP_URem: return 24; case OP_SRem: return 25; case OP_FRem: return 26;
    case OP_Shl: return 27; case OP_LShr: return 28; case OP_AShr: return 29; case OP_And: return 30;
    case OP_Or: return 31; case OP_Xor: return 32; case OP_Alloca: return 33; case OP_Load: return 34;
    case OP_Store: return 35; case OP_GetElementPtr: return 36; case OP_Fence: return 37;
    case OP_AtomicCmpXchg: return 38; case OP_AtomicRMW: return 39; case OP_Trunc: return 40;
    case OP_ZExt: return 41; case OP_SExt: return 42; case OP_FPToUI: return 43;
    case OP_FPToSI: return 44; case OP_UIToFP: return 45; case OP_SIToFP: return 46;
    case OP_FPTrunc: return 47; case OP_FPExt: return 48; case OP_PtrToInt: return 49;
    case OP_IntToPtr: return 50; case OP_BitCast: return 51; case OP_AddrSpaceCast: return 52;
    case OP_CleanupPad: return 53; case OP_CatchPad: return 54; case OP_ICmp: return 55;
    case OP_FCmp: return 56; case OP_PHI: return 57; case OP_Call: return 58; case OP_Select: return 59;
    case OP_UserOp1: return 60; case OP_UserOp2: return 61; case OP_VAArg: return 62;
    case OP_ExtractElement: return 63; case OP_InsertElement: return 64;
    case OP_ShuffleVector: return 65; case OP_ExtractValue: return 66; case OP_InsertValue: return 67;
    case OP_LandingPad: return 68; case OP_Freeze: return 69;
    default: return -1;
  }
}

/* Number of instructions in all function bodies (llvm::Module::getInstructionCount()). */
int64_t passgym_instruction_count(LLVMModuleRef m) {
  int64_t n = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f))
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b))
      for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) ++n;
  return n;
}

/*
 * InstCount: the counts of LLVM's `instcount` pass (llvm/lib/Analysis/InstCount.cpp), which a
 * pass manager runs on defined functions only, so TotalFuncs counts function definitions.
 * out: 70 int64 in CompilerGym's InstCount order. Returns 0, or -1 on an opcode it does not know.
 */
int passgym_instcount(LLVMModuleRef m, int64_t *out) {
  for (int k = 0; k < 70; ++k) out[k] = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    ++out[2];
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b)) {
      ++out[1];
      for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) {
        int idx = instcount_index(LLVMGetInstructionOpcode(i));
        if (idx < 0) return -1;
        ++out[idx];
        ++out[0];
      }
    }
  }
  return 0;
}

static int is_terminator_opcode(int op) {
  switch (op) {
    case OP_Ret: case OP_Br: case OP_Switch: case OP_IndirectBr: case OP_Invoke: case OP_Resume:
    case OP_Unreachable: case OP_CleanupRet: case OP_CatchRet: case OP_CatchSwitch: case OP_CallBr:
      return 1;
    default:
      return 0;
  }
}

/* Predecessor count as llvm::pred_begin/pred_end see it: uses of the block by terminators. */
static unsigned num_predecessors(LLVMBasicBlockRef bb) {
  unsigned n = 0;
  for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(bb)); u; u = LLVMGetNextUse(u)) {
    LLVMValueRef user = LLVMGetUser(u);
    if (LLVMIsAInstruction(user) && is_terminator_opcode(LLVMGetInstructionOpcode(user))) ++n;
  }
  return n;
}

/* Autophase feature indices (CompilerGym's order, 56 features). */
enum {
  A_BBNumArgsHi, A_BBNumArgsLo, A_onePred, A_onePredOneSuc, A_onePredTwoSuc, A_oneSuccessor,
  A_twoPred, A_twoPredOneSuc, A_twoEach, A_twoSuccessor, A_morePreds, A_BB03Phi, A_BBHiPhi,
  A_BBNoPhi, A_BeginPhi, A_BranchCount, A_returnInt, A_CriticalCount, A_NumEdges, A_const32Bit,
  A_const64Bit, A_numConstZeroes, A_numConstOnes, A_UncondBranches, A_binaryConstArg,
  A_NumAShrInst, A_NumAddInst, A_NumAllocaInst, A_NumAndInst, A_BlockMid, A_BlockLow,
  A_NumBitCastInst, A_NumBrInst, A_NumCallInst, A_NumGetElementPtrInst, A_NumICmpInst,
  A_NumLShrInst, A_NumLoadInst, A_NumMulInst, A_NumOrInst, A_NumPHIInst, A_NumRetInst,
  A_NumSExtInst, A_NumSelectInst, A_NumShlInst, A_NumStoreInst, A_NumSubInst, A_NumTruncInst,
  A_NumXorInst, A_NumZExtInst, A_TotalBlocks, A_TotalInsts, A_TotalMemInst, A_TotalFuncs,
  A_ArgsPhi, A_testUnary, A_COUNT
};

static int autophase_opcode_index(int op) {
  switch (op) {
    case OP_AShr: return A_NumAShrInst; case OP_Add: return A_NumAddInst;
    case OP_Alloca: return A_NumAllocaInst; case OP_And: return A_NumAndInst;
    case OP_BitCast: return A_NumBitCastInst; case OP_Br: return A_NumBrInst;
    case OP_Call: return A_NumCallInst; case OP_GetElementPtr: return A_NumGetElementPtrInst;
    case OP_ICmp: return A_NumICmpInst; case OP_LShr: return A_NumLShrInst;
    case OP_Load: return A_NumLoadInst; case OP_Mul: return A_NumMulInst;
    case OP_Or: return A_NumOrInst; case OP_PHI: return A_NumPHIInst; case OP_Ret: return A_NumRetInst;
    case OP_SExt: return A_NumSExtInst; case OP_Select: return A_NumSelectInst;
    case OP_Shl: return A_NumShlInst; case OP_Store: return A_NumStoreInst;
    case OP_Sub: return A_NumSubInst; case OP_Trunc: return A_NumTruncInst;
    case OP_Xor: return A_NumXorInst; case OP_ZExt: return A_NumZExtInst;
    default: return -1;
  }
}

/*
 * Autophase: the 56 features of Huang et al., "AutoPhase" (MLSys 2020), with the definitions and
 * order of CompilerGym's compiler_gym/third_party/autophase/InstCount.cc: every function is
 * visited, declarations included (so TotalFuncs counts declarations), and every block of each.
 * Constant operands wider than 64 bits are compared with 0 and 1 on their low 64 bits.
 * out: 56 int64.
 */
void passgym_autophase(LLVMModuleRef m, int64_t *out) {
  for (int k = 0; k < A_COUNT; ++k) out[k] = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    ++out[A_TotalFuncs];
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f); bb; bb = LLVMGetNextBasicBlock(bb)) {
      ++out[A_TotalBlocks];
      LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
      unsigned nsucc = term ? LLVMGetNumSuccessors(term) : 0;
      for (unsigned s = 0; s < nsucc; ++s) {
        ++out[A_NumEdges];
        /* llvm::isCriticalEdge: more than one successor, and the successor has more than one
           predecessor. */
        if (nsucc > 1 && num_predecessors(LLVMGetSuccessor(term, s)) > 1) ++out[A_CriticalCount];
      }
      unsigned npred = num_predecessors(bb);
      if (nsucc == 1) ++out[A_oneSuccessor];
      else if (nsucc == 2) ++out[A_twoSuccessor];
      if (npred == 1) ++out[A_onePred];
      else if (npred == 2) ++out[A_twoPred];
      else if (npred > 2) ++out[A_morePreds];
      if (npred == 1 && nsucc == 1) ++out[A_onePredOneSuc];
      else if (npred == 2 && nsucc == 1) ++out[A_twoPredOneSuc];
      else if (npred == 1 && nsucc == 2) ++out[A_onePredTwoSuc];
      else if (npred == 2 && nsucc == 2) ++out[A_twoEach];

      unsigned count = 0, phis = 0, bbArgs = 0;
      int first = 1;
      int64_t memBefore = out[A_NumGetElementPtrInst] + out[A_NumLoadInst] + out[A_NumStoreInst] +
                          out[A_NumCallInst] + out[A_NumAllocaInst];
      int64_t invokes = 0;
      for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
        int op = LLVMGetInstructionOpcode(i);
        if (LLVMIsABranchInst(i)) {
          ++out[A_BranchCount];
          if (!LLVMIsConditional(i)) ++out[A_UncondBranches];
        }
        int nops = LLVMGetNumOperands(i);
        for (int k = 0; k < nops; ++k) {
          LLVMValueRef v = LLVMGetOperand(i, (unsigned)k);
          if (v && LLVMIsAConstantInt(v)) {
            unsigned width = LLVMGetIntTypeWidth(LLVMTypeOf(v));
            if (width == 32) ++out[A_const32Bit];
            else if (width == 64) ++out[A_const64Bit];
            unsigned long long value = LLVMConstIntGetZExtValue(v);
            if (value == 1) ++out[A_numConstOnes];
            else if (value == 0) ++out[A_numConstZeroes];
          }
        }
        if (LLVMIsACallInst(i)) {
          LLVMValueRef callee = LLVMGetCalledValue(i);
          if (callee && LLVMIsAFunction(callee)) {
            LLVMTypeRef ret = LLVMGetReturnType(LLVMGlobalGetValueType(callee));
            if (ret && LLVMGetTypeKind(ret) == LLVMIntegerTypeKind) ++out[A_returnInt];
          }
        }
        if (LLVMIsAUnaryInstruction(i)) ++out[A_testUnary];
        if (LLVMIsABinaryOperator(i)) {
          LLVMValueRef a = LLVMGetOperand(i, 0), b = LLVMGetOperand(i, 1);
          if ((a && LLVMIsAConstant(a)) || (b && LLVMIsAConstant(b))) ++out[A_binaryConstArg];
        }
        if (LLVMIsAPHINode(i)) {
          if (first) ++out[A_BeginPhi];
          ++phis;
          unsigned inc = LLVMCountIncoming(i);
          out[A_ArgsPhi] += inc;
          bbArgs += inc;
        }
        int idx = autophase_opcode_index(op);
        if (idx >= 0) ++out[idx];
        if (op == OP_Invoke) ++invokes;
        ++out[A_TotalInsts];
        first = 0;
        ++count;
      }
      out[A_TotalMemInst] += out[A_NumGetElementPtrInst] + out[A_NumLoadInst] + out[A_NumStoreInst] +
                             out[A_NumCallInst] + out[A_NumAllocaInst] - memBefore + invokes;
      if (phis == 0) ++out[A_BBNoPhi];
      else if (phis <= 3) ++out[A_BB03Phi];
      else ++out[A_BBHiPhi];
      if (bbArgs > 5) ++out[A_BBNumArgsHi];
      else if (bbArgs >= 1) ++out[A_BBNumArgsLo];
      if (count < 15) ++out[A_BlockLow];
      else if (count <= 500) ++out[A_BlockMid];
    }
  }
}
