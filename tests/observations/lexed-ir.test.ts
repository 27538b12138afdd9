/**
 * LexedIr: the IR text lexed as LLVM's LLLexer does, with CompilerGym's token ids (LLVM 10's
 * lltok::Kind, 0–415), kind names, categories and values; keywords newer LLVMs print are one token
 * each; real clang output lexes without an Error token; the pass is linear.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  lexIr,
  LEXED_IR_COMPILER_GYM_KIND_COUNT,
  LEXED_IR_TOKEN_CATEGORIES,
  LEXED_IR_TOKEN_CATEGORY_OF,
  LEXED_IR_TOKEN_ID,
  LEXED_IR_TOKEN_KINDS,
  type LexedIr,
} from '../../env/observations/lexed-ir';
import { tempDir } from '../helpers';

/** The tokens as `kind` or `kind:value` strings (the value only when it is not empty). */
function toks(ir: string): string[] {
  const r = lexIr(ir);
  return r.token_kind.map((k, i) => (r.token_value[i] === '' ? k : `${k}:${r.token_value[i]}`));
}

/** Every id is in the table, and kind and category are the table's for that id. */
function expectConsistent(r: LexedIr): void {
  const n = r.token_id.length;
  expect(r.token_kind).toHaveLength(n);
  expect(r.token_category).toHaveLength(n);
  expect(r.token_value).toHaveLength(n);
  for (let i = 0; i < n; i++) {
    const id = r.token_id[i];
    if (!(Number.isInteger(id) && id >= 0 && id < LEXED_IR_TOKEN_KINDS.length)) throw new Error(`token ${i}: id ${id} out of the table`);
    if (r.token_kind[i] !== LEXED_IR_TOKEN_KINDS[id]) throw new Error(`token ${i}: kind ${r.token_kind[i]} is not ${LEXED_IR_TOKEN_KINDS[id]}`);
    if (r.token_category[i] !== LEXED_IR_TOKEN_CATEGORY_OF[id]) throw new Error(`token ${i}: category ${r.token_category[i]}`);
    if (r.token_category[i] === 'keyword' && r.token_value[i] !== '') throw new Error(`token ${i}: keyword with a value`);
  }
}

test('the kind table: ids 0–415 are CompilerGym\'s (LLVM 10 lltok::Kind), the appended ones follow in a fixed order', () => {
  expect(LEXED_IR_COMPILER_GYM_KIND_COUNT).toBe(416);
  expect(LEXED_IR_TOKEN_CATEGORIES).toEqual(['unknown', 'marker', 'keyword', 'uintval', 'strval', 'type', 'apfloat', 'apsint']);
  const spot: [number, string, string][] = [
    [0, 'Eof', 'marker'], [1, 'Error', 'marker'], [2, 'dotdotdot', 'keyword'], [16, 'colon', 'keyword'],
    [17, 'kw_vscale', 'keyword'], [22, 'kw_define', 'keyword'], [51, 'kw_undef', 'keyword'], [85, 'kw_nsw', 'keyword'],
    [103, 'kw_c', 'keyword'], [174, 'kw_nofree', 'keyword'], [207, 'kw_willreturn', 'keyword'], [210, 'kw_immarg', 'keyword'],
    [245, 'kw_fneg', 'keyword'], [246, 'kw_add', 'keyword'], [266, 'kw_phi', 'keyword'], [314, 'kw_freeze', 'keyword'],
    [389, 'kw_varFlags', 'keyword'], [390, 'LabelID', 'uintval'], [394, 'SummaryID', 'uintval'], [395, 'LabelStr', 'strval'],
    [400, 'StringConstant', 'strval'], [412, 'ChecksumKind', 'strval'], [413, 'Type', 'type'], [414, 'APFloat', 'apfloat'],
    [415, 'APSInt', 'apsint'],
    // PassGym's additions
    [416, 'hash', 'keyword'], [417, 'kw_poison', 'keyword'], [422, 'kw_noundef', 'keyword'], [423, 'kw_nocallback', 'keyword'],
    [432, 'kw_mustprogress', 'keyword'], [501, 'kw_splat', 'keyword'], [538, 'kw_captures', 'keyword'], [539, 'kw_memory', 'keyword'],
    [542, 'kw_initializes', 'keyword'], [543, 'DwarfSourceLangName', 'strval'], [545, 'DbgRecordType', 'strval'], [546, 'DwarfEnumKind', 'strval'],
  ];
  for (const [id, kind, cat] of spot) {
    expect([id, LEXED_IR_TOKEN_KINDS[id], LEXED_IR_TOKEN_CATEGORY_OF[id]]).toEqual([id, kind, cat]);
    expect(LEXED_IR_TOKEN_ID.get(kind)).toBe(id);
  }
  expect(LEXED_IR_TOKEN_KINDS).toHaveLength(547);
  expect(new Set(LEXED_IR_TOKEN_KINDS).size).toBe(LEXED_IR_TOKEN_KINDS.length);
  // Keywords LLVM 10 already had keep their CompilerGym id; `ptr` is no kind of its own.
  expect(LEXED_IR_TOKEN_ID.get('kw_nuw')).toBe(84);
  expect(LEXED_IR_TOKEN_ID.has('kw_ptr')).toBe(false);
});

