/**
 * inst2vec's contextual flow, as PassGym trains its embedding on it.
 *
 * Ben-Nun, Jakobovits, Hoefler, "Neural Code Comprehension: A Learnable Representation of Code
 * Semantics" (NeurIPS 2018), §3: the contextual flow graph (XFG) joins statements that are data-
 * or control-dependent, and a statement's context is the statements within a distance of 2 in
 * (the dual of) that graph; skip-gram then learns to predict the context from the statement.
 *
 * Here the graph is built from the preprocessed statements themselves
 * (`inst2vecStatements`): one node per statement, an undirected edge
 * - from the statement that defines a value, block label, global or argument to each statement
 *   that uses it (data flow; a branch uses its target blocks' labels, so control flow between
 *   blocks goes through the label statement), and
 * - between consecutive statements of one function unless the first is a terminator (control
 *   flow inside a block; a `define` header precedes its entry block).
 */
import type { Inst2vecStatement } from '../../env/observations/inst2vec-preprocess';

/**
 * The contextual flow graph of one module's statements.
 * @param statements inst2vecStatements(ir) of the module.
 * @returns edges as a flat list `[a0, b0, a1, b1, …]` of statement indices, each edge once with
 *   `a < b`, sorted; no self-loops.
 */
export function contextualFlowEdges(statements: readonly Inst2vecStatement[]): number[] {
  const globals = new Map<string, number>();
  const locals = new Map<string, number>();
  statements.forEach((s, i) => {
    for (const d of s.defs) {
      if (d.startsWith('@')) globals.set(d, i);
      else locals.set(`${s.function}:${d}`, i);
    }
  });
  const edges = new Set<number>();
  const n = statements.length;
  const add = (a: number, b: number): void => {
    if (a === b) return;
    edges.add(a < b ? a * n + b : b * n + a);
  };
  statements.forEach((s, i) => {
    for (const u of s.uses) {
      const d = u.startsWith('@') ? globals.get(u) : locals.get(`${s.function}:${u}`);
      if (d !== undefined) add(d, i);
    }
    const next = statements[i + 1];
    if (next !== undefined && s.function >= 0 && next.function === s.function && !s.terminator) add(i, i + 1);
  });
  const out: number[] = [];
  for (const e of [...edges].sort((x, y) => x - y)) out.push(Math.floor(e / n), e % n);
  return out;
}

/** Adjacency lists (sorted) of a graph of `n` nodes given as contextualFlowEdges' flat list. */
export function adjacency(n: number, edges: readonly number[]): number[][] {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < edges.length; k += 2) {
    adj[edges[k]].push(edges[k + 1]);
    adj[edges[k + 1]].push(edges[k]);
  }
  for (const a of adj) a.sort((x, y) => x - y);
  return adj;
}

/**
 * The context of node `i`: the nodes at distance 1 or 2 from it (ncc's context size 2), each once,
 * at most `max` of them: first the neighbours in index order, then their neighbours (in the order
 * of the neighbour they are reached through, then index order). A hub such as a global used by
 * thousands of statements so contributes no more than `max`.
 */
export function contextOf(adj: readonly number[][], i: number, max: number): number[] {
  const seen = new Set<number>([i]);
  const out: number[] = [];
  for (const j of adj[i]) {
    if (out.length >= max) return out;
    seen.add(j);
    out.push(j);
  }
  for (const j of adj[i]) {
    for (const k of adj[j]) {
      if (out.length >= max) return out;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}
