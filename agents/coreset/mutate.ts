/**
 * Variation operators on pass sequences, for the coreset build's evolutionary search and the
 * coreset agent's local search: the point, insertion, deletion, segment-duplication and crossover
 * operators of genetic algorithms over phase orderings (Cooper, Schielke and Subramanian,
 * "Optimizing for reduced code space using genetic algorithms", LCTES 1999; GRACE, 2025, evolves
 * its coreset's sequences the same way). All randomness comes from the `rng` given.
 */
import type { Rng } from '../../env/spaces';

/** A uniform integer in [0, n). */
function pick(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A sequence of `length` actions drawn uniformly from `actions`. */
export function randomSequence(actions: readonly number[], length: number, rng: Rng): number[] {
  return Array.from({ length }, () => actions[pick(rng, actions.length)]);
}

/**
 * One-point crossover: a prefix of `a` followed by a suffix of `b` (cut points drawn
 * independently), at most `maxLength` long.
 */
export function crossover(a: readonly number[], b: readonly number[], rng: Rng, maxLength: number): number[] {
  const i = pick(rng, a.length + 1);
  const j = pick(rng, b.length + 1);
  return [...a.slice(0, i), ...b.slice(j)].slice(0, maxLength);
}

/**
 * A mutant of `sequence`: 1 to 3 operators, each one of replace a pass, insert a pass, delete a
 * pass, duplicate a segment of up to 8 passes in place, or swap two passes; the result is
 * non-empty and at most `maxLength` long. `actions` are the passes that may be inserted.
 */
export function mutate(sequence: readonly number[], actions: readonly number[], rng: Rng, maxLength: number): number[] {
  const s = [...sequence];
  const ops = 1 + pick(rng, 3);
  for (let k = 0; k < ops; k++) {
    const op = s.length === 0 ? 1 : pick(rng, 5);
    const at = pick(rng, s.length);
    if (op === 0) s[at] = actions[pick(rng, actions.length)];
    else if (op === 1) s.splice(pick(rng, s.length + 1), 0, actions[pick(rng, actions.length)]);
    else if (op === 2 && s.length > 1) s.splice(at, 1);
    else if (op === 3) {
      const len = 1 + pick(rng, Math.min(8, s.length - at));
      s.splice(at + len, 0, ...s.slice(at, at + len));
    } else if (op === 4) {
      const b = pick(rng, s.length);
      [s[at], s[b]] = [s[b], s[at]];
    }
  }
  return s.slice(0, maxLength);
}
