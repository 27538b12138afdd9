/**
 * Choosing the coreset: from candidate sequences scored on every training program, the subset of
 * at most k whose best member per program gives the highest geometric mean of `n_Oz / n` over the
 * programs. That objective (a sum of logs of per-program maxima) is monotone submodular, so the
 * greedy choice — add the candidate with the largest gain, until k or no gain — is within
 * (1 - 1/e) of the best subset (Nemhauser, Wolsey and Fisher, 1978); Coreset-NVP (Liang et al.,
 * ICML 2023) chooses its coreset of pass sequences greedily by coverage in the same way.
 */

/** The greedy coreset and how its score grows with its size. */
export interface GreedyCoreset {
  /** Indices of the chosen candidates, in the order chosen (the first is the best alone). */
  order: number[];
  /** `curve[i]`: geomean over programs of the best of the first i+1 chosen (floors included). */
  curve: number[];
  /** The geomean of the floors alone (the empty sequence everywhere). */
  base: number;
}

/**
 * Greedy selection.
 * @param ratios `ratios[c][p]`: candidate c's `n_Oz / n` on program p (0 where it failed).
 * @param floors `floors[p]`: what program p gets without any candidate (the empty sequence's ratio).
 * @param maxSize at most this many candidates.
 * @throws Error when a row of `ratios` is not one entry per program.
 */
export function greedyCoreset(ratios: ReadonlyArray<ArrayLike<number>>, floors: ArrayLike<number>, maxSize: number): GreedyCoreset {
  const P = floors.length;
  ratios.forEach((row, c) => {
    if (row.length !== P) throw new Error(`candidate ${c} has ${row.length} scores for ${P} programs`);
  });
  const best = Float64Array.from({ length: P }, (_, p) => Math.max(floors[p], 1e-9));
  const logMean = () => best.reduce((s, v) => s + Math.log(v), 0) / Math.max(1, P);
  const base = Math.exp(logMean());
  const order: number[] = [];
  const curve: number[] = [];
  const used = new Set<number>();
  while (order.length < maxSize) {
    let pick = -1;
    let pickGain = 1e-12;
    for (let c = 0; c < ratios.length; c++) {
      if (used.has(c)) continue;
      const row = ratios[c];
      let gain = 0;
      for (let p = 0; p < P; p++) if (row[p] > best[p]) gain += Math.log(row[p]) - Math.log(best[p]);
      if (gain > pickGain) {
        pick = c;
        pickGain = gain;
      }
    }
    if (pick < 0) break;
    used.add(pick);
    order.push(pick);
    const row = ratios[pick];
    for (let p = 0; p < P; p++) if (row[p] > best[p]) best[p] = row[p];
    curve.push(Math.exp(logMean()));
  }
  return { order, curve, base };
}