test('a global string constant and a define with arguments (CompilerGym\'s example, values as PassGym gives them)', () => {
  const ir = [
    '@.str = private unnamed_addr constant [4 x i8] c"abc\\00", align 1',
    'define dso_local i32 @main(i32 %0, i8** %argv) #0 {',
    'entry:',
    '  %1 = add nsw i32 %0, -5',
    '  ret i32 %1',
    '}',
  ].join('\n');
  const r = lexIr(ir);
  expectConsistent(r);
  expect(toks(ir)).toEqual([
    'GlobalVar:.str', 'equal', 'kw_private', 'kw_unnamed_addr', 'kw_constant', 'lsquare', 'APSInt:4', 'kw_x', 'Type:i8', 'rsquare',
    'kw_c', 'StringConstant:abc\\00', 'comma', 'kw_align', 'APSInt:1',
    'kw_define', 'kw_dso_local', 'Type:i32', 'GlobalVar:main', 'lparen', 'Type:i32', 'LocalVarID:0', 'comma',
    'Type:i8', 'star', 'star', 'LocalVar:argv', 'rparen', 'AttrGrpID:0', 'lbrace',
    'LabelStr:entry',
    'LocalVarID:1', 'equal', 'kw_add', 'kw_nsw', 'Type:i32', 'LocalVarID:0', 'comma', 'APSInt:-5',
    'kw_ret', 'Type:i32', 'LocalVarID:1',
    'rbrace',
  ]);
  expect(r.token_id.slice(0, 12)).toEqual([396, 3, 27, 41, 24, 6, 415, 18, 413, 7, 103, 400]);
  expect(r.token_category.slice(0, 12)).toEqual(['strval', 'keyword', 'keyword', 'keyword', 'keyword', 'keyword', 'apsint', 'keyword', 'type', 'keyword', 'keyword', 'strval']);
});

test('labels, a phi, comments, metadata, attribute groups, floats, a quoted name', () => {
  const ir = `; ModuleID = 'x.c'
define double @f(i1 %c) {
entry:
  br i1 %c, label %"a b", label %7
"a b":                                            ; preds = %entry
  %x = fmul double 1.5e+00, 0x3FF8000000000000, !dbg !12
  br label %7
7:                                                ; preds = %"a b", %entry
  %p = phi double [ 0.000000e+00, %entry ], [ %x, %"a b" ]
  ret double %p
}
attributes #0 = { noinline "frame-pointer"="all" }
!llvm.module.flags = !{!0}
!0 = !{i32 7, !"PIC Level", i32 2}
`;
  const r = lexIr(ir);
  expectConsistent(r);
  expect(toks(ir)).toEqual([
    'kw_define', 'Type:double', 'GlobalVar:f', 'lparen', 'Type:i1', 'LocalVar:c', 'rparen', 'lbrace',
    'LabelStr:entry',
    'kw_br', 'Type:i1', 'LocalVar:c', 'comma', 'Type:label', 'LocalVar:a b', 'comma', 'Type:label', 'LocalVarID:7',
    'LabelStr:a b',
    'LocalVar:x', 'equal', 'kw_fmul', 'Type:double', 'APFloat:1.5e+00', 'comma', 'APFloat:0x3FF8000000000000', 'comma', 'MetadataVar:dbg', 'exclaim', 'APSInt:12',
    'kw_br', 'Type:label', 'LocalVarID:7',
    'LabelID:7',
    'LocalVar:p', 'equal', 'kw_phi', 'Type:double', 'lsquare', 'APFloat:0.000000e+00', 'comma', 'LocalVar:entry', 'rsquare', 'comma',
    'lsquare', 'LocalVar:x', 'comma', 'LocalVar:a b', 'rsquare',
    'kw_ret', 'Type:double', 'LocalVar:p',
    'rbrace',
    'kw_attributes', 'AttrGrpID:0', 'equal', 'lbrace', 'kw_noinline', 'StringConstant:frame-pointer', 'equal', 'StringConstant:all', 'rbrace',
    'MetadataVar:llvm.module.flags', 'equal', 'exclaim', 'lbrace', 'exclaim', 'APSInt:0', 'rbrace',
    'exclaim', 'APSInt:0', 'equal', 'exclaim', 'lbrace', 'Type:i32', 'APSInt:7', 'comma', 'exclaim', 'StringConstant:PIC Level', 'comma', 'Type:i32', 'APSInt:2', 'rbrace',
  ]);
  expect(r.token_id[r.token_kind.indexOf('LabelID')]).toBe(390);
  expect(r.token_id[r.token_kind.indexOf('APFloat')]).toBe(414);
});

