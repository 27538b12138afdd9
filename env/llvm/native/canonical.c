/*
 * PassGym's canonical form of a module: the IR that parsing the module's own printed text or
 * bitcode gives back, so that a state holds nothing that a fork (made through bitcode), a file
 * or another process would not see.
 *
 * Two things differ between a module in memory and the same module read back:
 *
 * - Local value names. Every module PassGym holds lives in a context that discards the names of
 *   new local values (llvm.ts says why). LLVM 14 frees a local name twice when a value that was
 *   named before its context began to discard names is destroyed, so the names that came with
 *   the input (textual IR such as llvm-stress output; clang's bitcode has none) are removed once,
 *   right after parsing: `passgym_strip_local_names`. The printed IR then numbers those values
 *   (`%0`, `%1`, …), as it does for clang's output.
 * - Attributes of intrinsic declarations. LLVM's IR and bitcode readers reset every intrinsic
 *   declaration's attributes to the intrinsic's own (`UpgradeIntrinsicFunction` ->
 *   `Intrinsic::getAttributes`), so what a pass adds there is lost on reading: measured on
 *   embedded-v0 with LLVM 14, only `inferattrs` (and the `default<O…>` pipelines, which run it)
 *   does so, adding `mustprogress` to `llvm.memcpy` and the like. `passgym_canonical_intrinsic_
 *   attributes` makes the same reset after every pipeline, with the attributes that LLVM gives a
 *   new declaration of the same intrinsic (the `Function` constructor sets them), created in a
 *   scratch module of the same context. The reset happens after each pipeline, so a multistep or a
 *   replay (one pipeline for many actions) and stock `opt` keep `inferattrs`' additions between
 *   their actions where one step at a time does not; no pass in the action space was seen to read
 *   them (tests/session/state-identity.test.ts compares the routes).
 *
 * Only C API functions are used (declared in llvm-c.h), as in features.c.
 */
#include <stdlib.h>

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

/* The attributes of f at index idx, in a malloc'ed array (NULL when there are none). */
static LLVMAttributeRef *attributes_at(LLVMValueRef f, LLVMAttributeIndex idx, unsigned *n) {
  *n = LLVMGetAttributeCountAtIndex(f, idx);
  if (*n == 0) return NULL;
  LLVMAttributeRef *a = malloc(*n * sizeof *a);
  if (a) LLVMGetAttributesAtIndex(f, idx, a);
  return a;
}

/* Gives f at idx exactly the attributes of ref at idx (both in one context). 1 if f changed, 0 if not, -2 out of memory. */
static int copy_attributes(LLVMValueRef f, LLVMValueRef ref, LLVMAttributeIndex idx) {
  unsigned nf, nr;
  LLVMAttributeRef *af = attributes_at(f, idx, &nf), *ar = attributes_at(ref, idx, &nr);
  int rc = 0;
  if ((nf && !af) || (nr && !ar)) {
    rc = -2;
    goto done;
  }
  /* Attribute sets are kept sorted and uniqued in the context: equal sets give equal arrays. */
  int same = nf == nr;
  for (unsigned i = 0; same && i < nf; i++) same = af[i] == ar[i];
  if (same) goto done;
  for (unsigned i = 0; i < nf; i++) {
    if (LLVMIsStringAttribute(af[i])) {
      unsigned len;
      const char *kind = LLVMGetStringAttributeKind(af[i], &len);
      LLVMRemoveStringAttributeAtIndex(f, idx, kind, len);
    } else {
      LLVMRemoveEnumAttributeAtIndex(f, idx, LLVMGetEnumAttributeKind(af[i]));
    }
  }
  for (unsigned i = 0; i < nr; i++) LLVMAddAttributeAtIndex(f, idx, ar[i]);
  rc = 1;
done:
  free(af);
  free(ar);
  return rc;
}

/* Resets every intrinsic declaration's attributes to the intrinsic's own. Returns the number of declarations changed, -2 when out of memory. */
int passgym_canonical_intrinsic_attributes(LLVMModuleRef m) {
  LLVMModuleRef scratch = NULL;
  int changed = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    if (LLVMGetIntrinsicID(f) == 0) continue;
    if (!scratch) scratch = LLVMModuleCreateWithNameInContext("passgym-canonical", LLVMGetModuleContext(m));
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    LLVMValueRef ref = LLVMAddFunction(scratch, name, LLVMGlobalGetValueType(f));
    int any = 0;
    unsigned params = LLVMCountParams(f);
    for (long long idx = -1; idx <= (long long)params; idx++) {
      int rc = copy_attributes(f, ref, (LLVMAttributeIndex)idx);
      if (rc < 0) {
        LLVMDisposeModule(scratch);
        return rc;
      }
      any |= rc;
    }
    changed += any;
  }
  if (scratch) LLVMDisposeModule(scratch);
  return changed;
}
