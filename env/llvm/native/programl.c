/*
 * The ProGraML program graph of a module (Cummins et al., "ProGraML: A Graph-based Program
 * Representation for Data Flow Analysis and Compiler Optimizations", ICML 2021), built over
 * LLVM's C API with the construction of ProGraML v0.3.2's LLVM graph builder
 * (programl/ir/llvm/internal/program_graph_builder.cc), in a deterministic order:
 *
 *  - node 0 is the root, an instruction "[external]";
 *  - per function in module order: a declaration is one instruction node "; undefined function";
 *    a definition gets, per block in layout order, per instruction, an instruction node (text: the
 *    opcode name; full text: the printed instruction) followed by one variable node per operand
 *    that is an instruction result (text: its type; full text: "<type> <name>"), with a data edge
 *    variable -> instruction at the operand's index; control edges join consecutive instructions
 *    (position 0). Then one variable node per used argument (argument order), data edges from
 *    each defining instruction to the variables of its result (position 0), and control edges
 *    from each block's terminator to its successors' first instructions (position: successor
 *    index), in breadth-first order from the entry block;
 *  - call edges (position 0): root -> each function's entry and its exits -> root, then each
 *    direct call site -> the callee's entry and the callee's exits -> the call site;
 *  - one constant node per distinct constant operand (globals included; functions are not
 *    operands), in order of first use, with data edges to its users at the operand index.
 *
 * Types of pointers to structs are written "struct", "struct*", ... as ProGraML does. The full
 * texts come from one print of the module (LLVMPrintModuleToString): printing each value on its
 * own builds a slot table of its function per call, quadratic in the function's size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "llvm-c.h"

extern char *LLVMPrintModuleToString(LLVMModuleRef M);
extern char *LLVMPrintTypeToString(LLVMTypeRef Ty);
extern char *LLVMPrintValueToString(LLVMValueRef Val);
extern void LLVMDisposeMessage(char *Message);
extern LLVMValueRef LLVMIsAArgument(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAGlobalVariable(LLVMValueRef Val);
extern LLVMValueRef LLVMIsAGlobalAlias(LLVMValueRef Val);
extern LLVMValueRef LLVMGetParam(LLVMValueRef Fn, unsigned Index);
extern LLVMBasicBlockRef LLVMGetEntryBasicBlock(LLVMValueRef Fn);
extern const char *LLVMGetSourceFileName(LLVMModuleRef M, size_t *Len);
extern const char *LLVMGetTarget(LLVMModuleRef M);
extern const char *LLVMGetDataLayoutStr(LLVMModuleRef M);

enum { NODE_INSTRUCTION = 0, NODE_VARIABLE = 1, NODE_CONSTANT = 2 };
enum { FLOW_CONTROL = 0, FLOW_DATA = 1, FLOW_CALL = 2 };

/* llvm::Instruction::getOpcodeName() by LLVMOpcode value (llvm-c/Core.h); NULL where none. */
static const char *opcode_name(int op) {
  static const char *names[] = {
    [1] = "ret", [2] = "br", [3] = "switch", [4] = "indirectbr", [5] = "invoke", [7] = "unreachable",
    [8] = "add", [9] = "fadd", [10] = "sub", [11] = "fsub", [12] = "mul", [13] = "fmul", [14] = "udiv",
    [15] = "sdiv", [16] = "fdiv", [17] = "urem", [18] = "srem", [19] = "frem", [20] = "shl",
    [21] = "lshr", [22] = "ashr", [23] = "and", [24] = "or", [25] = "xor", [26] = "alloca",
    [27] = "load", [28] = "store", [29] = "getelementptr", [30] = "trunc", [31] = "zext",
    [32] = "sext", [33] = "fptoui", [34] = "fptosi", [35] = "uitofp", [36] = "sitofp",
    [37] = "fptrunc", [38] = "fpext", [39] = "ptrtoint", [40] = "inttoptr", [41] = "bitcast",
    [42] = "icmp", [43] = "fcmp", [44] = "phi", [45] = "call", [46] = "select",
    [47] = "<Invalid operator> ", [48] = "<Invalid operator> ", [49] = "va_arg",
    [50] = "extractelement", [51] = "insertelement", [52] = "shufflevector", [53] = "extractvalue",
    [54] = "insertvalue", [55] = "fence", [56] = "cmpxchg", [57] = "atomicrmw", [58] = "resume",
    [59] = "landingpad", [60] = "addrspacecast", [61] = "cleanupret", [62] = "catchret",
    [63] = "catchpad", [64] = "cleanuppad", [65] = "catchswitch", [66] = "fneg", [67] = "callbr",
    [68] = "freeze",
  };
  return op > 0 && op < (int)(sizeof names / sizeof names[0]) ? names[op] : NULL;
}

