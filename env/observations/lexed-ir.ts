/**
 * The LexedIr observation (CompilerGym's `LexedIr`): the module's LLVM assembly text split into
 * tokens the way LLVM's own lexer (`lib/AsmParser/LLLexer.cpp`) splits it, returned as four
 * aligned arrays.
 *
 * Token kinds 0–415 are CompilerGym's: LLVM 10's `lltok::Kind`, in the order of
 * `compiler_gym/third_party/LexedIr/llvm_lexer_token_info.cc` (a copy of LLVM 10's
 * `include/llvm/AsmParser/LLToken.h`), with the same names and categories. Kinds from 416 up are
 * PassGym's additions for what LLVM 14–22 print and LLVM 10 did not know; see
 * {@link LEXED_IR_TOKEN_KINDS}.
 */

/**
 * CompilerGym's LexedIr value: one element per token in each of four aligned arrays (all of the
 * same length n). The keys and their order are CompilerGym's.
 */
export interface LexedIr {
  /** The token kind id (CompilerGym's int64 `token_id`): an index into LEXED_IR_TOKEN_KINDS. */
  token_id: number[];
  /** The kind's name, e.g. `kw_define`, `LocalVarID`, `Type`: LEXED_IR_TOKEN_KINDS[token_id]. */
  token_kind: string[];
  /** The kind's category, one of LEXED_IR_TOKEN_CATEGORIES: LEXED_IR_TOKEN_CATEGORY_OF[token_id]. */
  token_category: string[];
  /** The token's value; what it holds depends on the category (see lexIr). */
  token_value: string[];
}

/**
 * CompilerGym's 8 token categories (`llvm_lexer_token_category` in
 * `compiler_gym/third_party/LexedIr/llvm_lexer_token_info.h`), in its order. `unknown` is never
 * produced.
 */
export const LEXED_IR_TOKEN_CATEGORIES: readonly string[] = Object.freeze([
  'unknown', 'marker', 'keyword', 'uintval', 'strval', 'type', 'apfloat', 'apsint',
]);

/** How many token kinds CompilerGym has (ids 0–415, LLVM 10's `lltok::Kind`). */
export const LEXED_IR_COMPILER_GYM_KIND_COUNT = 416;

