/**
 * inst2vec statement preprocessing: CompilerGym's `Inst2vecPreprocessedText` observation.
 *
 * Sources: Ben-Nun, Jakobovits, Hoefler, "Neural Code Comprehension: A Learnable Representation of
 * Code Semantics", NeurIPS 2018 (code: spcl/ncc `inst2vec/inst2vec_preprocess.py`,
 * `inst2vec/rgx_utils.py`), as CompilerGym runs it: facebookresearch/CompilerGym
 * `compiler_gym/third_party/inst2vec/__init__.py` (`Inst2vecEncoder.preprocess`), with the helpers
 * in `inst2vec_preprocess.py` (`GetStructTypes`, `preprocess`, `PreprocessStatement`) and the
 * regular expressions in `rgx_utils.py`.
 *
 * Pure TypeScript, no LLVM needed: the input is the module's printed IR (the `Ir` observation).
 * Every step is a single left-to-right scan or a precompiled regular expression without nested
 * quantifiers, so the cost is linear in the size of the text.
 */

/** Text a struct type may inline to at most; a bigger type keeps its name (which becomes `<%ID>`). */
const STRUCT_INLINE_MAX_CHARS = 4096;
/** Nesting depth at which struct resolution stops (any deeper text is over the cap anyway). */
const STRUCT_INLINE_MAX_DEPTH = 1024;
/** The separator ncc uses when it joins a multi-line statement (`collapse_stmt_units_to_a_line`). */
const JOIN = '\n ';
/** Stands for a protected quoted string (asm text, section names) while numbers are abstracted. */
const PLACEHOLDER = '\uE000';

// Module-level lines inst2vec does not keep (CG `keep()`, anchored as ncc's `re.match` is).
const DROP_KEYWORD = /^(?:(?:declare|module asm|uselistorder(?:_bb)?)\s|attributes #|source_filename\s*=|target (?:triple|datalayout)\s*=)/;
const COMDAT = /^\$\S+\s*=\s*comdat\b/;
const ALIAS = /^@\S+ = (?:\S+ )*?alias /;
const QUOTED = /"[^"]*"/g;
const TYPE_DEF = /^(%(?:"[^"]*"|[-\w$.]+)) = type (.*)$/;
const LABEL_DEF = /^(?:[-\w$.]+|"[^"]*"):(?=\s|$)/;
const OLD_LABEL_DEF = /^; <label>:(?:[-\w$.]+|"[^"]*")(:?)/;
const LOCAL_NAME = /%(?:"[^"]*"|[-\w$.]+)/g;
const NUMERIC_NAME = /^%\d+$/;
// Multi-line statements (ncc `collapse_stmt_units_to_a_line`).
const LANDINGPAD = /^%\S+ = landingpad\b/;
const LANDINGPAD_CLAUSE = /^(?:cleanup\b|catch |filter )/;
const HAS_CONTINUATION = /^(?:%\S+ = )?(?:invoke|callbr)\b/;
const SWITCH_CASE = /^i\d+ (?:-?\d+|true|false), label %/;
// `remove_trailing_comments_and_metadata`: metadata passed as call arguments.
const MD_ARG_NUM_COMMAS = /(?:, )?metadata !\d+(?:, )?/g;
const MD_ARG_WORD_COMMAS = /(?:, )?metadata !\w+(?:, )?/g;
const MD_ARG_NUM = /metadata !\d+(?:, )?/g;
const MD_ARG_WORD = /metadata !\w+(?:, )?/g;
const MD_ARG_STRING_LEAD = /, metadata !"[^"]*"/g;
const MD_ARG_STRING = /metadata !"[^"]*"(?:, )?/g;
// `PreprocessStatement` (rgx_utils' immediate_value_float_hexa / _float_sci / _int).
const FLOAT_HEX = /(?<!\w)-?0[xX][hklmrHKLMR]?[0-9A-Fa-f]+/g;
const FLOAT_SCI = /(?<!\w)-?[0-9]+\.[0-9]+(?:e\+?-?[0-9]+)?/g;
const INT = /(?<!align)(?<!\[) -?[0-9]+(?![0-9]| x )/g;
const NO_INT = /^<%ID> = (?:extractelement|extractvalue|insertelement|insertvalue)\b/;
const INDEX_TYPES = /^<%ID> = (?:extractelement|insertelement)\b/;
const INDEX_TYPE = /i\d+ /g;
const PLACEHOLDERS = new RegExp(PLACEHOLDER, 'g');

/** Characters of an unquoted LLVM name: `[-a-zA-Z$._0-9]`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 36 || c === 46 || c === 95;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** End (exclusive) of the name whose sigil (`%` or `@`) is at `i`; `i + 1` when none follows. */
function nameEnd(s: string, i: number): number {
  let j = i + 1;
  if (s.charCodeAt(j) === 34 /* " */) {
    const close = s.indexOf('"', j + 1);
    return close < 0 ? s.length : close + 1;
  }
  while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
  return j;
}

/** End (exclusive) of the quoted string opening at `i` (LLVM escapes `"` inside as `\22`). */
function quoteEnd(s: string, i: number): number {
  const close = s.indexOf('"', i + 1);
  return close < 0 ? s.length : close + 1;
}

/**
 * Rewrites every `%name` of `s` that is outside quoted strings with `map(name)` (or keeps it when
 * that returns undefined); `@names` and strings are copied unchanged.
 */
function mapLocalNames(s: string, map: (name: string) => string | undefined): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      const end = nameEnd(s, i);
      const to = end > i + 1 ? map(s.slice(i, end)) : undefined;
      if (to !== undefined) {
        out += s.slice(last, i) + to;
        last = end;
      }
      i = end;
    } else if (c === 64 /* @ */) i = nameEnd(s, i);
    else if (c === 34 /* " */) i = quoteEnd(s, i);
    else i++;
  }
  return last === 0 ? s : out + s.slice(last);
}