/* ---- growable buffers ---- */

typedef struct { int32_t *v; size_t n, cap; int oom; } ivec;
static void ipush(ivec *a, int32_t x) {
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 256;
    int32_t *v = realloc(a->v, cap * sizeof *v);
    if (!v) { a->oom = 1; return; }
    a->v = v; a->cap = cap;
  }
  a->v[a->n++] = x;
}

typedef struct { char *s; size_t n, cap; int oom; } sbuf;
static void sput(sbuf *b, const char *s, size_t len) {
  if (b->n + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (b->n + len + 1 > cap) cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p) { b->oom = 1; return; }
    b->s = p; b->cap = cap;
  }
  memcpy(b->s + b->n, s, len);
  b->n += len;
}
static void sputs(sbuf *b, const char *s) { sput(b, s, strlen(s)); }
/* A text field of the output, NUL-terminated (a NUL byte, possible only in a raw function name, becomes "\00"). */
static void sfield(sbuf *b, const char *s, size_t len) {
  const char *nul = memchr(s, 0, len);
  if (!nul) {
    sput(b, s, len);
  } else {
    for (size_t k = 0; k < len; ++k) {
      if (s[k] == 0) sput(b, "\\00", 3); else sput(b, s + k, 1);
    }
  }
  sput(b, "", 1);
  b->s[b->n - 1] = 0;
}

/* ---- pointer-keyed hash map (open addressing) ---- */

typedef struct { uintptr_t *keys; int32_t *vals; size_t cap, n; int oom; } pmap;
static size_t phash(uintptr_t k, size_t cap) { return (size_t)((k >> 4) * 0x9E3779B97F4A7C15ull) & (cap - 1); }
static int32_t *pslot(pmap *m, uintptr_t key, int insert) {
  if (insert && (m->n + 1) * 2 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uintptr_t *keys = calloc(cap, sizeof *keys);
    int32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) { free(keys); free(vals); m->oom = 1; return NULL; }
    for (size_t k = 0; k < m->cap; ++k) {
      if (!m->keys[k]) continue;
      size_t h = phash(m->keys[k], cap);
      while (keys[h]) h = (h + 1) & (cap - 1);
      keys[h] = m->keys[k]; vals[h] = m->vals[k];
    }
    free(m->keys); free(m->vals);
    m->keys = keys; m->vals = vals; m->cap = cap;
  }
  if (!m->cap) return NULL;
  size_t h = phash(key, m->cap);
  while (m->keys[h] && m->keys[h] != key) h = (h + 1) & (m->cap - 1);
  if (!m->keys[h]) {
    if (!insert) return NULL;
    m->keys[h] = key; m->vals[h] = -1; ++m->n;
  }
  return &m->vals[h];
}
static void pfree(pmap *m) { free(m->keys); free(m->vals); }

/* ---- the graph under construction ---- */

/* How a node's full text is made, resolved when the whole module has been walked. */
enum { FULL_NONE = 0, FULL_LINE = 1, FULL_VARIABLE = 2, FULL_OWNED = 3, FULL_GLOBAL = 4 };

