/*
 * PassGym copy repair: makes a copy of a module (a fork read back from the original's bitcode into
 * a context of its own, or an LLVMCloneModule in the same context) a faithful copy of its original
 * (the same block addresses and the same use-list order), so that it behaves exactly like the
 * original under every pass.
 *
 * Why: LLVM passes walk use lists (the users of a value, the predecessors of a block) in list
 * order, and some of them (GVN among them) give different IR for a different order. `CloneModule`
 * builds each use list anew, in an order that differs from the original's (e.g. the predecessors
 * of a block come out reversed). Measured on apps-v0/bzip2 with LLVM 14: a 36-pass sequence gave
 * 14,851 instructions on a clone of the parsed bitcode and 14,850 on the parsed bitcode itself,
 * which is what stock `opt` gives. LLVM keeps use-list order through bitcode only with
 * `-preserve-bc-uselistorder` (opt's default), which the C API cannot ask for.
 *
 * How: the two modules are walked in parallel (globals, functions, arguments, blocks,
 * instructions, and the module-local constants reachable from their operands) to pair each
 * original value with its copy. Then, for each copied value, its uses are re-added in the
 * original's order: LLVMSetOperand(user, i, same value) unlinks that use and links it at the
 * head of the value's use list (llvm::Use::set), so doing it from the last use to the first
 * leaves the list in the original order. The operands themselves do not change. Constants shared
 * by both modules (uniqued in one context, e.g. `i32 1`, when both live in it) are left alone:
 * they have one use list for every module of the context. Across two contexts every constant is
 * paired and reordered too.
 *
 * Only C API functions are used (declared in llvm-c.h), as in features.c.
 */
#include <stdint.h>
#include <stdlib.h>

#include "llvm-c.h"

/* Open-addressing map from original value to its copy; also keeps insertion order. */
typedef struct {
  LLVMValueRef *keys, *vals, *order;
  size_t cap, n;
} Map;

static size_t slot(const Map *m, LLVMValueRef k) {
  size_t h = ((uintptr_t)k >> 4) * 0x9E3779B97F4A7C15ull;
  size_t i = h & (m->cap - 1);
  while (m->keys[i] && m->keys[i] != k) i = (i + 1) & (m->cap - 1);
  return i;
}

static int map_init(Map *m, size_t cap) {
  m->cap = 1024;
  while (m->cap < cap * 2) m->cap <<= 1;
  m->n = 0;
  m->keys = calloc(m->cap, sizeof *m->keys);
  m->vals = calloc(m->cap, sizeof *m->vals);
  m->order = malloc(m->cap / 2 * sizeof *m->order);
  return m->keys && m->vals && m->order ? 0 : -1;
}

static void map_free(Map *m) {
  free(m->keys);
  free(m->vals);
  free(m->order);
}

static int map_grow(Map *m);

static LLVMValueRef map_get(const Map *m, LLVMValueRef k) {
  return m->vals[slot(m, k)];
}

/* Adds k -> v; 1 if new, 0 if present, -2 out of memory. */
static int map_put(Map *m, LLVMValueRef k, LLVMValueRef v) {
  if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0) return -2;
  size_t i = slot(m, k);
  if (m->keys[i]) return 0;
  m->keys[i] = k;
  m->vals[i] = v;
  m->order[m->n++] = k;
  return 1;
}

static int map_grow(Map *m) {
  Map bigger;
  if (map_init(&bigger, m->cap) != 0) return -1;
  for (size_t j = 0; j < m->n; j++) {
    LLVMValueRef k = m->order[j];
    size_t i = slot(&bigger, k);
    bigger.keys[i] = k;
    bigger.vals[i] = map_get(m, k);
    bigger.order[bigger.n++] = k;
  }
  map_free(m);
  *m = bigger;
  return 0;
}

/* Pairs a and b, and, for module-local constants, their operands. -1 when the shapes differ, -2 out of memory. */
static int pair(Map *m, LLVMValueRef a, LLVMValueRef b) {
  if (!a || !b) return a == b ? 0 : -1;
  if (a == b) return 0; /* shared by both modules: uniqued in the context */
  int added = map_put(m, a, b);
  if (added <= 0) return added;
  if (LLVMIsAConstant(a) && !LLVMIsAGlobalValue(a)) {
    int n = LLVMGetNumOperands(a);
    if (n != LLVMGetNumOperands(b)) return -1;
    for (int i = 0; i < n; i++) {
      int rc = pair(m, LLVMGetOperand(a, (unsigned)i), LLVMGetOperand(b, (unsigned)i));
      if (rc != 0) return rc;
    }
  }
  return 0;
}