test('values: escapes are CompilerGym\'s (unescape, then \\XX for anything unprintable, \\ and "), numbers as written', () => {
  expect(toks('c"a\\\\b\\22\\0A\\7Fz" %"q\\22r" @"\\01x" !"é"')).toEqual([
    'kw_c', 'StringConstant:a\\5Cb\\22\\0A\\7Fz', 'LocalVar:q\\22r', 'GlobalVar:\\01x', 'exclaim', 'StringConstant:\\C3\\A9',
  ]);
  expect(toks('-7 0 007 %007 u0x1F s0xFF 0xK4000C000000000000000 0xH3C00 0xR3F80 -1.25 +2.5 1.e3 i007')).toEqual([
    'APSInt:-7', 'APSInt:0', 'APSInt:007', 'LocalVarID:7', 'APSInt:u0x1F', 'APSInt:s0xFF',
    'APFloat:0xK4000C000000000000000', 'APFloat:0xH3C00', 'APFloat:0xR3F80', 'APFloat:-1.25', 'APFloat:+2.5', 'APFloat:1.e3', 'Type:i7',
  ]);
  // `gv:` is a LabelStr: LexIR never sets the parser's IgnoreColonInIdentifiers mode.
  expect(toks('$c = comdat any ^3 = gv: (guid: 1) !DIFlagPrototyped DW_TAG_member CSK_MD5 FullDebug ...')).toEqual([
    'ComdatVar:c', 'equal', 'kw_comdat', 'kw_any', 'SummaryID:3', 'equal', 'LabelStr:gv', 'lparen', 'LabelStr:guid', 'APSInt:1', 'rparen',
    'MetadataVar:DIFlagPrototyped', 'DwarfTag:DW_TAG_member', 'ChecksumKind:CSK_MD5', 'EmissionKind:FullDebug', 'dotdotdot',
  ]);
});

test('keywords newer LLVMs print are one token each (CompilerGym gave an Error per character); LLVM\'s own quirks stay', () => {
  expect(toks('define noundef ptr @f(ptr nocapture noundef %p) #dbg_value(ptr %p, !1, !DIExpression(), !2) poison splat freeze')).toEqual([
    'kw_define', 'kw_noundef', 'Type:ptr', 'GlobalVar:f', 'lparen', 'Type:ptr', 'kw_nocapture', 'kw_noundef', 'LocalVar:p', 'rparen',
    'DbgRecordType:value', 'lparen', 'Type:ptr', 'LocalVar:p', 'comma', 'exclaim', 'APSInt:1', 'comma', 'MetadataVar:DIExpression', 'lparen', 'rparen',
    'comma', 'exclaim', 'APSInt:2', 'rparen', 'kw_poison', 'kw_splat', 'kw_freeze',
  ]);
  // (`argmem:` is a LabelStr, as for LLVM's lexer on its own.)
  expect(toks('memory(argmem: readwrite) captures(none) mustprogress nocallback nneg disjoint samesign bfloat x86_amx')).toEqual([
    'kw_memory', 'lparen', 'LabelStr:argmem', 'kw_readwrite', 'rparen', 'kw_captures', 'lparen', 'kw_none', 'rparen',
    'kw_mustprogress', 'kw_nocallback', 'kw_nneg', 'kw_disjoint', 'kw_samesign', 'Type:bfloat', 'Type:x86_amx',
  ]);
  // LLVM's lexer: an unknown word is an Error and lexing restarts one character later
  // ('foo' is an Error at f, at o, at o), `cc<N>` is kw_cc then the number, i0 is an Error, a
  // `#` not starting a number or a debug record is hash.
  expect(toks('foo cc10 i0 i32 # ; the rest of the line')).toEqual(['Error', 'Error', 'Error', 'kw_cc', 'APSInt:10', 'Error', 'Type:i32', 'hash']);
});