typedef struct {
  ivec node_type, node_function, node_block;
  ivec node_text;          /* >= 0: type index (type_offsets); < 0: -1 - index into STATIC_TEXTS */
  ivec full_kind, full_a, full_b;
  ivec edges;              /* per edge: flow, source, target, position */
  sbuf owned;              /* full texts of arguments and constants */
  pmap types;              /* LLVMTypeRef -> type index */
  sbuf type_texts; ivec type_offsets, type_lengths;
  int oom;
} graph;

static const char *STATIC_TEXTS[] = { "[external]", "; undefined function" };
enum { TEXT_EXTERNAL = -1, TEXT_UNDEFINED = -2 };
/* Opcode texts are static too: -3 - opcode. */

static int32_t add_node(graph *g, int type, int32_t function, int32_t block, int32_t text, int full_kind, int32_t a, int32_t b) {
  int32_t id = (int32_t)g->node_type.n;
  ipush(&g->node_type, type); ipush(&g->node_function, function); ipush(&g->node_block, block);
  ipush(&g->node_text, text); ipush(&g->full_kind, full_kind); ipush(&g->full_a, a); ipush(&g->full_b, b);
  return id;
}
static void add_edge(graph *g, int flow, int32_t source, int32_t target, int32_t position) {
  ipush(&g->edges, flow); ipush(&g->edges, source); ipush(&g->edges, target); ipush(&g->edges, position);
}

/* The index of the type's text as ProGraML writes it: LLVM's print, except pointers to structs are "struct", "struct*"... */
static int32_t type_index(graph *g, LLVMTypeRef ty) {
  int32_t *slot = pslot(&g->types, (uintptr_t)ty, 1);
  if (!slot) { g->oom = 1; return 0; }
  if (*slot < 0) {
    char *printed = LLVMPrintTypeToString(ty);
    size_t len = strlen(printed), stars = 0;
    while (len > stars && printed[len - 1 - stars] == '*') ++stars;
    size_t base = len - stars;
    int is_struct = base > 0 && printed[base - 1] != ')' &&
                    (printed[0] == '%' || printed[0] == '{' || (printed[0] == '<' && base > 1 && printed[1] == '{'));
    *slot = (int32_t)g->type_offsets.n;
    ipush(&g->type_offsets, (int32_t)g->type_texts.n);
    size_t before = g->type_texts.n;
    if (is_struct) {
      sputs(&g->type_texts, "struct");
      for (size_t k = 0; k < stars; ++k) sput(&g->type_texts, "*", 1);
    } else {
      sput(&g->type_texts, printed, len);
    }
    ipush(&g->type_lengths, (int32_t)(g->type_texts.n - before));
    LLVMDisposeMessage(printed);
  }
  return *slot;
}

static void put_text(sbuf *out, graph *g, int32_t text) {
  if (text >= 0) { sfield(out, g->type_texts.s + g->type_offsets.v[text], (size_t)g->type_lengths.v[text]); return; }
  if (text >= -2) { const char *t = STATIC_TEXTS[-1 - text]; sfield(out, t, strlen(t)); return; }
  const char *op = opcode_name(-3 - text);
  if (!op) op = "<unknown>";
  sfield(out, op, strlen(op));
}

/* A local value's name as LLVM prints it: %name, quoted and escaped when needed (AsmWriter's printLLVMNameWithoutPrefix). */
static void local_name(sbuf *b, const char *name, size_t len) {
  int plain = len > 0 && !(name[0] >= '0' && name[0] <= '9');
  for (size_t k = 0; plain && k < len; ++k) {
    char c = name[k];
    plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '$' || c == '.' || c == '_';
  }
  sput(b, "%", 1);
  if (plain) { sput(b, name, len); return; }
  sput(b, "\"", 1);
  for (size_t k = 0; k < len; ++k) {
    unsigned char c = (unsigned char)name[k];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      sput(b, (const char *)&c, 1);
    } else {
      char hex[3] = { '\\', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15] };
      sput(b, hex, 3);
    }
  }
  sput(b, "\"", 1);
}

/* A line of the module's text. */
typedef struct { const char *s; size_t n; } line;