/* Pairs two lists of siblings (globals, functions, parameters…) element by element. */
static int pair_list(Map *m, LLVMValueRef a, LLVMValueRef b, LLVMValueRef (*next)(LLVMValueRef)) {
  for (; a || b; a = next(a), b = next(b)) {
    if (!a || !b) return -1;
    int rc = pair(m, a, b);
    if (rc != 0) return rc;
  }
  return 0;
}

/* Operand index of use u in user (-1 if not found). */
static int operand_index(LLVMValueRef user, LLVMUseRef u) {
  int n = LLVMGetNumOperands(user);
  for (int i = 0; i < n; i++)
    if (LLVMGetOperandUse(user, (unsigned)i) == u) return i;
  return -1;
}

/*
 * LLVM 14's CloneModule maps a `blockaddress` in a global initializer to
 * blockaddress(cloned function, ORIGINAL block): the block still belongs to the original (seen on
 * torture-v0's computed-goto tests, whose clones then failed code generation with "Undefined
 * temporary symbol" or crashed when run). Such a constant uses the original block, so it is found
 * among the original block's users, and replaced (LLVMReplaceAllUsesWith, which re-uniques the
 * constants that use it) by blockaddress(cloned function, cloned block).
 */
static void fix_block_addresses(LLVMModuleRef original, LLVMModuleRef copy) {
  LLVMValueRef f, g;
  for (f = LLVMGetFirstFunction(original), g = LLVMGetFirstFunction(copy); f && g; f = LLVMGetNextFunction(f), g = LLVMGetNextFunction(g)) {
    LLVMBasicBlockRef a, b;
    for (a = LLVMGetFirstBasicBlock(f), b = LLVMGetFirstBasicBlock(g); a && b; a = LLVMGetNextBasicBlock(a), b = LLVMGetNextBasicBlock(b)) {
      LLVMValueRef bad[16];
      int n = 0;
      for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(a)); u && n < 16; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (LLVMIsABlockAddress(user) && LLVMGetOperand(user, 0) == g) bad[n++] = user;
      }
      for (int i = 0; i < n; i++) LLVMReplaceAllUsesWith(bad[i], LLVMBlockAddress(g, b));
    }
  }
}

/*
 * Makes `copy` (a copy of `original`: its LLVMCloneModule, or its bitcode read back) a faithful
 * copy: fixes its block addresses, then gives every value the use-list order of its original. Returns 0, -1 when the modules do not
 * have the same shape, -2 when out of memory.
 */