/** LLVM 10's `lltok::Kind` names, ids 0–415 (CompilerGym's table). */
const LLVM10_KINDS = [
  /*   0 */ 'Eof', 'Error', 'dotdotdot', 'equal', 'comma', 'star',
  /*   6 */ 'lsquare', 'rsquare', 'lbrace', 'rbrace', 'less', 'greater',
  /*  12 */ 'lparen', 'rparen', 'exclaim', 'bar', 'colon', 'kw_vscale',
  /*  18 */ 'kw_x', 'kw_true', 'kw_false', 'kw_declare', 'kw_define', 'kw_global',
  /*  24 */ 'kw_constant', 'kw_dso_local', 'kw_dso_preemptable', 'kw_private', 'kw_internal', 'kw_linkonce',
  /*  30 */ 'kw_linkonce_odr', 'kw_weak', 'kw_weak_odr', 'kw_appending', 'kw_dllimport', 'kw_dllexport',
  /*  36 */ 'kw_common', 'kw_available_externally', 'kw_default', 'kw_hidden', 'kw_protected', 'kw_unnamed_addr',
  /*  42 */ 'kw_local_unnamed_addr', 'kw_externally_initialized', 'kw_extern_weak', 'kw_external', 'kw_thread_local', 'kw_localdynamic',
  /*  48 */ 'kw_initialexec', 'kw_localexec', 'kw_zeroinitializer', 'kw_undef', 'kw_null', 'kw_none',
  /*  54 */ 'kw_to', 'kw_caller', 'kw_within', 'kw_from', 'kw_tail', 'kw_musttail',
  /*  60 */ 'kw_notail', 'kw_target', 'kw_triple', 'kw_source_filename', 'kw_unwind', 'kw_deplibs',
  /*  66 */ 'kw_datalayout', 'kw_volatile', 'kw_atomic', 'kw_unordered', 'kw_monotonic', 'kw_acquire',
  /*  72 */ 'kw_release', 'kw_acq_rel', 'kw_seq_cst', 'kw_syncscope', 'kw_nnan', 'kw_ninf',
  /*  78 */ 'kw_nsz', 'kw_arcp', 'kw_contract', 'kw_reassoc', 'kw_afn', 'kw_fast',
  /*  84 */ 'kw_nuw', 'kw_nsw', 'kw_exact', 'kw_inbounds', 'kw_inrange', 'kw_align',
  /*  90 */ 'kw_addrspace', 'kw_section', 'kw_partition', 'kw_alias', 'kw_ifunc', 'kw_module',
  /*  96 */ 'kw_asm', 'kw_sideeffect', 'kw_alignstack', 'kw_inteldialect', 'kw_gc', 'kw_prefix',
  /* 102 */ 'kw_prologue', 'kw_c', 'kw_cc', 'kw_ccc', 'kw_fastcc', 'kw_coldcc',
  /* 108 */ 'kw_intel_ocl_bicc', 'kw_cfguard_checkcc', 'kw_x86_stdcallcc', 'kw_x86_fastcallcc', 'kw_x86_thiscallcc', 'kw_x86_vectorcallcc',
  /* 114 */ 'kw_x86_regcallcc', 'kw_arm_apcscc', 'kw_arm_aapcscc', 'kw_arm_aapcs_vfpcc', 'kw_aarch64_vector_pcs', 'kw_aarch64_sve_vector_pcs',
  /* 120 */ 'kw_msp430_intrcc', 'kw_avr_intrcc', 'kw_avr_signalcc', 'kw_ptx_kernel', 'kw_ptx_device', 'kw_spir_kernel',
  /* 126 */ 'kw_spir_func', 'kw_x86_64_sysvcc', 'kw_win64cc', 'kw_webkit_jscc', 'kw_anyregcc', 'kw_swiftcc',
  /* 132 */ 'kw_preserve_mostcc', 'kw_preserve_allcc', 'kw_ghccc', 'kw_x86_intrcc', 'kw_hhvmcc', 'kw_hhvm_ccc',
  /* 138 */ 'kw_cxx_fast_tlscc', 'kw_amdgpu_vs', 'kw_amdgpu_ls', 'kw_amdgpu_hs', 'kw_amdgpu_es', 'kw_amdgpu_gs',
  /* 144 */ 'kw_amdgpu_ps', 'kw_amdgpu_cs', 'kw_amdgpu_kernel', 'kw_tailcc', 'kw_attributes', 'kw_allocsize',
  /* 150 */ 'kw_alwaysinline', 'kw_argmemonly', 'kw_sanitize_address', 'kw_sanitize_hwaddress', 'kw_sanitize_memtag', 'kw_builtin',
  /* 156 */ 'kw_byval', 'kw_inalloca', 'kw_cold', 'kw_convergent', 'kw_dereferenceable', 'kw_dereferenceable_or_null',
  /* 162 */ 'kw_inaccessiblememonly', 'kw_inaccessiblemem_or_argmemonly', 'kw_inlinehint', 'kw_inreg', 'kw_jumptable', 'kw_minsize',
  /* 168 */ 'kw_naked', 'kw_nest', 'kw_noalias', 'kw_nobuiltin', 'kw_nocapture', 'kw_noduplicate',
  /* 174 */ 'kw_nofree', 'kw_noimplicitfloat', 'kw_noinline', 'kw_norecurse', 'kw_nonlazybind', 'kw_nonnull',
  /* 180 */ 'kw_noredzone', 'kw_noreturn', 'kw_nosync', 'kw_nocf_check', 'kw_nounwind', 'kw_optforfuzzing',
  /* 186 */ 'kw_optnone', 'kw_optsize', 'kw_readnone', 'kw_readonly', 'kw_returned', 'kw_returns_twice',
  /* 192 */ 'kw_signext', 'kw_speculatable', 'kw_ssp', 'kw_sspreq', 'kw_sspstrong', 'kw_safestack',
  /* 198 */ 'kw_shadowcallstack', 'kw_sret', 'kw_sanitize_thread', 'kw_sanitize_memory', 'kw_speculative_load_hardening', 'kw_strictfp',
  /* 204 */ 'kw_swifterror', 'kw_swiftself', 'kw_uwtable', 'kw_willreturn', 'kw_writeonly', 'kw_zeroext',
  /* 210 */ 'kw_immarg', 'kw_type', 'kw_opaque', 'kw_comdat', 'kw_any', 'kw_exactmatch',
  /* 216 */ 'kw_largest', 'kw_noduplicates', 'kw_samesize', 'kw_eq', 'kw_ne', 'kw_slt',
  /* 222 */ 'kw_sgt', 'kw_sle', 'kw_sge', 'kw_ult', 'kw_ugt', 'kw_ule',
  /* 228 */ 'kw_uge', 'kw_oeq', 'kw_one', 'kw_olt', 'kw_ogt', 'kw_ole',
  /* 234 */ 'kw_oge', 'kw_ord', 'kw_uno', 'kw_ueq', 'kw_une', 'kw_xchg',
  /* 240 */ 'kw_nand', 'kw_max', 'kw_min', 'kw_umax', 'kw_umin', 'kw_fneg',
  /* 246 */ 'kw_add', 'kw_fadd', 'kw_sub', 'kw_fsub', 'kw_mul', 'kw_fmul',
  /* 252 */ 'kw_udiv', 'kw_sdiv', 'kw_fdiv', 'kw_urem', 'kw_srem', 'kw_frem',
  /* 258 */ 'kw_shl', 'kw_lshr', 'kw_ashr', 'kw_and', 'kw_or', 'kw_xor',
  /* 264 */ 'kw_icmp', 'kw_fcmp', 'kw_phi', 'kw_call', 'kw_trunc', 'kw_zext',
  /* 270 */ 'kw_sext', 'kw_fptrunc', 'kw_fpext', 'kw_uitofp', 'kw_sitofp', 'kw_fptoui',
  /* 276 */ 'kw_fptosi', 'kw_inttoptr', 'kw_ptrtoint', 'kw_bitcast', 'kw_addrspacecast', 'kw_select',
  /* 282 */ 'kw_va_arg', 'kw_landingpad', 'kw_personality', 'kw_cleanup', 'kw_catch', 'kw_filter',
  /* 288 */ 'kw_ret', 'kw_br', 'kw_switch', 'kw_indirectbr', 'kw_invoke', 'kw_resume',
  /* 294 */ 'kw_unreachable', 'kw_cleanupret', 'kw_catchswitch', 'kw_catchret', 'kw_catchpad', 'kw_cleanuppad',
  /* 300 */ 'kw_callbr', 'kw_alloca', 'kw_load', 'kw_store', 'kw_fence', 'kw_cmpxchg',
  /* 306 */ 'kw_atomicrmw', 'kw_getelementptr', 'kw_extractelement', 'kw_insertelement', 'kw_shufflevector', 'kw_extractvalue',
  /* 312 */ 'kw_insertvalue', 'kw_blockaddress', 'kw_freeze', 'kw_distinct', 'kw_uselistorder', 'kw_uselistorder_bb',
  /* 318 */ 'kw_path', 'kw_hash', 'kw_gv', 'kw_guid', 'kw_name', 'kw_summaries',
  /* 324 */ 'kw_flags', 'kw_linkage', 'kw_notEligibleToImport', 'kw_live', 'kw_dsoLocal', 'kw_canAutoHide',
  /* 330 */ 'kw_function', 'kw_insts', 'kw_funcFlags', 'kw_readNone', 'kw_readOnly', 'kw_noRecurse',
  /* 336 */ 'kw_returnDoesNotAlias', 'kw_noInline', 'kw_alwaysInline', 'kw_calls', 'kw_callee', 'kw_hotness',
  /* 342 */ 'kw_unknown', 'kw_hot', 'kw_critical', 'kw_relbf', 'kw_variable', 'kw_vTableFuncs',
  /* 348 */ 'kw_virtFunc', 'kw_aliasee', 'kw_refs', 'kw_typeIdInfo', 'kw_typeTests', 'kw_typeTestAssumeVCalls',
  /* 354 */ 'kw_typeCheckedLoadVCalls', 'kw_typeTestAssumeConstVCalls', 'kw_typeCheckedLoadConstVCalls', 'kw_vFuncId', 'kw_offset', 'kw_args',
  /* 360 */ 'kw_typeid', 'kw_typeidCompatibleVTable', 'kw_summary', 'kw_typeTestRes', 'kw_kind', 'kw_unsat',
  /* 366 */ 'kw_byteArray', 'kw_inline', 'kw_single', 'kw_allOnes', 'kw_sizeM1BitWidth', 'kw_alignLog2',
  /* 372 */ 'kw_sizeM1', 'kw_bitMask', 'kw_inlineBits', 'kw_wpdResolutions', 'kw_wpdRes', 'kw_indir',
  /* 378 */ 'kw_singleImpl', 'kw_branchFunnel', 'kw_singleImplName', 'kw_resByArg', 'kw_byArg', 'kw_uniformRetVal',
  /* 384 */ 'kw_uniqueRetVal', 'kw_virtualConstProp', 'kw_info', 'kw_byte', 'kw_bit', 'kw_varFlags',
  /* 390 */ 'LabelID', 'GlobalID', 'LocalVarID', 'AttrGrpID', 'SummaryID', 'LabelStr',
  /* 396 */ 'GlobalVar', 'ComdatVar', 'LocalVar', 'MetadataVar', 'StringConstant', 'DwarfTag',
  /* 402 */ 'DwarfAttEncoding', 'DwarfVirtuality', 'DwarfLang', 'DwarfCC', 'EmissionKind', 'NameTableKind',
  /* 408 */ 'DwarfOp', 'DIFlag', 'DISPFlag', 'DwarfMacinfo', 'ChecksumKind', 'Type',
  /* 414 */ 'APFloat', 'APSInt',
];

