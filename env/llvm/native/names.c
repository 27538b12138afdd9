/*
 * PassGym local-name removal: drops the names of a module's local values (function arguments,
 * basic blocks, instructions), leaving globals, functions and types named.
 *
 * Why: every module PassGym holds lives in a context that discards the names of new local values
 * (llvm.ts explains why). LLVM 14 frees a local name twice when a value that was named before the
 * context began to discard names is destroyed, so names that came with the input (textual IR
 * such as llvm-stress output; clang's bitcode has none) are removed before discarding starts.
 * The printed IR then numbers those values (`%0`, `%1`, …), as it does for clang's output.
 *
 * Only C API functions are used (declared in llvm-c.h), as in features.c.
 */
#include "llvm-c.h"

void passgym_strip_local_names(LLVMModuleRef m) {
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    for (LLVMValueRef a = LLVMGetFirstParam(f); a; a = LLVMGetNextParam(a)) LLVMSetValueName2(a, "", 0);
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b)) {
      LLVMSetValueName2(LLVMBasicBlockAsValue(b), "", 0);
      for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) LLVMSetValueName2(i, "", 0);
    }
  }
}