/**
 * The module's named struct types resolved to literal types (CG `GetStructTypes`): members that
 * are named structs are inlined recursively; a reference back to a type being resolved becomes
 * `opaque` (CG's `name_cyclic → opaque`, so `%n = type { i32, %n* }` gives `{ i32, opaque* }`);
 * a type whose text would pass STRUCT_INLINE_MAX_CHARS maps to null (it keeps its name).
 */
function structTypes(lines: string[]): Map<string, string | null> {
  const bodies = new Map<string, string>();
  for (const line of lines) {
    if (line.charCodeAt(0) !== 37 /* % */ || line.indexOf(' = type ') < 0) continue;
    const m = TYPE_DEF.exec(line.trim());
    if (m) bodies.set(m[1], m[2].trim());
  }
  const resolved = new Map<string, string | null>();
  const resolving = new Set<string>();
  const resolve = (name: string, depth: number): string | null => {
    const done = resolved.get(name);
    if (done !== undefined) return done;
    if (resolving.has(name)) return 'opaque';
    if (depth > STRUCT_INLINE_MAX_DEPTH) return null; // not memoized: only this path is too deep
    resolving.add(name);
    const text = mapLocalNames(bodies.get(name)!, (member) => {
      if (!bodies.has(member)) return undefined;
      return resolve(member, depth + 1) ?? undefined;
    });
    resolving.delete(name);
    const result = text.length > STRUCT_INLINE_MAX_CHARS ? null : text;
    resolved.set(name, result);
    return result;
  };
  for (const name of bodies.keys()) resolve(name, 0);
  return resolved;
}

/**
 * CG `remove_trailing_comments_and_metadata` on one trimmed line: metadata call arguments are
 * removed with CG's substitutions (so `call void @llvm.dbg.value(metadata i32 %1, metadata !12,
 * metadata !DIExpression())` gives CG's vocabulary form `call void @llvm.dbg.value(metadata i32
 * %1())`), then the line is cut at its first `!`, `#` or `;` outside quoted strings and a
 * trailing comma is dropped.
 */