/**
 * Keywords LLVM 10 did not have, lexed as one `keyword` token each (ids 417 up, in this order):
 * first the `kw_*` kinds LLVM 14's `LLToken.h` added, in LLVM 14's order; then the ones LLVM 22's
 * `LLToken.h` added, in LLVM 22's order; then the attribute names of LLVM 22's
 * `llvm/IR/Attributes.inc` that neither had, in that file's order.
 */
const APPENDED_KEYWORDS = [
  /* 417 */ 'kw_poison', 'kw_swifttailcc', 'kw_amdgpu_gfx', 'kw_disable_sanitizer_instrumentation', 'kw_elementtype',
  /* 422 */ 'kw_noundef', 'kw_nocallback', 'kw_nomerge', 'kw_noprofile', 'kw_nosanitize_coverage',
  /* 427 */ 'kw_null_pointer_is_valid', 'kw_preallocated', 'kw_swiftasync', 'kw_vscale_range', 'kw_byref',
  /* 432 */ 'kw_mustprogress', 'kw_nodeduplicate', 'kw_dso_local_equivalent', 'kw_no_cfi', 'kw_blockcount',
  /* 437 */ 'kw_visibility', 'kw_noUnwind', 'kw_mayThrow', 'kw_hasUnknownCall', 'kw_mustBeUnreachable',
  /* 442 */ 'kw_params', 'kw_param', 'kw_vcall_visibility', 'kw_nusw', 'kw_disjoint',
  /* 447 */ 'kw_nneg', 'kw_samesign', 'kw_code_model', 'kw_aarch64_sme_preservemost_from_x0', 'kw_aarch64_sme_preservemost_from_x1',
  /* 452 */ 'kw_aarch64_sme_preservemost_from_x2', 'kw_preserve_nonecc', 'kw_amdgpu_cs_chain', 'kw_amdgpu_cs_chain_preserve', 'kw_amdgpu_gfx_whole_wave',
  /* 457 */ 'kw_m68k_rtdcc', 'kw_graalcc', 'kw_riscv_vector_cc', 'kw_riscv_vls_cc', 'kw_cheriot_compartmentcallcc',
  /* 462 */ 'kw_cheriot_compartmentcalleecc', 'kw_cheriot_librarycallcc', 'kw_sync', 'kw_async', 'kw_read',
  /* 467 */ 'kw_write', 'kw_readwrite', 'kw_argmem', 'kw_inaccessiblemem', 'kw_target_mem0',
  /* 472 */ 'kw_target_mem1', 'kw_errnomem', 'kw_address', 'kw_address_is_null', 'kw_provenance',
  /* 477 */ 'kw_read_provenance', 'kw_all', 'kw_nan', 'kw_snan', 'kw_qnan',
  /* 482 */ 'kw_inf', 'kw_pinf', 'kw_norm', 'kw_nnorm', 'kw_pnorm',
  /* 487 */ 'kw_nsub', 'kw_psub', 'kw_zero', 'kw_nzero', 'kw_pzero',
  /* 492 */ 'kw_fmax', 'kw_fmin', 'kw_fmaximum', 'kw_fminimum', 'kw_uinc_wrap',
  /* 497 */ 'kw_udec_wrap', 'kw_usub_cond', 'kw_usub_sat', 'kw_ptrtoaddr', 'kw_splat',
  /* 502 */ 'kw_ptrauth', 'kw_importType', 'kw_definition', 'kw_declaration', 'kw_callsites',
  /* 507 */ 'kw_clones', 'kw_stackIds', 'kw_allocs', 'kw_versions', 'kw_memProf',
  /* 512 */ 'kw_notcold', 'kw_no_sanitize_address', 'kw_no_sanitize_hwaddress', 'kw_sanitize_address_dyninit', 'kw_allocalign',
  /* 517 */ 'kw_allocptr', 'kw_coro_only_destroy_when_complete', 'kw_coro_elide_safe', 'kw_dead_on_return', 'kw_dead_on_unwind',
  /* 522 */ 'kw_fn_ret_thunk_extern', 'kw_hybrid_patchable', 'kw_nocreateundeforpoison', 'kw_nodivergencesource', 'kw_noext',
  /* 527 */ 'kw_nosanitize_bounds', 'kw_optdebug', 'kw_presplitcoroutine', 'kw_sanitize_alloc_token', 'kw_sanitize_numerical_stability',
  /* 532 */ 'kw_sanitize_realtime', 'kw_sanitize_realtime_blocking', 'kw_sanitize_type', 'kw_skipprofile', 'kw_writable',
  /* 537 */ 'kw_allockind', 'kw_captures', 'kw_memory', 'kw_nofpclass', 'kw_range',
  /* 542 */ 'kw_initializes',
];

/** String-valued kinds LLVM 10 did not have (LLVM 22's `LLToken.h`), appended after the keywords. */
const APPENDED_STRVAL_KINDS = ['DwarfSourceLangName', 'FixedPointKind', 'DbgRecordType', 'DwarfEnumKind'];

