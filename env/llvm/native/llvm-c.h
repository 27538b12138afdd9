/*
 * The part of LLVM's C API (llvm-c/Core.h) that PassGym's C helpers call, declared here so that no
 * LLVM headers are needed: these functions have kept their signatures across LLVM versions, and
 * the helpers link against whichever libLLVM PassGym loaded.
 */
#ifndef PASSGYM_LLVM_C_H
#define PASSGYM_LLVM_C_H

typedef struct LLVMOpaqueModule *LLVMModuleRef;
typedef struct LLVMOpaqueValue *LLVMValueRef;
typedef struct LLVMOpaqueBasicBlock *LLVMBasicBlockRef;
typedef struct LLVMOpaqueType *LLVMTypeRef;
typedef struct LLVMOpaqueUse *LLVMUseRef;
typedef struct LLVMOpaqueContext *LLVMContextRef;
typedef struct LLVMOpaqueAttributeRef *LLVMAttributeRef;
typedef unsigned LLVMAttributeIndex;
typedef int LLVMBool;
#include <stddef.h>

extern LLVMValueRef LLVMGetFirstFunction(LLVMModuleRef M);
extern LLVMValueRef LLVMGetNextFunction(LLVMValueRef Fn);
extern LLVMBool LLVMIsDeclaration(LLVMValueRef Global);
extern LLVMBasicBlockRef LLVMGetFirstBasicBlock(LLVMValueRef Fn);
extern LLVMBasicBlockRef LLVMGetNextBasicBlock(LLVMBasicBlockRef BB);
extern LLVMValueRef LLVMGetFirstInstruction(LLVMBasicBlockRef BB);
extern LLVMValueRef LLVMGetNextInstruction(LLVMValueRef Inst);
extern LLVMValueRef LLVMGetBasicBlockTerminator(LLVMBasicBlockRef BB);
extern LLVMValueRef LLVMBasicBlockAsValue(LLVMBasicBlockRef BB);
extern int LLVMGetInstructionOpcode(LLVMValueRef Inst);
extern unsigned LLVMGetNumSuccessors(LLVMValueRef Term);
extern LLVMBasicBlockRef LLVMGetSuccessor(LLVMValueRef Term, unsigned i);
extern LLVMUseRef LLVMGetFirstUse(LLVMValueRef Val);
extern LLVMUseRef LLVMGetNextUse(LLVMUseRef U);
extern LLVMValueRef LLVMGetUser(LLVMUseRef U);
extern int LLVMGetNumOperands(LLVMValueRef Val);
extern LLVMValueRef LLVMGetOperand(LLVMValueRef Val, unsigned Index);
extern LLVMTypeRef LLVMTypeOf(LLVMValueRef Val);
extern unsigned LLVMGetIntTypeWidth(LLVMTypeRef IntegerTy);
extern unsigned long long LLVMConstIntGetZExtValue(LLVMValueRef ConstantVal);
extern LLVMBool LLVMIsConditional(LLVMValueRef Branch);
extern unsigned LLVMGetNumArgOperands(LLVMValueRef Instr);
extern LLVMValueRef LLVMGetCalledValue(LLVMValueRef Instr);
extern LLVMTypeRef LLVMGlobalGetValueType(LLVMValueRef Global);
extern LLVMTypeRef LLVMGetReturnType(LLVMTypeRef FunctionTy);
extern int LLVMGetTypeKind(LLVMTypeRef Ty);
extern unsigned LLVMCountIncoming(LLVMValueRef PhiNode);
extern LLVMValueRef LLVMIsAInstruction(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAConstant(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAConstantInt(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAFunction(LLVMValueRef Val);
extern LLVMValueRef LLVMIsACallInst(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAPHINode(LLVMValueRef Val);
extern LLVMValueRef LLVMIsABranchInst(LLVMValueRef Val);
extern LLVMValueRef LLVMIsABinaryOperator(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAUnaryInstruction(LLVMValueRef Val);
extern LLVMValueRef LLVMGetFirstGlobal(LLVMModuleRef M);
extern LLVMValueRef LLVMGetNextGlobal(LLVMValueRef GlobalVar);
extern LLVMValueRef LLVMGetFirstGlobalAlias(LLVMModuleRef M);
extern LLVMValueRef LLVMGetNextGlobalAlias(LLVMValueRef GA);
extern LLVMValueRef LLVMGetFirstGlobalIFunc(LLVMModuleRef M);
extern LLVMValueRef LLVMGetNextGlobalIFunc(LLVMValueRef IFunc);
extern LLVMValueRef LLVMGetInitializer(LLVMValueRef GlobalVar);
extern LLVMValueRef LLVMAliasGetAliasee(LLVMValueRef Alias);
extern LLVMValueRef LLVMGetGlobalIFuncResolver(LLVMValueRef IFunc);
extern LLVMBool LLVMHasPersonalityFn(LLVMValueRef Fn);
extern LLVMValueRef LLVMGetPersonalityFn(LLVMValueRef Fn);
extern LLVMValueRef LLVMGetFirstParam(LLVMValueRef Fn);
extern LLVMValueRef LLVMGetNextParam(LLVMValueRef Arg);
extern LLVMUseRef LLVMGetOperandUse(LLVMValueRef Val, unsigned Index);
extern void LLVMSetOperand(LLVMValueRef User, unsigned Index, LLVMValueRef Val);
extern LLVMValueRef LLVMIsABlockAddress(LLVMValueRef Val);
extern LLVMValueRef LLVMBlockAddress(LLVMValueRef F, LLVMBasicBlockRef BB);
extern void LLVMReplaceAllUsesWith(LLVMValueRef OldVal, LLVMValueRef NewVal);
extern LLVMValueRef LLVMIsAGlobalValue(LLVMValueRef Val);
extern void LLVMSetValueName2(LLVMValueRef Val, const char *Name, size_t NameLen);
extern const char *LLVMGetValueName2(LLVMValueRef Val, size_t *Length);
extern unsigned LLVMGetIntrinsicID(LLVMValueRef Fn);
extern LLVMContextRef LLVMGetModuleContext(LLVMModuleRef M);
extern LLVMModuleRef LLVMModuleCreateWithNameInContext(const char *ModuleID, LLVMContextRef C);
extern void LLVMDisposeModule(LLVMModuleRef M);
extern LLVMValueRef LLVMAddFunction(LLVMModuleRef M, const char *Name, LLVMTypeRef FunctionTy);
extern unsigned LLVMCountParams(LLVMValueRef Fn);
extern unsigned LLVMGetAttributeCountAtIndex(LLVMValueRef F, LLVMAttributeIndex Idx);
extern void LLVMGetAttributesAtIndex(LLVMValueRef F, LLVMAttributeIndex Idx, LLVMAttributeRef *Attrs);
extern void LLVMAddAttributeAtIndex(LLVMValueRef F, LLVMAttributeIndex Idx, LLVMAttributeRef A);
extern void LLVMRemoveEnumAttributeAtIndex(LLVMValueRef F, LLVMAttributeIndex Idx, unsigned KindID);
extern void LLVMRemoveStringAttributeAtIndex(LLVMValueRef F, LLVMAttributeIndex Idx, const char *K, unsigned KLen);
extern unsigned LLVMGetEnumAttributeKind(LLVMAttributeRef A);
extern const char *LLVMGetStringAttributeKind(LLVMAttributeRef A, unsigned *Length);
extern LLVMBool LLVMIsStringAttribute(LLVMAttributeRef A);

#endif