function stripMetadataAndComments(line: string): string {
  let s = line;
  if (s.indexOf('!') >= 0) {
    for (;;) {
      const open = s.indexOf('(');
      const md = open < 0 ? -1 : s.indexOf('metadata !', open + 1);
      if (md < 0 || s.lastIndexOf(')') < md + 10) break;
      const before = s;
      s = s.replace(MD_ARG_NUM_COMMAS, '').replace(MD_ARG_WORD_COMMAS, '').replace(MD_ARG_NUM, '').replace(MD_ARG_WORD, '');
      s = s.replace(MD_ARG_STRING_LEAD, '').replace(MD_ARG_STRING, '');
      if (s === before) break; // e.g. `metadata !{...}`: CG loops forever here
    }
  }
  let cut = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) i = quoteEnd(s, i) - 1;
    else if (c === 33 /* ! */ || c === 35 /* # */ || c === 59 /* ; */) {
      cut = i;
      break;
    }
  }
  if (cut < 0) return s;
  s = s.slice(0, cut).trim();
  if (s.endsWith(',')) s = s.slice(0, -1).trim();
  return s;
}

/** Looks a `%name` up as a struct type: its literal type with names already abstracted, or undefined. */
type StructLookup = (name: string) => string | undefined;

/**
 * The name-abstraction scan of CG `PreprocessStatement`, with struct inlining folded in (so an
 * inlined type is abstracted once, not at each use): a `%name` that `structs` knows becomes its
 * literal type, any other `%name` `<%ID>`, `@name` `<@ID>`; `c"…"` becomes ` <STRING>`; other
 * quoted text is pushed to `kept` and replaced by PLACEHOLDER (left verbatim when `kept` is null).
 */
function abstractNames(stmt: string, structs: StructLookup | null, kept: string[] | null): string {
  let s = '';
  let last = 0;
  for (let i = 0; i < stmt.length; ) {
    const c = stmt.charCodeAt(i);
    if (c === 37 /* % */ || c === 64 /* @ */) {
      const end = nameEnd(stmt, i);
      if (end > i + 1) {
        const to = c === 64 ? '<@ID>' : (structs === null ? undefined : structs(stmt.slice(i, end))) ?? '<%ID>';
        s += stmt.slice(last, i) + to;
        last = end;
      }
      i = end;
    } else if (c === 34 /* " */) {
      const end = quoteEnd(stmt, i);
      if (i > 0 && stmt.charCodeAt(i - 1) === 99 /* c */ && (i < 2 || !isWordChar(stmt.charCodeAt(i - 2)))) {
        s += stmt.slice(last, i - 1) + ' <STRING>';
        last = end;
      } else if (kept !== null) {
        s += stmt.slice(last, i) + PLACEHOLDER;
        kept.push(stmt.slice(i, end));
        last = end;
      }
      i = end;
    } else i++;
  }
  return last === 0 ? stmt : s + stmt.slice(last);
}

/**
 * CG `PreprocessStatement`: `%names` → `<%ID>`, `@names` → `<@ID>`, hexadecimal then decimal
 * floats → `<FLOAT>`, space-preceded integers → ` <INT>` (not after `align` or `[`, and not at all
 * in extract/insert element/value), `c"…"` strings → ` <STRING>` (CG's leading space kept, so
 * `[2 x i8]  <STRING>`), and `iN ` → `<TYP> ` in extractelement/insertelement. Named struct types
 * known to `structs` are inlined first (CG does that on the raw line).
 */
function preprocessStatement(stmt: string, structs: StructLookup | null): string {
  const kept: string[] = [];
  let s = abstractNames(stmt, structs, kept);
  if (s.indexOf('0x') >= 0 || s.indexOf('0X') >= 0) s = s.replace(FLOAT_HEX, '<FLOAT>');
  if (s.indexOf('.') >= 0) s = s.replace(FLOAT_SCI, '<FLOAT>');
  const element = s.startsWith('<%ID> = ');
  if (!(element && NO_INT.test(s))) s = s.replace(INT, ' <INT>');
  if (element && INDEX_TYPES.test(s)) s = s.replace(INDEX_TYPE, '<TYP> ');
  if (kept.length > 0) {
    let k = 0;
    s = s.replace(PLACEHOLDERS, () => kept[k++]);
  }
  return s;
}