/**
 * The token kind names, indexed by token id.
 *
 * - 0–415: CompilerGym's table, LLVM 10's `lltok::Kind` (source: CompilerGym
 *   `compiler_gym/third_party/LexedIr/llvm_lexer_token_info.cc` and `LLToken.h`, i.e. LLVM 10.0.0's
 *   `include/llvm/AsmParser/LLToken.h`). Same ids, names and categories as CompilerGym.
 * - 416: `hash`, a bare `#` not followed by digits (LLVM 19+), category `keyword`.
 * - 417–542: `kw_<name>` for the keywords LLVM 10 did not know, category `keyword`, in this
 *   fixed order: LLVM 14's new `kw_*` kinds in LLVM 14's `LLToken.h` order (`kw_poison`,
 *   `kw_swifttailcc`, …, `kw_noundef`, `kw_nocallback`, …, `kw_mustprogress`, …,
 *   `kw_vcall_visibility`), then LLVM 22's new ones in LLVM 22's order (`kw_nusw`, `kw_disjoint`,
 *   `kw_nneg`, `kw_samesign`, …, `kw_read`, `kw_write`, `kw_readwrite`, `kw_argmem`, …,
 *   `kw_splat`, …, `kw_sanitize_address_dyninit`), then LLVM 22's attribute names that neither
 *   `LLToken.h` lists (`kw_allocalign`, …, `kw_captures`, `kw_memory`, `kw_nofpclass`,
 *   `kw_range`, `kw_initializes`).
 * - 543–546: `DwarfSourceLangName` (`DW_LNAME_*`), `FixedPointKind` (`Binary`, `Decimal`,
 *   `Rational`), `DbgRecordType` (`#dbg_value`, `#dbg_declare`, `#dbg_assign`, `#dbg_label`),
 *   `DwarfEnumKind` (`DW_APPLE_ENUM_KIND_*`), category `strval`.
 *
 * New type keywords (`ptr`, `bfloat`, `x86_amx`) are not new kinds: like every type keyword they
 * are `Type` (413, category `type`).
 */
export const LEXED_IR_TOKEN_KINDS: readonly string[] = Object.freeze([
  ...LLVM10_KINDS, 'hash', ...APPENDED_KEYWORDS, ...APPENDED_STRVAL_KINDS,
]);

/** Token id of each kind name (the inverse of LEXED_IR_TOKEN_KINDS). */
export const LEXED_IR_TOKEN_ID: ReadonlyMap<string, number> = new Map(LEXED_IR_TOKEN_KINDS.map((k, i) => [k, i]));

function categoryOf(id: number): string {
  if (id <= 1) return 'marker';
  if (id < 390) return 'keyword';
  if (id < 395) return 'uintval';
  if (id < 413) return 'strval';
  if (id === 413) return 'type';
  if (id === 414) return 'apfloat';
  if (id === 415) return 'apsint';
  return id >= LEXED_IR_TOKEN_KINDS.length - APPENDED_STRVAL_KINDS.length ? 'strval' : 'keyword';
}

/** The category name of each token kind, indexed by token id. */
export const LEXED_IR_TOKEN_CATEGORY_OF: readonly string[] = Object.freeze(LEXED_IR_TOKEN_KINDS.map((_, i) => categoryOf(i)));

// ---------------------------------------------------------------------------------------------
// Kind ids used by the lexer.

function id(name: string): number {
  const i = LEXED_IR_TOKEN_ID.get(name);
  if (i === undefined) throw new Error(`lexed-ir: no token kind ${name}`);
  return i;
}

const T_EOF = 0;
const T_ERROR = 1;
const T_DOTDOTDOT = id('dotdotdot');
const T_EQUAL = id('equal');
const T_COMMA = id('comma');
const T_STAR = id('star');
const T_LSQUARE = id('lsquare');
const T_RSQUARE = id('rsquare');
const T_LBRACE = id('lbrace');
const T_RBRACE = id('rbrace');
const T_LESS = id('less');
const T_GREATER = id('greater');
const T_LPAREN = id('lparen');
const T_RPAREN = id('rparen');
const T_EXCLAIM = id('exclaim');
const T_BAR = id('bar');
const T_COLON = id('colon');
const T_KW_CC = id('kw_cc');
const T_LABEL_ID = id('LabelID');
const T_GLOBAL_ID = id('GlobalID');
const T_LOCAL_VAR_ID = id('LocalVarID');
const T_ATTR_GRP_ID = id('AttrGrpID');
const T_SUMMARY_ID = id('SummaryID');
const T_LABEL_STR = id('LabelStr');
const T_GLOBAL_VAR = id('GlobalVar');
const T_COMDAT_VAR = id('ComdatVar');
const T_LOCAL_VAR = id('LocalVar');
const T_METADATA_VAR = id('MetadataVar');
const T_STRING_CONSTANT = id('StringConstant');
const T_DIFLAG = id('DIFlag');
const T_DISPFLAG = id('DISPFlag');
const T_CHECKSUM_KIND = id('ChecksumKind');
const T_TYPE = id('Type');
const T_APFLOAT = id('APFloat');
const T_APSINT = id('APSInt');
const T_HASH = id('hash');
const T_DBG_RECORD_TYPE = id('DbgRecordType');

/** What an identifier-like word lexes to when it is a whole keyword: kind id and value. */
interface Word {
  kind: number;
  value: string;
}

/** Exact words: every `kw_*` kind, the type keywords, and the word-valued strval kinds. */
const WORDS = new Map<string, Word>();
for (let i = 0; i < LEXED_IR_TOKEN_KINDS.length; i++) {
  const k = LEXED_IR_TOKEN_KINDS[i];
  if (k.startsWith('kw_')) WORDS.set(k.slice(3), { kind: i, value: '' });
}
// LLVM 10's type keywords plus bfloat (LLVM 11), x86_amx (LLVM 12) and ptr (LLVM 13+).
for (const t of ['void', 'half', 'bfloat', 'float', 'double', 'x86_fp80', 'fp128', 'ppc_fp128', 'label', 'metadata', 'x86_mmx', 'x86_amx', 'token', 'ptr']) {
  WORDS.set(t, { kind: T_TYPE, value: t });
}
for (const w of ['NoDebug', 'FullDebug', 'LineTablesOnly', 'DebugDirectivesOnly']) WORDS.set(w, { kind: id('EmissionKind'), value: w });
for (const w of ['GNU', 'Apple', 'None', 'Default']) WORDS.set(w, { kind: id('NameTableKind'), value: w });
for (const w of ['Binary', 'Decimal', 'Rational']) WORDS.set(w, { kind: id('FixedPointKind'), value: w });
const DBG_RECORD_TYPES = ['value', 'declare', 'assign', 'label'];
for (const r of DBG_RECORD_TYPES) WORDS.set(`dbg_${r}`, { kind: T_DBG_RECORD_TYPE, value: r });
const MAX_WORD = Math.max(...[...WORDS.keys()].map((w) => w.length));