/*
 * Splits the module's text into the lines of its instructions (in module order: function bodies
 * in order, their instructions in order, without debug records) and of its global definitions
 * (global variables, then aliases and ifuncs, as AsmWriter prints them).
 */
static int split_lines(const char *ir, line **insts, size_t *ninsts, line **globals, size_t *nglobals) {
  size_t cap_i = 1024, cap_g = 256, ni = 0, ng = 0;
  line *I = malloc(cap_i * sizeof *I), *G = malloc(cap_g * sizeof *G);
  if (!I || !G) { free(I); free(G); return -1; }
  int in_body = 0;
  for (const char *p = ir; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (in_body) {
      if (n == 1 && p[0] == '}') {
        in_body = 0;
      } else if (n > 2 && p[0] == ' ' && p[1] == ' ') {
        const char *t = p; size_t m = n;
        while (m && *t == ' ') { ++t; --m; }
        if (m >= 5 && strncmp(t, "#dbg_", 5) == 0) {
          /* a debug record (LLVM 19+), not an instruction */
        } else if (p[2] != ' ' && p[2] != ']') {
          if (ni == cap_i) { line *x = realloc(I, (cap_i *= 2) * sizeof *I); if (!x) goto oom; I = x; }
          I[ni++] = (line){ t, m };
        } else if (ni > 0) {
          /* a continuation of the instruction before (switch cases and its "]", invoke's "to label",
             landingpad clauses): the full text spans both lines, newline included */
          I[ni - 1].n = (size_t)(p + n - I[ni - 1].s);
        }
      }
    } else if (n >= 7 && strncmp(p, "define ", 7) == 0) {
      in_body = p[n - 1] == '{';
    } else if (n > 0 && p[0] == '@') {
      if (ng == cap_g) { line *x = realloc(G, (cap_g *= 2) * sizeof *G); if (!x) goto oom; G = x; }
      G[ng++] = (line){ p, n };
    }
    p = e ? e + 1 : p + n;
  }
  *insts = I; *ninsts = ni; *globals = G; *nglobals = ng;
  return 0;
oom:
  free(I); free(G);
  return -1;
}

/* A function's entry node and its exits (a range of `exits`). */
typedef struct { int32_t entry; size_t exit_begin, exit_end; } fn_info;

/* The result handed to TypeScript: counts, then node columns, edge columns and the text. */
typedef struct {
  int32_t num_nodes, num_edges, num_functions;
  int32_t *ints;  /* num_nodes * 3 (type, function, block), then num_edges * 4 (flow, source, target, position) */
  char *text;     /* NUL-terminated: per node its text, per node its full text, per function its name, then the module's source file, triple, data layout */
  size_t text_len;
} programl_result;

static void push_ptr(ivec *a, const void *p) {
  uintptr_t v = (uintptr_t)p;
  ipush(a, (int32_t)(uint32_t)(v & 0xffffffffu));
  ipush(a, (int32_t)(uint32_t)((uint64_t)v >> 32));
}
static uintptr_t get_ptr(const ivec *a, size_t k) {
  return (uintptr_t)((uint64_t)(uint32_t)a->v[k] | ((uint64_t)(uint32_t)a->v[k + 1] << 32));
}

/*
 * Builds the graph of `m`. Returns a programl_result (free with passgym_programl_free), or 0 with
 * *error = 1 when the module's text did not line up with its instructions or globals, 2 when out
 * of memory.
 */