/** A label line (`5:  ; preds = %1, %4`) as CG abstracts it: `<LABEL>: ; preds = <LABEL>, <LABEL>`. */
function labelStatement(head: string, line: string): string {
  const at = line.indexOf('; preds = ');
  if (at < 0) return head;
  const preds = line.slice(at + 10).match(LOCAL_NAME);
  return `${head} ; preds = ${(preds ?? []).map(() => '<LABEL>').join(', ')}`;
}

type Pending = {
  text: string;
  kind: 'statement' | 'label' | 'switch' | 'landingpad' | 'continued';
  inFunction: boolean;
  /** For a label, its block's name as instructions refer to it (`%5`, `%entry`). */
  label?: string;
};

/**
 * One statement of inst2vecStatements: its preprocessed text and, from the raw line, the names it
 * defines and uses (what inst2vec's contextual flow graph is built from).
 */
export interface Inst2vecStatement {
  /** The preprocessed statement (an entry of Inst2vecPreprocessedText). */
  text: string;
  /** Index of the function (in `define` order, from 0) the statement is in; -1 at module level. */
  function: number;
  /**
   * Names the statement defines: `%x` of `%x = …`, a label's block name (`%5`), `@g` of a global,
   * `@f` and the `%arguments` of a `define` header.
   */
  defs: string[];
  /** Other `%`/`@` names the statement mentions (values, blocks, globals), named struct types excepted. */
  uses: string[];
  /** True for a block terminator (`ret`, `br`, `switch`, `invoke`, `unreachable`, …). */
  terminator: boolean;
}

const TERMINATOR = /^(?:%\S+ = )?(?:ret|br|switch|indirectbr|invoke|callbr|resume|unreachable|cleanupret|catchret|catchswitch)\b/;
const DEFINED = /^([%@](?:"[^"]*"|[-\w$.]+)) = /;

/** The `%`/`@` names of `s` outside quoted strings, in order, without repeats. */
function namesIn(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */ || c === 64 /* @ */) {
      const end = nameEnd(s, i);
      if (end > i + 1) out.add(s.slice(i, end));
      i = end;
    } else if (c === 34 /* " */) i = quoteEnd(s, i);
    else i++;
  }
  return [...out];
}