/** `DW_<X>_` prefixes and their kinds, in LLVM's order of tests. */
const DWARF_PREFIXES: readonly [string, number][] = [
  ['DW_TAG_', id('DwarfTag')],
  ['DW_ATE_', id('DwarfAttEncoding')],
  ['DW_VIRTUALITY_', id('DwarfVirtuality')],
  ['DW_LANG_', id('DwarfLang')],
  ['DW_LNAME_', id('DwarfSourceLangName')],
  ['DW_CC_', id('DwarfCC')],
  ['DW_OP_', id('DwarfOp')],
  ['DW_MACINFO_', id('DwarfMacinfo')],
  ['DW_APPLE_ENUM_KIND_', id('DwarfEnumKind')],
];

/** LLVM 10's IntegerType::MAX_INT_BITS. */
const MAX_INT_BITS = (1 << 24) - 1;

// ---------------------------------------------------------------------------------------------
// Character classes (C locale, ASCII only, as LLVM's isalpha/isdigit/... on bytes).

const C_DIGIT = 1; // [0-9]
const C_HEX = 2; // [0-9A-Fa-f]
const C_ALPHA = 4; // [A-Za-z]
const C_LABEL = 8; // [-a-zA-Z$._0-9]   isLabelChar
const C_WORD = 16; // [a-zA-Z0-9_]      keyword characters
const C_VARSTART = 32; // [-a-zA-Z$._]  first character of a variable name
const C_MDNAME = 64; // [-a-zA-Z$._0-9\\] metadata name characters (!foo)
const C_PRINT = 128; // printable (0x20-0x7e) and not \ or "  (escape() keeps it)

const CLS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let f = 0;
  const digit = c >= 48 && c <= 57;
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (digit) f |= C_DIGIT;
  if (digit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) f |= C_HEX;
  if (alpha) f |= C_ALPHA;
  if (alpha || digit || ch === '-' || ch === '$' || ch === '.' || ch === '_') f |= C_LABEL | C_MDNAME;
  if (alpha || digit || ch === '_') f |= C_WORD;
  if (alpha || ch === '-' || ch === '$' || ch === '.' || ch === '_') f |= C_VARSTART;
  if (ch === '\\') f |= C_MDNAME;
  if (c >= 0x20 && c <= 0x7e && ch !== '\\' && ch !== '"') f |= C_PRINT;
  CLS[c] = f;
}

const HEX_DIGITS = '0123456789ABCDEF';

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/**
 * CompilerGym's strval value of raw lexed text `s[a, b)`: LLVM's UnEscapeLexed (`\\` → `\`,
 * `\XX` → the byte 0xXX, a lone `\` stays), then CompilerGym's `escape(…, true)`: bytes that are
 * printable ASCII other than `\` and `"` are kept, every other byte becomes `\` and two
 * upper-case hex digits. Characters above U+007F are taken as their UTF-8 bytes (the bytes
 * LLVM would see). `nul` is set when the unescaped text holds a NUL byte.
 */
function strValue(s: string, a: number, b: number, out: { nul: boolean }): string {
  let plain = true;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLS[c] & C_PRINT) === 0) {
      plain = false;
      break;
    }
  }
  out.nul = false;
  if (plain) return s.slice(a, b);
  let r = '';
  const byte = (v: number): void => {
    if (v < 128 && (CLS[v] & C_PRINT) !== 0) r += String.fromCharCode(v);
    else r += '\\' + HEX_DIGITS[v >> 4] + HEX_DIGITS[v & 15];
  };
  for (let i = a; i < b; ) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      const c1 = s.charCodeAt(i + 1);
      if (i < b - 1 && c1 === 92) {
        byte(92);
        i += 2;
        continue;
      }
      const c2 = s.charCodeAt(i + 2);
      if (i < b - 2 && c1 < 128 && c2 < 128 && (CLS[c1] & C_HEX) !== 0 && (CLS[c2] & C_HEX) !== 0) {
        const v = hexValue(c1) * 16 + hexValue(c2);
        if (v === 0) out.nul = true;
        byte(v);
        i += 3;
        continue;
      }
      byte(92);
      i++;
      continue;
    }
    if (c < 128) {
      if (c === 0) out.nul = true;
      byte(c);
      i++;
    } else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 63));
      i++;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < b && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      byte(0xf0 | (cp >> 18));
      byte(0x80 | ((cp >> 12) & 63));
      byte(0x80 | ((cp >> 6) & 63));
      byte(0x80 | (cp & 63));
      i += 2;
    } else {
      // A lone surrogate is encoded as U+FFFD would be by Buffer.from: EF BF BD.
      const cp = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
      byte(0xe0 | (cp >> 12));
      byte(0x80 | ((cp >> 6) & 63));
      byte(0x80 | (cp & 63));
      i++;
    }
  }
  return r;
}

/** The decimal value of the digits `s[a, b)` as text, without leading zeros. */
function decimal(s: string, a: number, b: number): string {
  while (a < b - 1 && s.charCodeAt(a) === 48) a++;
  return s.slice(a, b);
}

