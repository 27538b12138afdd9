/**
 * The prompt of the LLM prior. It gives the model the program's state and the search's history,
 * as the Reasoning Compiler (Tang et al., 2025) does for its proposals inside MCTS:
 *  - the task and the reward (IrInstructionCountOz: 1.0 = as small as -Oz);
 *  - sizes: IR instructions now, at -O0 and after -Oz;
 *  - an InstCount summary (the non-zero opcode counts) and an Autophase summary (non-zero features);
 *  - the size of each defined function and a bounded excerpt of the IR of the largest ones;
 *  - the pass vocabulary with one line per pass (`pass-descriptions.ts`);
 *  - the passes applied so far with the reward each gave;
 *  - the best sequence found so far and its reward;
 * and asks for a ranked list of next passes or short sequences as JSON (`answer.ts` validates it).
 */
import { sha256 } from '../../env/cache';
import { AUTOPHASE_NAMES, INSTCOUNT_NAMES } from '../../env/observations';
import type { HistoryStep } from '../mcts/prior';
import { functionSizes, irExcerpt } from './ir-summary';
import { PASS_DESCRIPTIONS, describePass } from './pass-descriptions';

/** A chat message of the OpenAI chat-completions format. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The state a prompt describes. */
export interface PromptState {
  benchmark: string;
  /** InstCount observation (70 values, `INSTCOUNT_NAMES` order). */
  instCount: readonly number[];
  /** Autophase observation (56 values, `AUTOPHASE_NAMES` order). */
  autophase: readonly number[];
  /** The module's printed IR (`Ir` observation). */
  ir: string;
  /** IrInstructionCountO0 and IrInstructionCountOz of the benchmark. */
  instructionsO0: number;
  instructionsOz: number;
  /** Passes applied so far, with the reward each gave. */
  history: readonly HistoryStep[];
  /** Best sequence found so far and its episode reward. */
  best: { actions: readonly number[]; value: number };
  /** Action names (pipeline elements), indexed like the action space. */
  actionNames: readonly string[];
}

/** Sizes of the prompt's parts. */
export interface PromptLimits {
  /** Proposals asked for (default 5). */
  maxProposals: number;
  /** Characters of IR excerpt (default 4,000). */
  irChars: number;
  /** Functions listed by size (default 20). */
  maxFunctions: number;
  /** Steps of history shown; older ones are summarised (default 40). */
  maxHistory: number;
}

/** Default prompt sizes. */
export const DEFAULT_PROMPT_LIMITS: PromptLimits = { maxProposals: 5, irChars: 4000, maxFunctions: 20, maxHistory: 40 };

const SYSTEM = [
  'You are an LLVM optimisation expert choosing the next passes of an LLVM 14 new-pass-manager pipeline.',
  'Goal: make the module as small as possible, counted in LLVM IR instructions.',
  'Reward of a sequence: (instructions at -O0 - instructions now) / (instructions at -O0 - instructions after -Oz); 1.0 equals -Oz, above 1.0 beats it.',
  'Passes are applied one at a time, in the order you give, to the current module.',
  'Answer with JSON only, no prose, in exactly this form:',
  '{"proposals": [{"passes": ["pass-name", ...], "why": "short reason"}, ...]}',
  'Each proposal is one pass or a short sequence of at most 4 passes from the vocabulary, most promising first.',
].join('\n');

/**
 * Version of the prompt: the template and the pass table. Cached answers are keyed by it, and
 * results name it.
 */
export const PROMPT_VERSION = `llm-prior-v1-${sha256(SYSTEM + '\n' + JSON.stringify(PASS_DESCRIPTIONS)).slice(0, 8)}`;

function nonZero(names: readonly string[], values: readonly number[]): string {
  const parts = names.map((n, i) => ({ n, v: values[i] ?? 0 })).filter((x) => x.v !== 0);
  return parts.length ? parts.map((x) => `${x.n}=${x.v}`).join(' ') : '(all zero)';
}

/**
 * The chat messages (system, user) for a state.
 * @throws Error when an action has no description (see `describePass`).
 */
export function buildPrompt(state: PromptState, limits: PromptLimits = DEFAULT_PROMPT_LIMITS): ChatMessage[] {
  const name = (a: number) => state.actionNames[a] ?? `#${a}`;
  const now = state.instCount[0] ?? 0;
  const functions = functionSizes(state.ir);
  const lines: string[] = [];
  lines.push(`Program: ${state.benchmark}`);
  lines.push(`IR instructions: now ${now}, at -O0 ${state.instructionsO0}, after -Oz ${state.instructionsOz}.`);
  lines.push('');
  lines.push('InstCount (non-zero): ' + nonZero(INSTCOUNT_NAMES, state.instCount));
  lines.push('Autophase (non-zero): ' + nonZero(AUTOPHASE_NAMES, state.autophase));
  lines.push('');
  lines.push(`Defined functions: ${functions.length} (name: instructions/blocks, largest first)`);
  const shown = functions.slice(0, limits.maxFunctions);
  lines.push(shown.map((f) => `${f.name}: ${f.instructions}/${f.blocks}`).join(', ') || '(none)');
  if (functions.length > shown.length) {
    const rest = functions.slice(shown.length);
    lines.push(`... and ${rest.length} more with ${rest.reduce((s, f) => s + f.instructions, 0)} instructions in all`);
  }
  lines.push('');
  lines.push(`IR of the largest functions (excerpt, at most ${limits.irChars} characters):`);
  lines.push('```llvm');
  lines.push(irExcerpt(functions, limits.irChars));
  lines.push('```');
  lines.push('');
  lines.push('Pass vocabulary (name: what it does):');
  for (const n of state.actionNames) lines.push(`- ${n}: ${describePass(n)}`);
  lines.push('');
  if (state.history.length === 0) lines.push('Passes applied so far: none (this is the unoptimised -O0 module).');
  else {
    lines.push(`Passes applied so far (${state.history.length}), with the reward each gave:`);
    const hidden = Math.max(0, state.history.length - limits.maxHistory);
    if (hidden > 0) {
      const r = state.history.slice(0, hidden).reduce((s, h) => s + h.reward, 0);
      lines.push(`(first ${hidden} steps omitted: reward ${r.toFixed(4)} in all)`);
    }
    state.history.slice(hidden).forEach((h, i) => lines.push(`${hidden + i + 1}. ${name(h.action)} ${h.reward >= 0 ? '+' : ''}${h.reward.toFixed(4)}`));
    lines.push(`Reward so far: ${state.history.reduce((s, h) => s + h.reward, 0).toFixed(4)}`);
  }
  lines.push('');
  lines.push(
    state.best.actions.length === 0
      ? 'Best sequence found so far: none better than the unoptimised module.'
      : `Best sequence found so far (reward ${state.best.value.toFixed(4)}): ${state.best.actions.map(name).join(', ')}`,
  );
  lines.push('');
  lines.push(`Propose up to ${limits.maxProposals} next passes or short sequences to apply to the current module, most promising first, as JSON.`);
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: lines.join('\n') },
  ];
}
