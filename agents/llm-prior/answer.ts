/**
 * Reading the model's answer: the JSON format the prompt asks for, validated, and its proposals
 * turned into a prior.
 *
 * Format: `{"proposals": [{"passes": ["instcombine", "simplifycfg"], "why": "..."}, ...]}`, most
 * promising first. A proposal may also be a bare string (one pass) or `{"passes": "gvn"}`. Pass
 * names are action names or CompilerGym flags (`-gvn`); unknown names are dropped and counted;
 * sequences are cut to `MAX_SEQUENCE` passes. Code fences around the JSON are tolerated.
 */
import { withFloor } from '../mcts/prior';

/** Longest proposed sequence kept. */
export const MAX_SEQUENCE = 4;

/** JSON schema of the answer (for grammar-constrained decoding). */
export const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    proposals: {
      type: 'array',
      items: {
        type: 'object',
        properties: { passes: { type: 'array', items: { type: 'string' } }, why: { type: 'string' } },
      },
    },
  },
} as const;

/** The answer is not the JSON asked for, or names no valid pass. */
export class MalformedAnswerError extends Error {
  readonly code = 'MalformedAnswer';
}

/** A validated answer. */
export interface ParsedAnswer {
  /** Proposed sequences as action indices, in the model's order. */
  sequences: number[][];
  /** Names that are not actions (dropped). */
  invalidNames: string[];
}

/**
 * Parses and validates an answer.
 * @param resolve action index of a name, or undefined when it is not an action.
 * @throws MalformedAnswerError saying what was wrong (not JSON, no `proposals` array, no valid pass).
 */
export function parseAnswer(text: string, resolve: (name: string) => number | undefined): ParsedAnswer {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new MalformedAnswerError(`the answer holds no JSON object: ${JSON.stringify(text.slice(0, 120))}`);
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch (e) {
    throw new MalformedAnswerError(`the answer is not valid JSON (${(e as Error).message}): ${JSON.stringify(text.slice(0, 120))}`);
  }
  const proposals = (value as { proposals?: unknown }).proposals;
  if (!Array.isArray(proposals)) throw new MalformedAnswerError('the answer has no "proposals" array');
  const sequences: number[][] = [];
  const invalidNames: string[] = [];
  for (const p of proposals) {
    const raw: unknown = typeof p === 'string' ? [p] : (p as { passes?: unknown } | null)?.passes;
    const names = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
    const seq: number[] = [];
    for (const n of names) {
      const k = typeof n === 'string' ? resolve(n.trim()) : undefined;
      if (k === undefined) invalidNames.push(String(n));
      else if (seq.length < MAX_SEQUENCE) seq.push(k);
    }
    if (seq.length > 0) sequences.push(seq);
  }
  if (sequences.length === 0) {
    throw new MalformedAnswerError(`the answer names no valid pass${invalidNames.length ? ` (invalid: ${invalidNames.slice(0, 5).join(', ')})` : ''}`);
  }
  return { sequences, invalidNames };
}

/**
 * The prior from ranked proposals: the first pass of the proposal at rank r (0-based) gets weight
 * 1/(r+1) (a pass proposed several times adds up), mixed with `floor` of the uniform
 * distribution so that every action keeps some mass.
 */
export function proposalsToPrior(sequences: readonly (readonly number[])[], actionCount: number, floor: number): Float64Array {
  const w = new Float64Array(actionCount);
  sequences.forEach((seq, rank) => {
    w[seq[0]] += 1 / (rank + 1);
  });
  return withFloor(w, floor);
}