/**
 * Lexes LLVM assembly text into tokens as LLVM's lexer (`LLLexer::Lex`) does, continuing after
 * `Error` tokens as CompilerGym's `LexedIr::LexIR` does, and returns CompilerGym's LexedIr value.
 *
 * Shape: a {@link LexedIr} whose four arrays all have one element per token, in text order.
 * Whitespace (space, tab, CR, LF, NUL), `;` line comments and `/* … *\/` comments (not nested, as
 * LLVM 22 skips them) produce no token; the final `Eof` is not included. `token_id` indexes
 * {@link LEXED_IR_TOKEN_KINDS}; ids 0–415 are CompilerGym's (LLVM 10's `lltok::Kind`), higher ids
 * are PassGym's additions listed there.
 *
 * `token_value` by category (CompilerGym's intent, i.e. its LexIR built with an unbuffered
 * `raw_string_ostream`):
 * - `marker` (`Error`), `keyword`: `''`.
 * - `uintval` (`LabelID` `42:`, `GlobalID` `@42`, `LocalVarID` `%42`, `AttrGrpID` `#42`,
 *   `SummaryID` `^42`): the number in decimal, e.g. `'42'`.
 * - `strval`: the string or name without its sigil and quotes, unescaped as LLVM does and
 *   re-escaped as CompilerGym's `escape(s, true)`: `c"abc\00"` → StringConstant `abc\00`,
 *   `%"a b"` → LocalVar `a b`, `"q\22":` → LabelStr `q\22`, `!dbg` → MetadataVar `dbg`,
 *   `DW_TAG_member` → DwarfTag `DW_TAG_member`, `#dbg_value` → DbgRecordType `value`.
 * - `type`: the type as LLVM prints it: `i32`, `double`, `label`, `ptr` (`*` is a separate
 *   `star` token and named structs are LocalVar tokens).
 * - `apfloat`, `apsint`: the literal's text as written, e.g. `1.500000e+00`,
 *   `0x3FF0000000000000`, `-5`, `u0x1F`.
 *
 * Deliberate differences from CompilerGym (LLVM 10's lexer in CompilerGym's LexIR):
 * - Keywords, attributes and constructs LLVM 14–22 print but LLVM 10 did not know are one token
 *   each instead of a run of `Error` tokens (one per character, e.g. `noundef` → `Error Error
 *   kw_undef` in CompilerGym): `kw_<name>` kinds appended from id 417 (`noundef`, `poison`,
 *   `mustprogress`, `nocallback`, `memory`, `captures`, `splat`, `nneg`, `disjoint`, …), `ptr`,
 *   `bfloat` and `x86_amx` as `Type`, `0xR…` bfloat literals as `APFloat`, a bare `#` as `hash`
 *   (416), `Apple` as NameTableKind, and the strval kinds 543–546. LLVM 19+ lexes a debug record
 *   `#dbg_value(` as `hash` then DbgRecordType; here `#dbg_<record>` is a single DbgRecordType
 *   token (value `value`, `declare`, `assign` or `label`).
 * - `/* … *\/` comments are skipped, as LLVM 22 does (an unterminated one is one `Error`); LLVM 10
 *   gave `Error` tokens. A `/` that does not start a comment is `Error` in both.
 * - APFloat and APSInt values are the literal's text as written. CompilerGym prints the parsed
 *   number: with LLVM 10's buffered `raw_string_ostream` that is `''` for every uintval, type,
 *   apfloat and apsint token; unbuffered it is `APFloat::print` (`1.5\n`, a hexadecimal double
 *   as its decimal value) and `APSInt::print(…, isSigned=false)` (`-5` → `11`).
 * - uintval values are the decimal digits without leading zeros, not truncated to 32 bits.
 *
 * Everything else is LLVM's behaviour, quirks included: an unknown word gives one `Error` and
 * lexing restarts one character later; `cc<digits>` gives `kw_cc` then an integer; `i0` and
 * integer types wider than LLVM 10's 2^24-1 bits give `Error`; an unterminated string gives one
 * `Error` that takes the rest of the text; a quoted name or label holding a NUL byte gives
 * `Error`; characters above U+007F outside strings give one `Error` per UTF-8 byte; a word
 * followed by `:` is a LabelStr even where LLVM's parser would switch the lexer to
 * IgnoreColonInIdentifiers (`memory(argmem: read)`, summary entries `gv: (…)`), since CompilerGym
 * runs the lexer alone.
 *
 * The pass is linear in the text (no backtracking per character: the runs of name characters
 * LLVM's restarts rescan are cached): about 0.2 µs per token, e.g. 25 MB of IR (4.4 M tokens) in
 * about 1 s.
 *
 * @param text LLVM assembly text (e.g. the Ir observation).
 * @returns the tokens as CompilerGym's four aligned arrays.
 * @throws TypeError if `text` is not a string. Malformed IR never throws: it gives `Error` tokens.
 */