uintptr_t passgym_programl_build(LLVMModuleRef m, int32_t *error) {
  *error = 2;
  graph g; memset(&g, 0, sizeof g);
  programl_result *r = calloc(1, sizeof *r);
  char *ir = LLVMPrintModuleToString(m);
  line *insts = NULL, *globals = NULL; size_t ninsts = 0, nglobals = 0;
  ivec call_sites = {0}, exits = {0}, defs = {0}, blocks_first = {0}, blocks_last = {0}, queue = {0}, const_uses = {0}, arg_uses = {0};
  pmap global_line = {0}, fn_index = {0}, block_index = {0}, consts = {0}, inst_line = {0};
  fn_info *fns = NULL;
  char *seen = NULL; LLVMBasicBlockRef *bbs = NULL;
  sbuf out = {0};
  if (!r || !ir || split_lines(ir, &insts, &ninsts, &globals, &nglobals) != 0) goto fail;

  /* Global definition lines, in AsmWriter's order: variables, aliases, ifuncs. */
  size_t gl = 0;
  for (LLVMValueRef v = LLVMGetFirstGlobal(m); v; v = LLVMGetNextGlobal(v)) { int32_t *s = pslot(&global_line, (uintptr_t)v, 1); if (!s) goto fail; *s = (int32_t)gl++; }
  for (LLVMValueRef v = LLVMGetFirstGlobalAlias(m); v; v = LLVMGetNextGlobalAlias(v)) { int32_t *s = pslot(&global_line, (uintptr_t)v, 1); if (!s) goto fail; *s = (int32_t)gl++; }
  for (LLVMValueRef v = LLVMGetFirstGlobalIFunc(m); v; v = LLVMGetNextGlobalIFunc(v)) { int32_t *s = pslot(&global_line, (uintptr_t)v, 1); if (!s) goto fail; *s = (int32_t)gl++; }
  if (gl != nglobals) { *error = 1; goto fail; }

  add_node(&g, NODE_INSTRUCTION, 0, 0, TEXT_EXTERNAL, FULL_NONE, 0, 0);
  size_t nfns = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) ++nfns;
  fns = calloc(nfns ? nfns : 1, sizeof *fns);
  if (!fns) goto fail;

  size_t next_inst = 0;
  int32_t block_count = 0, fi = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f), ++fi) {
    int32_t *s = pslot(&fn_index, (uintptr_t)f, 1); if (!s) goto fail; *s = fi;
    if (LLVMIsDeclaration(f)) {
      int32_t n = add_node(&g, NODE_INSTRUCTION, fi, 0, TEXT_UNDEFINED, FULL_NONE, 0, 0);
      fns[fi].entry = n; fns[fi].exit_begin = exits.n; ipush(&exits, n); fns[fi].exit_end = exits.n;
      continue;
    }
    unsigned nargs = LLVMCountParams(f);
    arg_uses.n = 0; defs.n = 0; blocks_first.n = 0; blocks_last.n = 0;
    pfree(&block_index); memset(&block_index, 0, sizeof block_index);
    int32_t bi = 0;
    /* Blocks, instructions, and a variable per use of an instruction result. */
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b), ++bi) {
      int32_t *bs = pslot(&block_index, (uintptr_t)b, 1); if (!bs) goto fail; *bs = bi;
      int32_t prev = -1, first = -1;
      for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) {
        if (next_inst >= ninsts) { *error = 1; goto fail; }
        int32_t li = (int32_t)next_inst++;
        int32_t *ls = pslot(&inst_line, (uintptr_t)i, 1); if (!ls) goto fail; *ls = li;
        int32_t node = add_node(&g, NODE_INSTRUCTION, fi, block_count, -3 - LLVMGetInstructionOpcode(i), FULL_LINE, li, 0);
        if (prev >= 0) add_edge(&g, FLOW_CONTROL, prev, node, 0);
        if (first < 0) first = node;
        prev = node;
        if (LLVMIsACallInst(i)) {
          LLVMValueRef callee = LLVMGetCalledValue(i);
          if (callee && LLVMIsAFunction(callee)) { ipush(&call_sites, node); push_ptr(&call_sites, callee); }
        }
        int nops = LLVMGetNumOperands(i);
        for (int k = 0; k < nops; ++k) {
          LLVMValueRef v = LLVMGetOperand(i, (unsigned)k);
          if (!v || LLVMIsAFunction(v)) continue;
          if (LLVMIsAConstant(v)) {
            if (!pslot(&consts, (uintptr_t)v, 1)) goto fail;
            push_ptr(&const_uses, v); ipush(&const_uses, node); ipush(&const_uses, k);
          } else if (LLVMIsAInstruction(v)) {
            int32_t var = add_node(&g, NODE_VARIABLE, fi, block_count, type_index(&g, LLVMTypeOf(v)), FULL_VARIABLE, -1, 0);
            add_edge(&g, FLOW_DATA, var, node, k);
            push_ptr(&defs, v); ipush(&defs, var);
          } else if (LLVMIsAArgument(v)) {
            unsigned a = 0;
            while (a < nargs && LLVMGetParam(f, a) != v) ++a;
            ipush(&arg_uses, (int32_t)a); ipush(&arg_uses, node); ipush(&arg_uses, k);
          }
        }
      }
      if (first < 0) { *error = 1; goto fail; }
      ipush(&blocks_first, first); ipush(&blocks_last, prev);
      ++block_count;
    }
    /* A variable per used argument, in argument order, with an edge to each use. */
    size_t unnamed_before = 0;
    for (unsigned a = 0; a < nargs; ++a) {
      LLVMValueRef arg = LLVMGetParam(f, a);
      size_t name_len = 0;
      const char *name = LLVMGetValueName2(arg, &name_len);
      int used = 0;
      for (size_t u = 0; u < arg_uses.n && !used; u += 3) used = arg_uses.v[u] == (int32_t)a;
      if (used) {
        int32_t begin = (int32_t)g.owned.n;
        char *ptype = LLVMPrintTypeToString(LLVMTypeOf(arg));
        sputs(&g.owned, ptype); LLVMDisposeMessage(ptype);
        sput(&g.owned, " ", 1);
        if (name_len) {
          local_name(&g.owned, name, name_len);
        } else {
          char num[24]; int w = snprintf(num, sizeof num, "%%%zu", unnamed_before);
          sput(&g.owned, num, (size_t)w);
        }
        int32_t var = add_node(&g, NODE_VARIABLE, fi, block_count, type_index(&g, LLVMTypeOf(arg)), FULL_OWNED, begin, (int32_t)g.owned.n - begin);
        for (size_t u = 0; u < arg_uses.n; u += 3) if (arg_uses.v[u] == (int32_t)a) add_edge(&g, FLOW_DATA, var, arg_uses.v[u + 1], arg_uses.v[u + 2]);
      }
      if (name_len == 0) ++unnamed_before;
    }
    /* An edge from each defining instruction to the variables of its result. */
    for (size_t d = 0; d < defs.n; d += 3) {
      uintptr_t v = get_ptr(&defs, d);
      int32_t *ls = pslot(&inst_line, v, 0);
      if (!ls) { *error = 1; goto fail; }
      int32_t var = defs.v[d + 2];
      g.full_a.v[var] = *ls;
      /* The defining instruction's node: its line index + the nodes created before... found through the line. */
      add_edge(&g, FLOW_DATA, -1 - *ls, var, 0);
    }
    /* Control edges between blocks, breadth first from the entry; reached blocks without successors are exits. */
    size_t nblocks = blocks_first.n;
    free(seen); free(bbs);
    seen = calloc(nblocks, 1);
    bbs = malloc(nblocks * sizeof *bbs);
    if (!seen || !bbs) goto fail;
    { size_t k = 0; for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b)) bbs[k++] = b; }
    queue.n = 0; ipush(&queue, 0); seen[0] = 1;
    fns[fi].entry = blocks_first.v[0]; fns[fi].exit_begin = exits.n;
    for (size_t q = 0; q < queue.n; ++q) {
      int32_t b = queue.v[q];
      LLVMValueRef term = LLVMGetBasicBlockTerminator(bbs[b]);
      unsigned nsucc = term ? LLVMGetNumSuccessors(term) : 0;
      if (nsucc == 0) ipush(&exits, blocks_last.v[b]);
      for (unsigned k = 0; k < nsucc; ++k) {
        int32_t *ss = pslot(&block_index, (uintptr_t)LLVMGetSuccessor(term, k), 0);
        if (!ss) continue;
        add_edge(&g, FLOW_CONTROL, blocks_last.v[b], blocks_first.v[*ss], (int32_t)k);
        if (!seen[*ss]) { seen[*ss] = 1; ipush(&queue, *ss); }
      }
    }
    fns[fi].exit_end = exits.n;
  }
  if (next_inst != ninsts) { *error = 1; goto fail; }

  /* Call edges: the root to every function and back, then each direct call site to its callee and back. */
  for (size_t k = 0; k < nfns; ++k) {
    add_edge(&g, FLOW_CALL, 0, fns[k].entry, 0);
    for (size_t e = fns[k].exit_begin; e < fns[k].exit_end; ++e) add_edge(&g, FLOW_CALL, exits.v[e], 0, 0);
  }
  for (size_t c = 0; c < call_sites.n; c += 3) {
    int32_t *fs = pslot(&fn_index, get_ptr(&call_sites, c + 1), 0);
    if (!fs) continue;
    fn_info *fn = &fns[*fs];
    add_edge(&g, FLOW_CALL, call_sites.v[c], fn->entry, 0);
    for (size_t e = fn->exit_begin; e < fn->exit_end; ++e) add_edge(&g, FLOW_CALL, exits.v[e], call_sites.v[c], 0);
  }

  /* A node per constant, in order of first use, with an edge to each use. */
  for (size_t u = 0; u < const_uses.n; u += 4) {
    uintptr_t v = get_ptr(&const_uses, u);
    int32_t *cs = pslot(&consts, v, 0);
    if (!cs) goto fail;
    if (*cs < 0) {
      LLVMValueRef c = (LLVMValueRef)v;
      int32_t tt = type_index(&g, LLVMTypeOf(c));
      int32_t *gs = pslot(&global_line, v, 0);
      if (gs) {
        *cs = add_node(&g, NODE_CONSTANT, 0, block_count, tt, FULL_GLOBAL, *gs, 0);
      } else {
        char *printed = LLVMPrintValueToString(c);
        const char *t = printed; while (*t == ' ') ++t;
        int32_t begin = (int32_t)g.owned.n;
        sputs(&g.owned, t);
        LLVMDisposeMessage(printed);
        *cs = add_node(&g, NODE_CONSTANT, 0, block_count, tt, FULL_OWNED, begin, (int32_t)g.owned.n - begin);
      }
    }
    add_edge(&g, FLOW_DATA, *cs, const_uses.v[u + 2], const_uses.v[u + 3]);
  }

  if (g.oom || g.node_type.oom || g.node_function.oom || g.node_block.oom || g.node_text.oom || g.full_kind.oom ||
      g.full_a.oom || g.full_b.oom || g.edges.oom || g.owned.oom || g.type_texts.oom || g.type_offsets.oom ||
      g.type_lengths.oom || g.types.oom || call_sites.oom || exits.oom || defs.oom || const_uses.oom ||
      queue.oom || blocks_first.oom || blocks_last.oom || arg_uses.oom || inst_line.oom || consts.oom)
    goto fail;

  /* Producer edges name their source by line: line index -> instruction node. */
  {
    int32_t *line_node = malloc((ninsts ? ninsts : 1) * sizeof *line_node);
    if (!line_node) goto fail;
    for (size_t n = 0; n < g.node_type.n; ++n) if (g.full_kind.v[n] == FULL_LINE) line_node[g.full_a.v[n]] = (int32_t)n;
    for (size_t e = 0; e < g.edges.n; e += 4) if (g.edges.v[e + 1] < 0) g.edges.v[e + 1] = line_node[-1 - g.edges.v[e + 1]];
    free(line_node);
  }

  /* The text: node texts, node full texts, function names, module facts. */
  size_t nn = g.node_type.n;
  for (size_t n = 0; n < nn; ++n) put_text(&out, &g, g.node_text.v[n]);
  for (size_t n = 0; n < nn; ++n) {
    int32_t a = g.full_a.v[n], b = g.full_b.v[n];
    switch (g.full_kind.v[n]) {
      case FULL_LINE: sfield(&out, insts[a].s, insts[a].n); break;
      case FULL_GLOBAL: sfield(&out, globals[a].s, globals[a].n); break;
      case FULL_OWNED: sfield(&out, g.owned.s + a, (size_t)b); break;
      case FULL_VARIABLE: {
        /* ProGraML: "<type> <lhs identifier>", the identifier being the text before " = ". */
        int32_t t = g.node_text.v[n];
        sput(&out, g.type_texts.s + g.type_offsets.v[t], (size_t)g.type_lengths.v[t]);
        sput(&out, " ", 1);
        const char *eq = a >= 0 ? strstr(insts[a].s, " = ") : NULL;
        if (eq && eq < insts[a].s + insts[a].n) sfield(&out, insts[a].s, (size_t)(eq - insts[a].s));
        else sfield(&out, "", 0);
        break;
      }
      default: sfield(&out, "", 0);
    }
  }
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    size_t len = 0; const char *name = LLVMGetValueName2(f, &len);
    sfield(&out, name, len);
  }
  { size_t len = 0; const char *src = LLVMGetSourceFileName(m, &len); sfield(&out, src, len); }
  { const char *t = LLVMGetTarget(m); sfield(&out, t, strlen(t)); }
  { const char *d = LLVMGetDataLayoutStr(m); sfield(&out, d, strlen(d)); }
  if (out.oom) goto fail;

  r->num_nodes = (int32_t)nn;
  r->num_edges = (int32_t)(g.edges.n / 4);
  r->num_functions = (int32_t)nfns;
  r->ints = malloc((nn * 3 + g.edges.n + 1) * sizeof(int32_t));
  if (!r->ints) goto fail;
  memcpy(r->ints, g.node_type.v, nn * sizeof(int32_t));
  memcpy(r->ints + nn, g.node_function.v, nn * sizeof(int32_t));
  memcpy(r->ints + 2 * nn, g.node_block.v, nn * sizeof(int32_t));
  if (g.edges.n) memcpy(r->ints + 3 * nn, g.edges.v, g.edges.n * sizeof(int32_t));
  r->text = out.s; r->text_len = out.n; out.s = NULL;
  *error = 0;