/**
 * The statements of an LLVM IR module, preprocessed for inst2vec, in module order: CompilerGym's
 * `Inst2vecPreprocessedText` observation (CG `Inst2vecEncoder.preprocess`; shape `string[]`, one
 * entry per kept statement, never an empty string; `[]` for a module with no statements). Look each
 * one up in inst2vec's vocabulary (CG `dictionary.pickle`, `!UNK` when absent) to get
 * `Inst2vecEmbeddingIndices`.
 *
 * What is kept: global variables, `define` headers (arguments abstracted, the `#N` attribute
 * reference and what follows it removed), instructions, basic-block labels
 * (`<LABEL>: ; preds = <LABEL>, …`), and the definitions of opaque (`opaque = type opaque`) and
 * packed (`<{ … }> = type <{ … }>`) struct types, which CG's inlining rewrites but does not drop.
 * What is dropped: blank lines, comments, `source_filename`/`target`/`attributes`/`module asm`
 * lines, `declare`s, metadata (`!…` lines and attachments), non-packed struct definitions, `}` and
 * `]` lines, comdats, aliases, `call void asm`, module summaries (`^…`), `uselistorder` and debug
 * records (`#dbg_value(…)` etc., LLVM 19+). Within statements: identifiers become `<%ID>`/`<@ID>`,
 * numbers `<INT>`/`<FLOAT>`, `c"…"` strings `<STRING>`, named struct types are replaced by their
 * literal type, and metadata/attribute references are removed, all with CG's rules (see
 * preprocessStatement / stripMetadataAndComments).
 *
 * Deliberate differences from CompilerGym (each fixes a CG bug that loses or corrupts information,
 * or supports IR newer than CG's LLVM 10):
 * - Multi-line statements are joined into one, as ncc does and as the inst2vec vocabulary holds
 *   them, with ncc's separator `"\n "`: `switch … [` with its case lines plus a closing `]`
 *   (`switch i32 <%ID>, label <%ID> [\n i32 <INT>, label <%ID>]`), `invoke`/`callbr` with their
 *   `to label …` line, `landingpad` with all its `cleanup`/`catch`/`filter` clauses (ncc: at most
 *   3). CG splits every line into its own "file", so it never joins and emits the pieces apart.
 * - Struct types are inlined by whole name, outside quoted strings (CG's `str.replace` turns
 *   `%struct.ab*` into `{ i32 }b*` when `%struct.a` exists), and for every module: CG's resolver
 *   only knows LLVM-10 member types, fails on e.g. `ptr` members or `x86_fp80` in nested structs,
 *   and then inlines nothing at all. Types bigger than STRUCT_INLINE_MAX_CHARS when inlined keep
 *   their name (so this stays linear). Numbered types (`%0 = type …`) are inlined only outside
 *   function bodies and `define` lines, where `%0` names a value instead.
 * - Module-level keywords are matched at the start of the line, as in ncc: CG drops every line
 *   that merely contains `declare`, `attributes`, `source_filename`, `target triple`, … (e.g.
 *   `call void @declare_x()` or a string constant), and throws on some lines containing `declare`
 *   (`GetFunctionsDeclaredInFile`). This function throws on no input.
 * - `#`, `!` and `;` cut the line only outside quoted strings (CG truncates
 *   `c"#include\00"` to `c"`); each `c"…"` is its own `<STRING>` (CG's greedy `c".+"` swallows
 *   everything between the first and the last quote of the line); quoted names (`%"a b"`,
 *   `@"\01x"`) become one `<%ID>`/`<@ID>`; names may contain `$`; other quoted text (asm strings,
 *   section names) is left verbatim instead of being partly abstracted.
 * - CG's metadata-argument loop never ends on `metadata !"…"` (constrained FP intrinsics); such
 *   arguments are removed here, and the loop stops when nothing changes.
 * - A label without predecessors is `<LABEL>:` (CG keeps `… ; No predecessors` with its padding).
 * - LLVM 11+ syntax: `0xR…` bfloat constants are `<FLOAT>`; integers followed by ` x ` are type
 *   dimensions (`<vscale x 4 x i32>`) and stay; every comdat kind is dropped, not only `any`;
 *   `#dbg_…` records, `^` summary entries and `uselistorder` lines are dropped. `ptr`, `noundef`,
 *   `poison`, `dso_local` etc. need nothing: they are kept as CG keeps any keyword.
 *
 * @param irText LLVM IR as text (any LLVM version; `\r\n` line ends accepted).
 * @returns the preprocessed statements, one string per statement, in module order.
 */
export function inst2vecPreprocess(irText: string): string[] {
  return inst2vecStatements(irText).map((s) => s.text);
}

/**
 * inst2vecPreprocess with each statement's function and the names it defines and uses: the input
 * of inst2vec's contextual flow graph (`scripts/inst2vec/xfg.ts`). Same statements, same order.
 * @param irText LLVM IR as text.
 */
