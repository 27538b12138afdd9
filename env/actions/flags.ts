/**
 * CompilerGym's `PassesAll` action space mapped to LLVM 14 new-pass-manager (NPM) pipeline elements.
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
 *  4. otherwise `null`, with the reason in `note` (`-prune-eh` has no NPM port). `-flattencfg` is kept
 *     although it can crash LLVM 14: crash recovery turns that into a step error.
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
  /** The NPM pipeline element that reproduces the flag, as it must appear inside `module(...)`,
   *  e.g. "adce", "function(loop-mssa(licm))", "early-cse<memssa>"; null when there is none. */
  pipeline: string | null;
  /** Why there is no equivalent, or what adaptor/spelling was needed and why (short). */
  note?: string;
}

/** CompilerGym's 124 `PassesAll` flags in action-index order, with their LLVM 14 NPM element. */
export const COMPILERGYM_FLAGS: readonly FlagMapping[] = [
  { flag: '-add-discriminators', pipeline: 'add-discriminators' },
  { flag: '-adce', pipeline: 'adce' },
  { flag: '-aggressive-instcombine', pipeline: 'aggressive-instcombine' },
  { flag: '-alignment-from-assumptions', pipeline: 'alignment-from-assumptions' },
  { flag: '-always-inline', pipeline: 'always-inline' },
  { flag: '-argpromotion', pipeline: 'argpromotion' },
  { flag: '-attributor', pipeline: 'attributor' },
  {
    flag: '-barrier',
    pipeline: 'no-op-module',
    note: 'Legacy BarrierNoop only split legacy pass-manager runs and never changes IR; NPM has no barrier, and no-op-module is the same IR no-op.',
  },
  { flag: '-bdce', pipeline: 'bdce' },
  { flag: '-break-crit-edges', pipeline: 'break-crit-edges' },
  { flag: '-simplifycfg', pipeline: 'simplifycfg' },
  { flag: '-callsite-splitting', pipeline: 'callsite-splitting' },
  { flag: '-called-value-propagation', pipeline: 'called-value-propagation' },
  { flag: '-canonicalize-aliases', pipeline: 'canonicalize-aliases' },
  { flag: '-consthoist', pipeline: 'consthoist' },
  { flag: '-constmerge', pipeline: 'constmerge' },
  {
    flag: '-constprop',
    pipeline: 'instsimplify',
    note: 'ConstantPropagation was removed in LLVM 12 (its tests moved to instsimplify, which does the same constant folding and more). Same pipeline as -instsimplify.',
  },
  { flag: '-coro-cleanup', pipeline: 'coro-cleanup' },
  { flag: '-coro-early', pipeline: 'coro-early' },
  { flag: '-coro-elide', pipeline: 'coro-elide' },
  { flag: '-coro-split', pipeline: 'coro-split' },
  { flag: '-correlated-propagation', pipeline: 'correlated-propagation' },
  { flag: '-cross-dso-cfi', pipeline: 'cross-dso-cfi' },
  { flag: '-deadargelim', pipeline: 'deadargelim' },
  { flag: '-dce', pipeline: 'dce' },
  {
    flag: '-die',
    pipeline: 'dce',
    note: 'DeadInstElimination was removed in LLVM 12; dce removes the same trivially dead instructions (and repeats until nothing changes). Same pipeline as -dce.',
  },
  { flag: '-dse', pipeline: 'dse' },
  { flag: '-reg2mem', pipeline: 'reg2mem' },
  { flag: '-div-rem-pairs', pipeline: 'div-rem-pairs' },
  {
    flag: '-early-cse-memssa',
    pipeline: 'early-cse<memssa>',
    note: 'NPM spells the MemorySSA variant as a parameter.',
  },
  { flag: '-early-cse', pipeline: 'early-cse' },
  { flag: '-elim-avail-extern', pipeline: 'elim-avail-extern' },
  { flag: '-ee-instrument', pipeline: 'ee-instrument' },
  {
    flag: '-flattencfg',
    pipeline: 'flattencfg',
    note: 'Kept although LLVM 14 FlattenCFG can segfault on unreachable cycles with a conditional branch (the llvm/llvm-project#56875 pattern; seen once in 2,500 fuzzed sequences x 10 modules). PassGym runs passes in worker processes, so such a step returns error_type WorkerCrash and the session stays at its last good state.',
  },
  { flag: '-float2int', pipeline: 'float2int' },
  { flag: '-forceattrs', pipeline: 'forceattrs' },
  { flag: '-inline', pipeline: 'inline' },
  { flag: '-insert-gcov-profiling', pipeline: 'insert-gcov-profiling' },
  { flag: '-gvn-hoist', pipeline: 'gvn-hoist' },
  { flag: '-gvn', pipeline: 'gvn' },
  { flag: '-globaldce', pipeline: 'globaldce' },
  { flag: '-globalopt', pipeline: 'globalopt' },
  { flag: '-globalsplit', pipeline: 'globalsplit' },
  { flag: '-guard-widening', pipeline: 'guard-widening' },
  { flag: '-hotcoldsplit', pipeline: 'hotcoldsplit' },
  {
    flag: '-ipconstprop',
    pipeline: 'ipsccp',
    note: 'IPConstantPropagation was removed in LLVM 12; ipsccp does the same interprocedural constant propagation and more. Same pipeline as -ipsccp.',
  },
  { flag: '-ipsccp', pipeline: 'ipsccp' },
  { flag: '-indvars', pipeline: 'indvars' },
  { flag: '-irce', pipeline: 'irce' },
  { flag: '-infer-address-spaces', pipeline: 'infer-address-spaces' },
  { flag: '-inferattrs', pipeline: 'inferattrs' },
  { flag: '-inject-tli-mappings', pipeline: 'inject-tli-mappings' },
  { flag: '-instsimplify', pipeline: 'instsimplify' },
  { flag: '-instcombine', pipeline: 'instcombine' },
  { flag: '-instnamer', pipeline: 'instnamer' },
  { flag: '-jump-threading', pipeline: 'jump-threading' },
  { flag: '-lcssa', pipeline: 'lcssa' },
  {
    flag: '-licm',
    pipeline: 'function(loop-mssa(licm))',
    note: 'LLVM 14 LICM aborts ("LICM requires MemorySSA (loop-mssa)") unless its loop pipeline keeps MemorySSA; loop-mssa(...) is only accepted inside function(...).',
  },
  { flag: '-libcalls-shrinkwrap', pipeline: 'libcalls-shrinkwrap' },
  { flag: '-load-store-vectorizer', pipeline: 'load-store-vectorizer' },
  { flag: '-loop-data-prefetch', pipeline: 'loop-data-prefetch' },
  { flag: '-loop-deletion', pipeline: 'loop-deletion' },
  { flag: '-loop-distribute', pipeline: 'loop-distribute' },
  { flag: '-loop-fusion', pipeline: 'loop-fusion' },
  {
    flag: '-loop-guard-widening',
    pipeline: 'function(loop(guard-widening))',
    note: 'The loop form of GuardWidening has the same NPM name as the function form. A bare "guard-widening" inside module(...) gets the function pass (= -guard-widening), so the loop scope is written out.',
  },
  { flag: '-loop-idiom', pipeline: 'loop-idiom' },
  { flag: '-loop-instsimplify', pipeline: 'loop-instsimplify' },
  { flag: '-loop-interchange', pipeline: 'loop-interchange' },
  { flag: '-loop-load-elim', pipeline: 'loop-load-elim' },
  { flag: '-loop-predication', pipeline: 'loop-predication' },
  { flag: '-loop-reroll', pipeline: 'loop-reroll' },
  { flag: '-loop-rotate', pipeline: 'loop-rotate' },
  { flag: '-loop-simplifycfg', pipeline: 'loop-simplifycfg' },
  { flag: '-loop-simplify', pipeline: 'loop-simplify' },
  { flag: '-loop-sink', pipeline: 'loop-sink' },
  { flag: '-loop-reduce', pipeline: 'loop-reduce' },
  { flag: '-loop-unroll-and-jam', pipeline: 'loop-unroll-and-jam' },
  { flag: '-loop-unroll', pipeline: 'loop-unroll' },
  {
    flag: '-loop-unswitch',
    pipeline: 'simple-loop-unswitch<nontrivial>',
    note: 'The old LoopUnswitch pass is legacy-PM only (removed in LLVM 15). The NPM replacement is SimpleLoopUnswitch with non-trivial unswitching; -simple-loop-unswitch stays trivial-only.',
  },
  { flag: '-loop-vectorize', pipeline: 'loop-vectorize' },
  { flag: '-loop-versioning-licm', pipeline: 'loop-versioning-licm' },
  { flag: '-loop-versioning', pipeline: 'loop-versioning' },
  { flag: '-loweratomic', pipeline: 'loweratomic' },
  { flag: '-lower-constant-intrinsics', pipeline: 'lower-constant-intrinsics' },
  { flag: '-lower-expect', pipeline: 'lower-expect' },
  { flag: '-lower-guard-intrinsic', pipeline: 'lower-guard-intrinsic' },
  { flag: '-lowerinvoke', pipeline: 'lowerinvoke' },
  { flag: '-lower-matrix-intrinsics', pipeline: 'lower-matrix-intrinsics' },
  { flag: '-lowerswitch', pipeline: 'lowerswitch' },
  { flag: '-lower-widenable-condition', pipeline: 'lower-widenable-condition' },
  { flag: '-memcpyopt', pipeline: 'memcpyopt' },
  { flag: '-mergefunc', pipeline: 'mergefunc' },
  { flag: '-mergeicmps', pipeline: 'mergeicmps' },
  { flag: '-mldst-motion', pipeline: 'mldst-motion' },
  {
    flag: '-sancov',
    pipeline: 'sancov-module',
    note: 'NPM name of ModuleSanitizerCoverage. With default options it leaves IR unchanged here.',
  },
  { flag: '-name-anon-globals', pipeline: 'name-anon-globals' },
  { flag: '-nary-reassociate', pipeline: 'nary-reassociate' },
  { flag: '-newgvn', pipeline: 'newgvn' },
  { flag: '-pgo-memop-opt', pipeline: 'pgo-memop-opt' },
  { flag: '-partial-inliner', pipeline: 'partial-inliner' },
  { flag: '-partially-inline-libcalls', pipeline: 'partially-inline-libcalls' },
  {
    flag: '-post-inline-ee-instrument',
    pipeline: 'ee-instrument<post-inline>',
    note: 'NPM spells the post-inline variant as a parameter.',
  },
  {
    flag: '-functionattrs',
    pipeline: 'function-attrs',
    note: 'NPM name. It is a CGSCC pass, which module(...) wraps in cgscc(...).',
  },
  { flag: '-mem2reg', pipeline: 'mem2reg' },
  {
    flag: '-prune-eh',
    pipeline: null,
    note: 'PruneEH is legacy-PM only in LLVM 14, with no NPM port. NPM pipelines replace it with function-attrs (nounwind inference) plus simplifycfg, so no single pass is equivalent.',
  },
  { flag: '-reassociate', pipeline: 'reassociate' },
  { flag: '-redundant-dbg-inst-elim', pipeline: 'redundant-dbg-inst-elim' },
  {
    flag: '-rpo-functionattrs',
    pipeline: 'rpo-function-attrs',
    note: 'NPM name.',
  },
  { flag: '-rewrite-statepoints-for-gc', pipeline: 'rewrite-statepoints-for-gc' },
  { flag: '-sccp', pipeline: 'sccp' },
  { flag: '-slp-vectorizer', pipeline: 'slp-vectorizer' },
  { flag: '-sroa', pipeline: 'sroa' },
  { flag: '-scalarizer', pipeline: 'scalarizer' },
  { flag: '-separate-const-offset-from-gep', pipeline: 'separate-const-offset-from-gep' },
  { flag: '-simple-loop-unswitch', pipeline: 'simple-loop-unswitch' },
  { flag: '-sink', pipeline: 'sink' },
  { flag: '-speculative-execution', pipeline: 'speculative-execution' },
  { flag: '-slsr', pipeline: 'slsr' },
  { flag: '-strip-dead-prototypes', pipeline: 'strip-dead-prototypes' },
  { flag: '-strip-debug-declare', pipeline: 'strip-debug-declare' },
  { flag: '-strip-nondebug', pipeline: 'strip-nondebug' },
  { flag: '-strip', pipeline: 'strip' },
  { flag: '-tailcallelim', pipeline: 'tailcallelim' },
  { flag: '-mergereturn', pipeline: 'mergereturn' },
];
