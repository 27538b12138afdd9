/**
 * CompilerGym's `PassesAll` action space mapped to new-pass-manager (NPM) pipeline elements of
 * LLVM 14 to 22.
 *
 * Source of the flags and their order: CompilerGym v0.2.5,
 * `compiler_gym/envs/llvm/service/passes/10.0.0/flags.txt` (124 legacy-PM flags for LLVM 10.0.0,
 * without `-gvn-sink`, which CompilerGym left out because it is nondeterministic). Row i is
 * CompilerGym action i.
 *
 * How each flag was mapped, in this order of preference:
 *  1. the same pass name in the NPM (112 flags);
 *  2. the NPM spelling of the same pass (`early-cse<memssa>`, `function-attrs`, `rpo-function-attrs`,
 *     `ee-instrument<post-inline>`, `sancov-module`);
 *  3. for passes removed from LLVM, the pass that replaced them (`constprop` -> `instsimplify`,
 *     `die` -> `dce`, `ipconstprop` -> `ipsccp`, `loop-unswitch` -> `simple-loop-unswitch<nontrivial>`,
 *     `barrier` -> `no-op-module`);
 *  4. otherwise no spelling, with the reason in `note` (`-prune-eh` has no NPM port). `-flattencfg` is
 *     kept although it can crash LLVM 14: crash recovery turns that into a step error.
 * Where LLVM changed a spelling after 14, a flag lists its spellings newest first, and the action
 * is the first one the loaded LLVM's pipeline parser accepts (LLVM rejects unknown names, and a
 * parameter it does not know): `instcombine<no-verify-fixpoint>` (LLVM 18+) before `instcombine`,
 * and `flatten-cfg`, `lower-atomic`, `lower-invoke`, `lower-switch` before LLVM 14's
 * `flattencfg`, `loweratomic`, `lowerinvoke`, `lowerswitch`. Every spelling of a flag names the
 * same action (`env.step("instcombine")` works on every version). docs/llvm-versions.md lists
 * what each version keeps.
 * An element is written the way it must appear inside `module(...)`. Function, CGSCC and plain
 * loop passes can be written bare there, because opt wraps each one in its own adaptor. A loop pass
 * that needs MemorySSA must be written `function(loop-mssa(NAME))`; in LLVM 14 that is only `licm`.
 * The loop form of guard-widening must be written `function(loop(guard-widening))`.
 *
 * Checked against Debian LLVM 14.0.6 `opt-14` on llvm-stress-14 modules (seeds 1..10, size 300):
 *  - every non-null element gives exit 0 and empty stderr, both as `module(E)` and as
 *    `module(instcombine,E,gvn)`, on all 10 modules;
 *  - 2,000 random sequences of 5-30 elements x 10 modules (20,000 runs) had no crash, error or
 *    timeout. The same held for 1,000 sequences x 10 modules with `invalidate<all>` between
 *    elements. An earlier run of 2,500 x 10 that still included `flattencfg` crashed once, in
 *    FlattenCFG;
 *  - running a single `module(a,b,c,...)` does not always equal running `module(a)`, then
 *    `module(b)`, and so on in separate processes with bitcode in between. The NPM keeps analyses
 *    such as DominatorTree, LoopInfo and SCEV across elements within one process, and some of them
 *    change the output: 8 of 400 sequences differed. Each one reduced to a loop pass
 *    (loop-predication, irce, indvars, loop-reroll, loop guard-widening) before licm or
 *    loop-simplifycfg, or to licm before simple-loop-unswitch<nontrivial>. With `invalidate<all>`
 *    between elements
 *    (`module(a,invalidate<all>,b,...)`), 400 of 400 sequences gave the same IR. 343 of those
 *    were byte-identical and the rest differed only in the numeric suffixes of value names.
 *    Passing `.ll` files between the separate runs loses use-list order and breaks the match
 *    (11 of 200 sequences differed).
 */

/** One CompilerGym legacy flag and what PassGym does with it. */
export interface FlagMapping {
  /** CompilerGym's flag, e.g. "-adce" (index order = CompilerGym's PassesAll order). */
  flag: string;
  /** The NPM pipeline elements that reproduce the flag, as they must appear inside `module(...)`,
   *  e.g. ["adce"], ["function(loop-mssa(licm))"], ["flatten-cfg", "flattencfg"], in order of
   *  preference: the action is the first one the loaded LLVM parses. Empty when there is none. */
  spellings: readonly string[];
  /** Why there is no equivalent, or what adaptor/spelling was needed and why (short). */
  note?: string;
}