export function lexIr(text: string): LexedIr {
  if (typeof text !== 'string') throw new TypeError(`lexIr: text must be a string, got ${typeof text}`);
  const s = text;
  const n = s.length;
  // Kind ids go to a growable Int32Array and values to one array; the name arrays are filled
  // once at the end (four pushes per token were most of the time).
  let ids = new Int32Array(Math.max(64, n >> 2));
  let count = 0;
  const vals: string[] = [];
  const nul = { nul: false };

  const emit = (kind: number, value: string): void => {
    if (count === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[count++] = kind;
    vals.push(value);
  };

  // Caches of the end of the current run of characters of one class, so that the rescans LLVM
  // does after an Error (restart one character later) stay linear overall. All characters in
  // [from, end) have the class, so from any p in [from, end] the run ends at `end`.
  let labelFrom = -1;
  let labelEnd = -1;
  /** First index >= p that is not a label character [-a-zA-Z$._0-9]. */
  const labelRunEnd = (p: number): number => {
    if (p >= labelFrom && p <= labelEnd) return labelEnd;
    let e = p;
    for (; e < n; e++) {
      const c = s.charCodeAt(e);
      if (c >= 128 || (CLS[c] & C_LABEL) === 0) break;
    }
    labelFrom = p;
    labelEnd = e;
    return e;
  };
  let wordFrom = -1;
  let wordEnd = -1;
  /** First index >= p that is not a keyword character [a-zA-Z0-9_]. */
  const wordRunEnd = (p: number): number => {
    if (p >= wordFrom && p <= wordEnd) return wordEnd;
    let e = p;
    for (; e < n; e++) {
      const c = s.charCodeAt(e);
      if (c >= 128 || (CLS[c] & C_WORD) === 0) break;
    }
    wordFrom = p;
    wordEnd = e;
    return e;
  };
  let hexFrom = -1;
  let hexEnd = -1;
  /** First index >= p that is not a hex digit. */
  const hexRunEnd = (p: number): number => {
    if (p >= hexFrom && p <= hexEnd) return hexEnd;
    let e = p;
    for (; e < n; e++) {
      const c = s.charCodeAt(e);
      if (c >= 128 || (CLS[c] & C_HEX) === 0) break;
    }
    hexFrom = p;
    hexEnd = e;
    return e;
  };
  /** First index >= p that is not a decimal digit. */
  const digitRunEnd = (p: number): number => {
    let e = p;
    for (; e < n; e++) {
      const c = s.charCodeAt(e);
      if (c < 48 || c > 57) break;
    }
    return e;
  };
  const isDigitAt = (p: number): boolean => {
    const c = s.charCodeAt(p); // NaN past the end: false
    return c >= 48 && c <= 57;
  };
  const clsAt = (p: number): number => {
    const c = s.charCodeAt(p);
    return c < 128 ? CLS[c] : 0; // NaN < 128 is false: 0 past the end
  };
  /** LLVM's isLabelTail(p): the index after the ':' ending a run of label characters, or -1. */
  const labelTail = (p: number): number => {
    const e = labelRunEnd(p);
    return s.charCodeAt(e) === 58 /* : */ ? e + 1 : -1;
  };
  /** The mantissa tail of a decimal float after its '.' at `p`: [0-9]*([eE][-+]?[0-9]+)? */
  const floatTail = (p: number): number => {
    p = digitRunEnd(p + 1);
    const e = s.charCodeAt(p);
    if (e === 101 || e === 69 /* e E */) {
      const c1 = s.charCodeAt(p + 1);
      if (isDigitAt(p + 1)) p = digitRunEnd(p + 2);
      else if ((c1 === 45 || c1 === 43) && isDigitAt(p + 2)) p = digitRunEnd(p + 3);
    }
    return p;
  };

  let pos = 0;
  while (pos < n) {
    const start = pos;
    const c = s.charCodeAt(pos++);
    switch (c) {
      case 0: case 32: case 9: case 10: case 13: // NUL and whitespace
        continue;
      case 59: { // ; line comment
        while (pos < n) {
          const d = s.charCodeAt(pos);
          if (d === 10 || d === 13) break;
          pos++;
        }
        continue;
      }
      case 47: { // / : a /* C comment */ (not nested, as LLVM 22 skips it), else Error
        if (s.charCodeAt(pos) !== 42) {
          emit(T_ERROR, '');
          continue;
        }
        const close = s.indexOf('*/', pos + 1);
        if (close < 0) {
          pos = n;
          emit(T_ERROR, ''); // unterminated comment
        } else {
          pos = close + 2;
        }
        continue;
      }
      case 61: emit(T_EQUAL, ''); continue;
      case 44: emit(T_COMMA, ''); continue;
      case 42: emit(T_STAR, ''); continue;
      case 91: emit(T_LSQUARE, ''); continue;
      case 93: emit(T_RSQUARE, ''); continue;
      case 123: emit(T_LBRACE, ''); continue;
      case 125: emit(T_RBRACE, ''); continue;
      case 60: emit(T_LESS, ''); continue;
      case 62: emit(T_GREATER, ''); continue;
      case 40: emit(T_LPAREN, ''); continue;
      case 41: emit(T_RPAREN, ''); continue;
      case 124: emit(T_BAR, ''); continue;
      case 58: emit(T_COLON, ''); continue;
      case 37: // %
      case 64: { // @
        const isLocal = c === 37;
        if (s.charCodeAt(pos) === 34 /* " */) {
          const q = s.indexOf('"', pos + 1);
          if (q < 0) {
            pos = n;
            emit(T_ERROR, '');
            continue;
          }
          const v = strValue(s, pos + 1, q, nul);
          pos = q + 1;
          if (nul.nul) emit(T_ERROR, '');
          else emit(isLocal ? T_LOCAL_VAR : T_GLOBAL_VAR, v);
          continue;
        }
        if (clsAt(pos) & C_VARSTART) {
          const e = labelRunEnd(pos + 1);
          emit(isLocal ? T_LOCAL_VAR : T_GLOBAL_VAR, s.slice(pos, e));
          pos = e;
          continue;
        }
        if (isDigitAt(pos)) {
          const e = digitRunEnd(pos + 1);
          emit(isLocal ? T_LOCAL_VAR_ID : T_GLOBAL_ID, decimal(s, pos, e));
          pos = e;
          continue;
        }
        emit(T_ERROR, '');
        continue;
      }
      case 36: { // $
        const tail = labelTail(start);
        if (tail >= 0) {
          emit(T_LABEL_STR, s.slice(start, tail - 1));
          pos = tail;
          continue;
        }
        if (s.charCodeAt(pos) === 34) {
          const q = s.indexOf('"', pos + 1);
          if (q < 0) {
            pos = n;
            emit(T_ERROR, '');
            continue;
          }
          const v = strValue(s, pos + 1, q, nul);
          pos = q + 1;
          emit(nul.nul ? T_ERROR : T_COMDAT_VAR, nul.nul ? '' : v);
          continue;
        }
        if (clsAt(pos) & C_VARSTART) {
          const e = labelRunEnd(pos + 1);
          emit(T_COMDAT_VAR, s.slice(pos, e));
          pos = e;
          continue;
        }
        emit(T_ERROR, '');
        continue;
      }
      case 34: { // " : StringConstant, or LabelStr when followed by ':'
        const q = s.indexOf('"', pos);
        if (q < 0) {
          pos = n;
          emit(T_ERROR, '');
          continue;
        }
        const v = strValue(s, pos, q, nul);
        pos = q + 1;
        if (s.charCodeAt(pos) === 58) {
          pos++;
          if (nul.nul) emit(T_ERROR, '');
          else emit(T_LABEL_STR, v);
        } else {
          emit(T_STRING_CONSTANT, v);
        }
        continue;
      }
      case 46: { // . : label, '...', else Error
        const tail = labelTail(pos);
        if (tail >= 0) {
          emit(T_LABEL_STR, s.slice(start, tail - 1));
          pos = tail;
          continue;
        }
        if (s.charCodeAt(pos) === 46 && s.charCodeAt(pos + 1) === 46) {
          pos += 2;
          emit(T_DOTDOTDOT, '');
          continue;
        }
        emit(T_ERROR, '');
        continue;
      }
      case 33: { // ! : MetadataVar or exclaim
        if ((clsAt(pos) & C_VARSTART) !== 0 || s.charCodeAt(pos) === 92) {
          let e = pos + 1;
          while (clsAt(e) & C_MDNAME) e++;
          emit(T_METADATA_VAR, strValue(s, pos, e, nul));
          pos = e;
          continue;
        }
        emit(T_EXCLAIM, '');
        continue;
      }
      case 94: { // ^ : SummaryID
        if (isDigitAt(pos)) {
          const e = digitRunEnd(pos + 1);
          emit(T_SUMMARY_ID, decimal(s, pos, e));
          pos = e;
          continue;
        }
        emit(T_ERROR, '');
        continue;
      }
      case 35: { // # : AttrGrpID, #dbg_<record>, or hash
        if (isDigitAt(pos)) {
          const e = digitRunEnd(pos + 1);
          emit(T_ATTR_GRP_ID, decimal(s, pos, e));
          pos = e;
          continue;
        }
        if (s.startsWith('dbg_', pos)) {
          const e = wordRunEnd(pos);
          const w = WORDS.get(s.slice(pos, e));
          if (w !== undefined && w.kind === T_DBG_RECORD_TYPE && !(clsAt(e) & C_LABEL) && s.charCodeAt(e) !== 58) {
            emit(T_DBG_RECORD_TYPE, w.value);
            pos = e;
            continue;
          }
        }
        emit(T_HASH, '');
        continue;
      }
      case 43: { // + : a decimal float
        if (!isDigitAt(pos)) {
          emit(T_ERROR, '');
          continue;
        }
        const e = digitRunEnd(pos + 1);
        if (s.charCodeAt(e) !== 46) {
          emit(T_ERROR, '');
          continue; // pos = start + 1
        }
        pos = floatTail(e);
        emit(T_APFLOAT, s.slice(start, pos));
        continue;
      }
      case 45: // -
      case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55: case 56: case 57: {
        const first = c !== 45;
        if (!first && !isDigitAt(pos)) {
          // '-' then not a digit: a label like -foo:
          const tail = labelTail(pos);
          if (tail >= 0) {
            emit(T_LABEL_STR, s.slice(start, tail - 1));
            pos = tail;
          } else {
            emit(T_ERROR, '');
          }
          continue;
        }
        const e = digitRunEnd(pos);
        const next = s.charCodeAt(e);
        if (first && next === 58) { // 42:
          emit(T_LABEL_ID, decimal(s, start, e));
          pos = e + 1;
          continue;
        }
        if (next === 58 || clsAt(e) & C_LABEL) {
          const tail = labelTail(e);
          if (tail >= 0) { // a label such as -1: or 1abc:
            emit(T_LABEL_STR, s.slice(start, tail - 1));
            pos = tail;
            continue;
          }
        }
        if (next !== 46) {
          if (c === 48 && s.charCodeAt(start + 1) === 120 /* x */) {
            // Hexadecimal float: 0x…, 0xK…, 0xL…, 0xM…, 0xH…, 0xR… (bfloat, LLVM 11+).
            let p = start + 2;
            const k = s.charCodeAt(p);
            if ((k >= 75 && k <= 77) || k === 72 || k === 82) p++;
            const cp = s.charCodeAt(p);
            if (!(cp < 128 && CLS[cp] & C_HEX)) {
              pos = start + 1;
              emit(T_ERROR, '');
              continue;
            }
            pos = hexRunEnd(p);
            emit(T_APFLOAT, s.slice(start, pos));
            continue;
          }
          pos = e;
          emit(T_APSINT, s.slice(start, e));
          continue;
        }
        pos = floatTail(e);
        emit(T_APFLOAT, s.slice(start, pos));
        continue;
      }
      default: {
        if ((c < 128 && (CLS[c] & C_ALPHA) !== 0) || c === 95 /* _ */) {
          pos = lexWord(start);
          continue;
        }
        // Any other byte is an Error; a character above U+007F is one Error per UTF-8 byte.
        let bytes = 1;
        if (c >= 0x80) {
          if (c < 0x800) bytes = 2;
          else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(pos) & 0xfc00) === 0xdc00) {
            bytes = 4;
            pos++;
          } else bytes = 3;
        }
        for (let i = 0; i < bytes; i++) emit(T_ERROR, '');
        continue;
      }
    }
  }

  /**
   * LLVM's LexIdentifier for a word starting at `start` ([a-zA-Z_]): a label, an integer type,
   * a keyword, a prefixed strval word, a [us]0x hex integer, `cc<N>`, or an Error one character
   * long. Returns the position after the token.
   */
  function lexWord(start: number): number {
    const le = labelRunEnd(start + 1);
    if (s.charCodeAt(le) === 58) { // foo:
      emit(T_LABEL_STR, s.slice(start, le));
      return le + 1;
    }
    if (s.charCodeAt(start) === 105 /* i */ && isDigitAt(start + 1)) {
      const e = digitRunEnd(start + 1);
      let a = start + 1;
      while (a < e - 1 && s.charCodeAt(a) === 48) a++;
      const bits = e - a <= 8 ? Number(s.slice(a, e)) : Infinity;
      if (bits < 1 || bits > MAX_INT_BITS) emit(T_ERROR, '');
      else emit(T_TYPE, `i${bits}`);
      return e;
    }
    const ke = wordRunEnd(start + 1);
    const len = ke - start;
    if (len <= MAX_WORD) {
      const w = WORDS.get(s.slice(start, ke));
      if (w !== undefined) {
        emit(w.kind, w.value);
        return ke;
      }
    }
    const c0 = s.charCodeAt(start);
    if (c0 === 68 /* D */) {
      if (s.startsWith('DW_', start)) {
        for (const [prefix, kind] of DWARF_PREFIXES) {
          if (s.startsWith(prefix, start)) {
            emit(kind, s.slice(start, ke));
            return ke;
          }
        }
      } else if (s.startsWith('DIFlag', start)) {
        emit(T_DIFLAG, s.slice(start, ke));
        return ke;
      } else if (s.startsWith('DISPFlag', start)) {
        emit(T_DISPFLAG, s.slice(start, ke));
        return ke;
      }
    } else if (c0 === 67 /* C */ && s.startsWith('CSK_', start)) {
      emit(T_CHECKSUM_KIND, s.slice(start, ke));
      return ke;
    }
    if ((c0 === 117 || c0 === 115) /* u s */ && s.charCodeAt(start + 1) === 48 && s.charCodeAt(start + 2) === 120 && clsAt(start + 3) & C_HEX) {
      if (hexRunEnd(start + 3) < ke) {
        emit(T_ERROR, '');
        return start + 3;
      }
      emit(T_APSINT, s.slice(start, ke));
      return ke;
    }
    if (c0 === 99 && s.charCodeAt(start + 1) === 99) { // cc<N> is kw_cc, then the rest
      emit(T_KW_CC, '');
      return start + 2;
    }
    emit(T_ERROR, '');
    return start + 1;
  }

  const KINDS = LEXED_IR_TOKEN_KINDS;
  const CATS = LEXED_IR_TOKEN_CATEGORY_OF;
  const tokenId: number[] = new Array<number>(count);
  const tokenKind: string[] = new Array<string>(count);
  const tokenCategory: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const k = ids[i];
    tokenId[i] = k;
    tokenKind[i] = KINDS[k];
    tokenCategory[i] = CATS[k];
  }
  return { token_id: tokenId, token_kind: tokenKind, token_category: tokenCategory, token_value: vals };
}

/** The Eof kind id (never produced by lexIr, which stops at the end of the text). */
export const LEXED_IR_EOF = T_EOF;
