/**
 * The coreset agent (`--agent coreset`): evaluates each sequence of a coreset built on the train
 * splits (`artifact.ts`) on the program, one compilation each, keeps the best, and with the
 * budget left continues from the best ones with the evolutionary local search (`evolve.ts`).
 * After Coreset-NVP (Liang et al., ICML 2023), which reaches 4.5% below -Oz with at most 45
 * compilations by choosing among a small set of good sequences, without its value predictor: every
 * sequence of the coreset (up to the budget) is tried.
 *
 * On a runnable benchmark the chosen sequence is built and run against the program's -O0 output
 * (two more compilations, counted: the sequence applied and its replay by `validate()`) and, if it changes the output, the next best is tried.
 */
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { findLlvm } from '../../env/llvm/library';
import { makeRng } from '../../env/spaces';
import { splitOfUri } from '../../env/datasets/splits';
import { coresetPath, coresetSequences, loadCoreset } from './artifact';
import { evolveSequences, inLanes } from './evolve';
import { SequenceEvaluator, SequenceScore, sequenceKey } from './sequence-evaluator';

/**
 * Options: `coreset` (file, default the shipped one for the loaded LLVM), `size` (use the first k
 * sequences, default all), `localSearch` (spend the budget left on local search, default true),
 * `validate` (check a runnable program's output, default true).
 * @throws Error for an unknown or out-of-range option; PassGymError when the coreset file is missing or invalid.
 */
export function coresetAgent(options: AgentOptions): Agent {
  checkOptionKeys('coreset', options, ['coreset', 'size', 'localSearch', 'validate']);
  const file = typeof options.coreset === 'string' ? options.coreset : coresetPath(findLlvm().major);
  const artifact = loadCoreset(file);
  const size = numberOption(options, 'size', artifact.sequences.length, 1);
  const localSearch = options.localSearch !== false;
  const validate = options.validate !== false;
  const trained = new Set(artifact.train.programs);
  return {
    name: 'coreset',
    async run(context: AgentContext): Promise<AgentResult> {
      const t0 = performance.now();
      const deadline = context.budget.seconds === undefined ? undefined : t0 + context.budget.seconds * 1000;
      const steps = context.budget.steps ?? Infinity;
      const first = await context.makeEnv({ observationSpace: null, rewardSpace: null });
      let runnable: boolean;
      let sequences: number[][];
      let actions: number[];
      try {
        runnable = validate && (await first.observe('IsRunnable')) === true;
        sequences = coresetSequences(artifact, first.actionSpace, file).slice(0, size);
        actions = first.actionSpace.safeIndices();
      } finally {
        await first.close();
      }
      const ev = await SequenceEvaluator.open(() => context.makeEnv({ observationSpace: null, rewardSpace: null }), { lanes: Math.max(1, context.parallelism) });
      let validations = 0;
      try {
        // An output check is two compilations: the sequence applied, and validate()'s replay of it.
        const CHECK = 2;
        const reserve = runnable ? CHECK : 0;
        const limit = Math.max(0, steps - reserve);
        const outOfBudget = () => ev.stats.compilations >= limit || (deadline !== undefined && performance.now() >= deadline);
        const scores: SequenceScore[] = [];
        let k = 0;
        await inLanes(ev.lanes, () => (k < sequences.length ? ((s) => async () => void scores.push(await ev.evaluate(s)))(sequences[k++]) : null), outOfBudget);
        const fromCoreset = ev.stats.compilations;
        let ranked = [...scores].sort((a, b) => b.ratio - a.ratio);
        if (localSearch && !outOfBudget() && ranked.length) {
          const found = await evolveSequences(ev, {
            budget: limit - ev.stats.compilations,
            actions,
            seeds: ranked.slice(0, 8).map((s) => s.actions),
            rng: makeRng(`coreset-agent-${context.seed}`),
            deadline,
          });
          const unique = new Map([...found, ...ranked].map((x) => [sequenceKey(x.actions), x]));
          ranked = [...unique.values()].sort((a, b) => b.ratio - a.ratio);
        }
        let checkedPasses = 0;
        let best: SequenceScore = { actions: [], count: ev.countO0, ratio: ev.emptyRatio };
        for (const s of ranked) {
          if (s.count === null || s.ratio <= best.ratio) break;
          if (!runnable) {
            best = s;
            break;
          }
          // The first check is reserved; later ones only within the budget and the time left.
          if (validations > 0 && (ev.stats.compilations + (validations + 1) * CHECK > steps || (deadline !== undefined && performance.now() >= deadline))) break;
          validations++;
          checkedPasses += 2 * s.actions.length;
          const env = await context.makeEnv({ observationSpace: null, rewardSpace: null });
          try {
            const r = await env.multistep(s.actions);
            const v = r.info.error_type ? null : await env.validate();
            if (v && v.ok && !v.semanticsValidationFailed) {
              best = s;
              break;
            }
          } finally {
            await env.close();
          }
        }
        return {
          actions: [...best.actions],
          steps: ev.stats.compilations + validations * CHECK,
          passes: ev.stats.passes + checkedPasses,
          stats: {
            coresetSize: sequences.length,
            fromCoreset,
            localSearch: ev.stats.compilations - fromCoreset,
            outputChecks: validations,
            failures: ev.stats.failures,
            cacheHits: ev.stats.cacheHits,
            inTraining: trained.has(context.benchmark) ? 1 : 0,
            split: splitOfUri(context.benchmark) ?? 'none',
          },
        };
      } finally {
        await ev.close();
      }
    },
  };
}