/** CompilerGym's 124 `PassesAll` flags in action-index order, with their NPM spellings. */
export const COMPILERGYM_FLAGS: readonly FlagMapping[] = [
  { flag: '-add-discriminators', spellings: ['add-discriminators'] },
  { flag: '-adce', spellings: ['adce'] },
  { flag: '-aggressive-instcombine', spellings: ['aggressive-instcombine'] },
  { flag: '-alignment-from-assumptions', spellings: ['alignment-from-assumptions'] },
  { flag: '-always-inline', spellings: ['always-inline'] },
  { flag: '-argpromotion', spellings: ['argpromotion'] },
  { flag: '-attributor', spellings: ['attributor'] },
  {
    flag: '-barrier',
    spellings: ['no-op-module'],
    note: 'Legacy BarrierNoop only split legacy pass-manager runs and never changes IR; NPM has no barrier, and no-op-module is the same IR no-op.',
  },
  { flag: '-bdce', spellings: ['bdce'] },
  { flag: '-break-crit-edges', spellings: ['break-crit-edges'] },
  { flag: '-simplifycfg', spellings: ['simplifycfg'] },
  { flag: '-callsite-splitting', spellings: ['callsite-splitting'] },
  { flag: '-called-value-propagation', spellings: ['called-value-propagation'] },
  { flag: '-canonicalize-aliases', spellings: ['canonicalize-aliases'] },
  { flag: '-consthoist', spellings: ['consthoist'] },
  { flag: '-constmerge', spellings: ['constmerge'] },
  {
    flag: '-constprop',
    spellings: ['instsimplify'],
    note: 'ConstantPropagation was removed in LLVM 12 (its tests moved to instsimplify, which does the same constant folding and more). Same pipeline as -instsimplify.',
  },
  { flag: '-coro-cleanup', spellings: ['coro-cleanup'] },
  { flag: '-coro-early', spellings: ['coro-early'] },
  { flag: '-coro-elide', spellings: ['coro-elide'] },
  { flag: '-coro-split', spellings: ['coro-split'] },
  { flag: '-correlated-propagation', spellings: ['correlated-propagation'] },
  { flag: '-cross-dso-cfi', spellings: ['cross-dso-cfi'] },
  { flag: '-deadargelim', spellings: ['deadargelim'] },
  { flag: '-dce', spellings: ['dce'] },
  {
    flag: '-die',
    spellings: ['dce'],
    note: 'DeadInstElimination was removed in LLVM 12; dce removes the same trivially dead instructions (and repeats until nothing changes). Same pipeline as -dce.',
  },
  { flag: '-dse', spellings: ['dse'] },
  { flag: '-reg2mem', spellings: ['reg2mem'] },
  { flag: '-div-rem-pairs', spellings: ['div-rem-pairs'] },
  {
    flag: '-early-cse-memssa',
    spellings: ['early-cse<memssa>'],
    note: 'NPM spells the MemorySSA variant as a parameter.',
  },
  { flag: '-early-cse', spellings: ['early-cse'] },
  { flag: '-elim-avail-extern', spellings: ['elim-avail-extern'] },
  { flag: '-ee-instrument', spellings: ['ee-instrument'] },
  {
    flag: '-flattencfg',
    spellings: ['flatten-cfg', 'flattencfg'],
    note: 'Renamed flatten-cfg in newer LLVMs; LLVM 14 knows it as flattencfg. Kept although LLVM 14 FlattenCFG can segfault on unreachable cycles with a conditional branch (the llvm/llvm-project#56875 pattern; seen once in 2,500 fuzzed sequences x 10 modules). PassGym runs passes in worker processes, so such a step returns error_type WorkerCrash and the session stays at its last good state.',
  },
  { flag: '-float2int', spellings: ['float2int'] },
  { flag: '-forceattrs', spellings: ['forceattrs'] },
  { flag: '-inline', spellings: ['inline'] },
  { flag: '-insert-gcov-profiling', spellings: ['insert-gcov-profiling'] },
  { flag: '-gvn-hoist', spellings: ['gvn-hoist'] },
  { flag: '-gvn', spellings: ['gvn'] },
  { flag: '-globaldce', spellings: ['globaldce'] },
  { flag: '-globalopt', spellings: ['globalopt'] },
  { flag: '-globalsplit', spellings: ['globalsplit'] },
  { flag: '-guard-widening', spellings: ['guard-widening'] },
  { flag: '-hotcoldsplit', spellings: ['hotcoldsplit'] },
  {
    flag: '-ipconstprop',
    spellings: ['ipsccp'],
    note: 'IPConstantPropagation was removed in LLVM 12; ipsccp does the same interprocedural constant propagation and more. Same pipeline as -ipsccp.',
  },
  { flag: '-ipsccp', spellings: ['ipsccp'] },
  { flag: '-indvars', spellings: ['indvars'] },
  { flag: '-irce', spellings: ['irce'] },
  { flag: '-infer-address-spaces', spellings: ['infer-address-spaces'] },
  { flag: '-inferattrs', spellings: ['inferattrs'] },
  { flag: '-inject-tli-mappings', spellings: ['inject-tli-mappings'] },
  { flag: '-instsimplify', spellings: ['instsimplify'] },
  {
    flag: '-instcombine',
    spellings: ['instcombine<no-verify-fixpoint>', 'instcombine'],
    note: 'From LLVM 18, a bare instcombine in a pipeline string checks that it reached a fixpoint in one iteration and aborts the process when it did not ("Instruction Combining did not reach a fixpoint"); instcombine<no-verify-fixpoint> is what instcombine did before. LLVM 14-17 reject that parameter and get instcombine.',
  },
  { flag: '-instnamer', spellings: ['instnamer'] },
  { flag: '-jump-threading', spellings: ['jump-threading'] },
  { flag: '-lcssa', spellings: ['lcssa'] },
  {
    flag: '-licm',
    spellings: ['function(loop-mssa(licm))'],
    note: 'LLVM 14 LICM aborts ("LICM requires MemorySSA (loop-mssa)") unless its loop pipeline keeps MemorySSA; loop-mssa(...) is only accepted inside function(...).',
  },
  { flag: '-libcalls-shrinkwrap', spellings: ['libcalls-shrinkwrap'] },
  { flag: '-load-store-vectorizer', spellings: ['load-store-vectorizer'] },
  { flag: '-loop-data-prefetch', spellings: ['loop-data-prefetch'] },
  { flag: '-loop-deletion', spellings: ['loop-deletion'] },
  { flag: '-loop-distribute', spellings: ['loop-distribute'] },
  { flag: '-loop-fusion', spellings: ['loop-fusion'] },
  {
    flag: '-loop-guard-widening',
    spellings: ['function(loop(guard-widening))'],
    note: 'The loop form of GuardWidening has the same NPM name as the function form. A bare "guard-widening" inside module(...) gets the function pass (= -guard-widening), so the loop scope is written out.',
  },
  { flag: '-loop-idiom', spellings: ['loop-idiom'] },
  { flag: '-loop-instsimplify', spellings: ['loop-instsimplify'] },
  { flag: '-loop-interchange', spellings: ['loop-interchange'] },
  { flag: '-loop-load-elim', spellings: ['loop-load-elim'] },
  { flag: '-loop-predication', spellings: ['loop-predication'] },
  { flag: '-loop-reroll', spellings: ['loop-reroll'], note: 'LoopReroll was removed from LLVM (LLVM 19 and 22 reject it); kept where the loaded LLVM still has it.' },
  { flag: '-loop-rotate', spellings: ['loop-rotate'] },
  { flag: '-loop-simplifycfg', spellings: ['loop-simplifycfg'] },
  { flag: '-loop-simplify', spellings: ['loop-simplify'] },
  { flag: '-loop-sink', spellings: ['loop-sink'] },
  { flag: '-loop-reduce', spellings: ['loop-reduce'] },
  { flag: '-loop-unroll-and-jam', spellings: ['loop-unroll-and-jam'] },
  { flag: '-loop-unroll', spellings: ['loop-unroll'] },
  {
    flag: '-loop-unswitch',
    spellings: ['simple-loop-unswitch<nontrivial>'],
    note: 'The old LoopUnswitch pass is legacy-PM only (removed in LLVM 15). The NPM replacement is SimpleLoopUnswitch with non-trivial unswitching; -simple-loop-unswitch stays trivial-only.',
  },
  { flag: '-loop-vectorize', spellings: ['loop-vectorize'] },
  { flag: '-loop-versioning-licm', spellings: ['loop-versioning-licm'] },
  { flag: '-loop-versioning', spellings: ['loop-versioning'] },
  { flag: '-loweratomic', spellings: ['lower-atomic', 'loweratomic'], note: 'Renamed lower-atomic in newer LLVMs; LLVM 14 knows it as loweratomic.' },
  { flag: '-lower-constant-intrinsics', spellings: ['lower-constant-intrinsics'] },
  { flag: '-lower-expect', spellings: ['lower-expect'] },
  { flag: '-lower-guard-intrinsic', spellings: ['lower-guard-intrinsic'] },
  { flag: '-lowerinvoke', spellings: ['lower-invoke', 'lowerinvoke'], note: 'Renamed lower-invoke in newer LLVMs; LLVM 14 knows it as lowerinvoke.' },
  { flag: '-lower-matrix-intrinsics', spellings: ['lower-matrix-intrinsics'] },
  { flag: '-lowerswitch', spellings: ['lower-switch', 'lowerswitch'], note: 'Renamed lower-switch in newer LLVMs; LLVM 14 knows it as lowerswitch.' },
  { flag: '-lower-widenable-condition', spellings: ['lower-widenable-condition'] },
  { flag: '-memcpyopt', spellings: ['memcpyopt'] },
  { flag: '-mergefunc', spellings: ['mergefunc'] },
  { flag: '-mergeicmps', spellings: ['mergeicmps'] },
  { flag: '-mldst-motion', spellings: ['mldst-motion'] },
  {
    flag: '-sancov',
    spellings: ['sancov-module'],
    note: 'NPM name of ModuleSanitizerCoverage. With default options it leaves IR unchanged here.',
  },
  { flag: '-name-anon-globals', spellings: ['name-anon-globals'] },
  { flag: '-nary-reassociate', spellings: ['nary-reassociate'] },
  { flag: '-newgvn', spellings: ['newgvn'] },
  { flag: '-pgo-memop-opt', spellings: ['pgo-memop-opt'] },
  { flag: '-partial-inliner', spellings: ['partial-inliner'] },
  { flag: '-partially-inline-libcalls', spellings: ['partially-inline-libcalls'] },
  {
    flag: '-post-inline-ee-instrument',
    spellings: ['ee-instrument<post-inline>'],
    note: 'NPM spells the post-inline variant as a parameter.',
  },
  {
    flag: '-functionattrs',
    spellings: ['function-attrs'],
    note: 'NPM name. It is a CGSCC pass, which module(...) wraps in cgscc(...).',
  },
  { flag: '-mem2reg', spellings: ['mem2reg'] },
  {
    flag: '-prune-eh',
    spellings: [],
    note: 'PruneEH never had an NPM port (legacy PM only in LLVM 14, removed later). NPM pipelines replace it with function-attrs (nounwind inference) plus simplifycfg, so no single pass is equivalent.',
  },
  { flag: '-reassociate', spellings: ['reassociate'] },
  { flag: '-redundant-dbg-inst-elim', spellings: ['redundant-dbg-inst-elim'] },
  {
    flag: '-rpo-functionattrs',
    spellings: ['rpo-function-attrs'],
    note: 'NPM name.',
  },
  { flag: '-rewrite-statepoints-for-gc', spellings: ['rewrite-statepoints-for-gc'] },
  { flag: '-sccp', spellings: ['sccp'] },
  { flag: '-slp-vectorizer', spellings: ['slp-vectorizer'] },
  { flag: '-sroa', spellings: ['sroa'] },
  { flag: '-scalarizer', spellings: ['scalarizer'] },
  { flag: '-separate-const-offset-from-gep', spellings: ['separate-const-offset-from-gep'] },
  { flag: '-simple-loop-unswitch', spellings: ['simple-loop-unswitch'] },
  { flag: '-sink', spellings: ['sink'] },
  { flag: '-speculative-execution', spellings: ['speculative-execution'] },
  { flag: '-slsr', spellings: ['slsr'] },
  { flag: '-strip-dead-prototypes', spellings: ['strip-dead-prototypes'] },
  { flag: '-strip-debug-declare', spellings: ['strip-debug-declare'] },
  { flag: '-strip-nondebug', spellings: ['strip-nondebug'] },
  { flag: '-strip', spellings: ['strip'] },
  { flag: '-tailcallelim', spellings: ['tailcallelim'] },
  { flag: '-mergereturn', spellings: ['mergereturn'] },
];

/** The flag whose spellings include `element`, if any. */
export function flagOfElement(element: string): FlagMapping | undefined {
  return COMPILERGYM_FLAGS.find((f) => f.spellings.includes(element));
}

/**
 * Every spelling of the action `element` stands for: its flag's spellings, or `[element]` for a
 * pipeline that no flag lists (`default<Oz>`).
 */
export function spellingsOf(element: string): readonly string[] {
  return flagOfElement(element)?.spellings ?? [element];
}