export function inst2vecStatements(irText: string): Inst2vecStatement[] {
  const lines = irText.split('\n');
  const structs = structTypes(lines);
  // Struct types with their names abstracted, made on first use.
  const abstracted = new Map<string, string | null>();
  const lookup = (name: string): string | undefined => {
    let a = abstracted.get(name);
    if (a === undefined) {
      const body = structs.get(name);
      if (body === undefined) return undefined;
      a = body === null ? null : abstractNames(body, null, null);
      abstracted.set(name, a);
    }
    return a ?? undefined;
  };
  // In a function, `%0` names a value, not a numbered type.
  const lookupInFunction = (name: string): string | undefined => (NUMERIC_NAME.test(name) ? undefined : lookup(name));

  const out: Inst2vecStatement[] = [];
  let fn = -1;
  let pending: Pending | null = null;
  const flush = (): void => {
    if (pending === null) return;
    const p: Pending = pending;
    pending = null;
    const where = p.inFunction ? fn : -1;
    if (p.kind === 'label') {
      out.push({ text: p.text, function: where, defs: p.label === undefined ? [] : [p.label], uses: [], terminator: false });
      return;
    }
    const structLookup = structs.size === 0 ? null : p.inFunction ? lookupInFunction : lookup;
    const s = preprocessStatement(p.kind === 'switch' ? `${p.text}]` : p.text, structLookup);
    if (s === '') return;
    const names = namesIn(p.text).filter((n) => !(structs.has(n) && (!p.inFunction || !NUMERIC_NAME.test(n))));
    let defs: string[];
    if (p.text.startsWith('define ')) {
      // The function's name and its arguments: the names up to the parameter list's end.
      const close = p.text.lastIndexOf(')');
      // (`names` already leaves out struct types, but keeps `%0` arguments that a numbered type shares a name with.)
      defs = close < 0 ? names : namesIn(p.text.slice(0, close + 1)).filter((n) => names.includes(n));
    } else {
      const d = DEFINED.exec(p.text);
      defs = d === null ? [] : [d[1]];
    }
    out.push({ text: s, function: where, defs, uses: names.filter((n) => !defs.includes(n)), terminator: TERMINATOR.test(p.text) });
  };

  let inFunction = false;
  for (const raw of lines) {
    const t = raw.trim();
    if (t === '') continue;
    const c0 = t.charCodeAt(0);
    // Continuation lines of the pending multi-line statement.
    if (pending !== null) {
      const p: Pending = pending;
      if (p.kind === 'switch') {
        if (SWITCH_CASE.test(t)) {
          p.text += JOIN + stripMetadataAndComments(t);
          continue;
        }
        if (c0 === 93 /* ] */) {
          flush();
          continue;
        }
      } else if (p.kind === 'landingpad' && LANDINGPAD_CLAUSE.test(t)) {
        p.text += JOIN + stripMetadataAndComments(t);
        continue;
      } else if (p.kind === 'continued' && t.startsWith('to label ')) {
        p.text += JOIN + stripMetadataAndComments(t);
        p.kind = 'statement';
        continue;
      }
    }
    if (c0 === 59 /* ; */) {
      const old = t.startsWith('; <label>:') ? OLD_LABEL_DEF.exec(t) : null;
      if (old !== null) {
        flush();
        pending = { text: labelStatement(`; <label>:<LABEL>${old[1]}`, t), kind: 'label', inFunction, label: `%${t.slice(10).split(/[:\s]/)[0]}` };
      }
      continue;
    }
    if (c0 === 33 /* ! */ || c0 === 94 /* ^ */ || c0 === 35 /* # */ || c0 === 91 /* [ */ || c0 === 93 /* ] */ || c0 === 123 /* { */) continue;
    if (c0 === 125 /* } */) {
      if (raw.charCodeAt(0) === 125) inFunction = false;
      continue;
    }
    if (DROP_KEYWORD.test(t)) continue;
    if (c0 === 36 /* $ */ && COMDAT.test(t)) continue;
    if (c0 === 64 /* @ */ && t.indexOf('alias ') >= 0 && ALIAS.test(t.replace(QUOTED, '""'))) continue;
    if (t.indexOf('call void asm') >= 0) continue;
    if (c0 !== 37 /* % */ && LABEL_DEF.test(t)) {
      flush();
      pending = { text: labelStatement('<LABEL>:', t), kind: 'label', inFunction, label: `%${t.slice(0, LABEL_DEF.exec(t)![0].length - 1)}` };
      continue;
    }
    let s: string;
    if (c0 === 37 /* % */ && !inFunction && t.indexOf(' = type ') >= 0 && TYPE_DEF.test(t)) {
      // A struct definition: CG rewrites it with its own inlined type.
      const body = structs.get(TYPE_DEF.exec(t)![1]);
      if (body === undefined || body === null || body.charCodeAt(0) === 123 /* { */) continue;
      s = `${body} = type ${body}`;
    } else {
      if (t.startsWith('define ')) {
        flush();
        inFunction = true;
        fn++;
      }
      s = stripMetadataAndComments(t);
      if (s === '') continue;
    }
    flush();
    let kind: Pending['kind'] = 'statement';
    if (s.startsWith('switch ') && s.endsWith('[')) kind = 'switch';
    else if (LANDINGPAD.test(s)) kind = 'landingpad';
    else if (HAS_CONTINUATION.test(s)) kind = 'continued';
    pending = { text: s, kind, inFunction };
  }
  flush();
  return out;
}