int passgym_fix_clone(LLVMModuleRef original, LLVMModuleRef copy) {
  fix_block_addresses(original, copy);
  Map m;
  if (map_init(&m, 1 << 16) != 0) return -2;
  int rc = 0;
  LLVMValueRef a, b;
#define CHECK(call) \
  do { \
    int r_ = (call); \
    if (r_ != 0) { rc = r_; goto done; } \
  } while (0)
#define PAIR(x, y) CHECK(pair(&m, (x), (y)))
#define PAIR_LIST(x, y, next) CHECK(pair_list(&m, (x), (y), (next)))
  PAIR_LIST(LLVMGetFirstGlobal(original), LLVMGetFirstGlobal(copy), LLVMGetNextGlobal);
  PAIR_LIST(LLVMGetFirstGlobalAlias(original), LLVMGetFirstGlobalAlias(copy), LLVMGetNextGlobalAlias);
  PAIR_LIST(LLVMGetFirstGlobalIFunc(original), LLVMGetFirstGlobalIFunc(copy), LLVMGetNextGlobalIFunc);
  PAIR_LIST(LLVMGetFirstFunction(original), LLVMGetFirstFunction(copy), LLVMGetNextFunction);
  /* Operands of globals: initializers, aliasees, resolvers, personalities. */
  for (a = LLVMGetFirstGlobal(original), b = LLVMGetFirstGlobal(copy); a; a = LLVMGetNextGlobal(a), b = LLVMGetNextGlobal(b))
    PAIR(LLVMGetInitializer(a), LLVMGetInitializer(b));
  for (a = LLVMGetFirstGlobalAlias(original), b = LLVMGetFirstGlobalAlias(copy); a; a = LLVMGetNextGlobalAlias(a), b = LLVMGetNextGlobalAlias(b))
    PAIR(LLVMAliasGetAliasee(a), LLVMAliasGetAliasee(b));
  for (a = LLVMGetFirstGlobalIFunc(original), b = LLVMGetFirstGlobalIFunc(copy); a; a = LLVMGetNextGlobalIFunc(a), b = LLVMGetNextGlobalIFunc(b))
    PAIR(LLVMGetGlobalIFuncResolver(a), LLVMGetGlobalIFuncResolver(b));
  for (a = LLVMGetFirstFunction(original), b = LLVMGetFirstFunction(copy); a; a = LLVMGetNextFunction(a), b = LLVMGetNextFunction(b)) {
    if (LLVMHasPersonalityFn(a) && LLVMHasPersonalityFn(b)) PAIR(LLVMGetPersonalityFn(a), LLVMGetPersonalityFn(b));
    PAIR_LIST(LLVMGetFirstParam(a), LLVMGetFirstParam(b), LLVMGetNextParam);
    LLVMBasicBlockRef ba, bb;
    for (ba = LLVMGetFirstBasicBlock(a), bb = LLVMGetFirstBasicBlock(b); ba || bb; ba = LLVMGetNextBasicBlock(ba), bb = LLVMGetNextBasicBlock(bb)) {
      if (!ba || !bb) { rc = -1; goto done; }
      PAIR(LLVMBasicBlockAsValue(ba), LLVMBasicBlockAsValue(bb));
      PAIR_LIST(LLVMGetFirstInstruction(ba), LLVMGetFirstInstruction(bb), LLVMGetNextInstruction);
    }
    /* Instruction operands (after all instructions are paired, for forward references). */
    for (ba = LLVMGetFirstBasicBlock(a), bb = LLVMGetFirstBasicBlock(b); ba; ba = LLVMGetNextBasicBlock(ba), bb = LLVMGetNextBasicBlock(bb)) {
      LLVMValueRef ia, ib;
      for (ia = LLVMGetFirstInstruction(ba), ib = LLVMGetFirstInstruction(bb); ia; ia = LLVMGetNextInstruction(ia), ib = LLVMGetNextInstruction(ib)) {
        int n = LLVMGetNumOperands(ia);
        if (n != LLVMGetNumOperands(ib)) { rc = -1; goto done; }
        for (int i = 0; i < n; i++) PAIR(LLVMGetOperand(ia, (unsigned)i), LLVMGetOperand(ib, (unsigned)i));
      }
    }
  }
#undef PAIR_LIST
#undef PAIR
#undef CHECK

  /* Re-add each copied value's uses in the original's order, last first. */
  {
    LLVMValueRef *users = NULL;
    int *indices = NULL;
    size_t room = 0;
    for (size_t j = 0; j < m.n; j++) {
      LLVMValueRef orig = m.order[j];
      LLVMValueRef dup = map_get(&m, orig);
      size_t k = 0;
      for (LLVMUseRef u = LLVMGetFirstUse(orig); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        LLVMValueRef user2 = map_get(&m, user);
        if (!user2) continue; /* a user outside the original module's structure */
        int idx = operand_index(user, u);
        if (idx < 0 || idx >= LLVMGetNumOperands(user2) || LLVMGetOperand(user2, (unsigned)idx) != dup) continue;
        if (k == room) {
          room = room ? room * 2 : 64;
          LLVMValueRef *nu = realloc(users, room * sizeof *users);
          int *ni = realloc(indices, room * sizeof *indices);
          if (!nu || !ni) { free(nu ? nu : users); free(ni ? ni : indices); rc = -2; goto done; }
          users = nu;
          indices = ni;
        }
        users[k] = user2;
        indices[k] = idx;
        k++;
      }
      if (k < 2) continue;
      while (k-- > 0) LLVMSetOperand(users[k], (unsigned)indices[k], dup);
    }
    free(users);
    free(indices);
  }
done:
  map_free(&m);
  return rc;
}