test('comments and whitespace produce no token; malformed text gives Error tokens, never a throw', () => {
  expect(toks('; only a comment\n\t \r\n/* a C comment */  ; another\n')).toEqual([]);
  expect(toks('')).toEqual([]);
  expect(toks('ret "unterminated')).toEqual(['kw_ret', 'Error']);
  expect(toks('ret /* unterminated')).toEqual(['kw_ret', 'Error']);
  expect(toks('%"a\\00b" ret')).toEqual(['Error', 'kw_ret']);
  expect(toks('€ ret')).toEqual(['Error', 'Error', 'Error', 'kw_ret']); // one per UTF-8 byte
  expect(() => lexIr(42 as unknown as string)).toThrow(TypeError);
});

const CLANG14 = '/usr/lib/llvm-14/bin/clang';
const CLANG22 = '/usr/lib/llvm-22/bin/clang';

const C_SOURCE = `
#include <stdio.h>
#include <string.h>
struct node { int key; double w; struct node *next; };
static struct node pool[16];
static const char *names[] = { "zero", "one", "two\\n", "thr\\"ee" };
__attribute__((noinline)) static double walk(struct node *n, float scale) {
  double s = 0.0;
  for (; n; n = n->next) s += n->w * scale + (n->key ? 1.5e-3 : -2.0);
  return s;
}
int main(int argc, char **argv) {
  for (int i = 0; i < 16; i++) { pool[i].key = i * 7; pool[i].w = i / 3.0; pool[i].next = i < 15 ? &pool[i + 1] : 0; }
  long long big = 0x7fffffffffffffffLL; unsigned u = 4000000000u; long double ld = 1.0L / 3;
  switch (argc) { case 1: big -= 3; break; case 2: big ^= u; break; default: big = (long long)ld; }
  printf("%s %f %lld %zu\\n", names[argc & 3], walk(pool, 0.5f), big, strlen(argv[0]));
  return (int)(big & 1);
}
`;

for (const [clang, label] of [[CLANG14, 'clang-14'], [CLANG22, 'clang-22']] as const) {
  (fs.existsSync(clang) ? test : test.skip)(`${label} output at -O0 and -O2 (with debug info) lexes with no Error token`, () => {
    const dir = tempDir();
    const src = path.join(dir, 'prog.c');
    fs.writeFileSync(src, C_SOURCE);
    for (const flags of [['-O0'], ['-O2', '-g']]) {
      const ll = path.join(dir, `prog${flags[0]}.ll`);
      execFileSync(clang, [...flags, '-S', '-emit-llvm', '-w', src, '-o', ll]);
      const text = fs.readFileSync(ll, 'utf8');
      const r = lexIr(text);
      expectConsistent(r);
      expect(r.token_id.length).toBeGreaterThan(300);
      expect(r.token_kind.filter((k) => k === 'Error')).toEqual([]);
      expect(r.token_kind).toContain('kw_define');
      expect(r.token_kind).toContain('StringConstant');
      expect(r.token_kind).toContain('AttrGrpID');
      if (flags.includes('-g')) expect(r.token_kind).toContain('DwarfTag');
      if (label === 'clang-22') expect(r.token_value[r.token_kind.indexOf('Type')]).toBeTruthy();
    }
  });
}

test('the pass is linear: a large module, and a long unknown word (LLVM would rescan it per character)', () => {
  const fn = (i: number): string => `define i32 @f${i}(i32 %a, ptr %p) {\nentry:\n  %0 = load i32, ptr %p, align 4\n  %1 = add nsw i32 %0, %a\n  %c = icmp slt i32 %1, ${i}\n  br i1 %c, label %t, label %e\nt:\n  store i32 -1, ptr %p, align 4\n  ret i32 %1\ne:\n  ret i32 0\n}\n`;
  const big = Array.from({ length: 20000 }, (_, i) => fn(i)).join('');
  const t0 = process.hrtime.bigint();
  const r = lexIr(big);
  const ns = Number(process.hrtime.bigint() - t0);
  expect(r.token_id.length).toBe(20000 * lexIr(fn(0)).token_id.length);
  expect(ns / r.token_id.length).toBeLessThan(2000); // well under 2 µs a token, on a shared machine
  const word = 'z'.repeat(300000);
  const t1 = process.hrtime.bigint();
  const w = lexIr(word);
  expect(Number(process.hrtime.bigint() - t1)).toBeLessThan(5e9);
  expect(w.token_id.length).toBe(300000);
  expect(new Set(w.token_kind)).toEqual(new Set(['Error']));
});