fail:
  if (ir) LLVMDisposeMessage(ir);
  free(insts); free(globals); free(fns); free(seen); free(bbs); free(out.s);
  free(g.node_type.v); free(g.node_function.v); free(g.node_block.v); free(g.node_text.v);
  free(g.full_kind.v); free(g.full_a.v); free(g.full_b.v); free(g.edges.v); free(g.owned.s);
  pfree(&g.types); free(g.type_texts.s); free(g.type_offsets.v); free(g.type_lengths.v);
  free(call_sites.v); free(exits.v); free(defs.v); free(blocks_first.v); free(blocks_last.v);
  free(queue.v); free(const_uses.v); free(arg_uses.v);
  pfree(&global_line); pfree(&fn_index); pfree(&block_index); pfree(&consts); pfree(&inst_line);
  if (*error) {
    if (r) { free(r->ints); free(r->text); free(r); }
    return 0;
  }
  return (uintptr_t)r;
}

/* Counts of a result: what = 0 nodes, 1 edges, 2 functions, 3 bytes of text. */
int64_t passgym_programl_size(uintptr_t result, int32_t what) {
  programl_result *r = (programl_result *)result;
  switch (what) {
    case 0: return r->num_nodes;
    case 1: return r->num_edges;
    case 2: return r->num_functions;
    default: return (int64_t)r->text_len;
  }
}

/* Copies a result's integers (nodes*3 + edges*4) and text into the caller's buffers. */
void passgym_programl_copy(uintptr_t result, int32_t *ints, char *text) {
  programl_result *r = (programl_result *)result;
  memcpy(ints, r->ints, ((size_t)r->num_nodes * 3 + (size_t)r->num_edges * 4) * sizeof(int32_t));
  memcpy(text, r->text, r->text_len);
}

void passgym_programl_free(uintptr_t result) {
  programl_result *r = (programl_result *)result;
  if (!r) return;
  free(r->ints); free(r->text); free(r);
}
