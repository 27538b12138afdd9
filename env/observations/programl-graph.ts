/**
 * The ProGraML program graph as PassGym serves it (Cummins et al., "ProGraML: A Graph-based
 * Program Representation for Data Flow Analysis and Compiler Optimizations", ICML 2021; the node
 * and edge rules of ProGraML v0.3.2's LLVM graph builder, `llvm/native/programl.c`): column arrays,
 * one entry per node and per edge, ready to be turned into GNN inputs or a node-link graph.
 */

/** ProGraML's Node.Type values (programl/proto/program_graph.proto). */
export const PROGRAML_NODE_TYPES = { INSTRUCTION: 0, VARIABLE: 1, CONSTANT: 2 } as const;
/** ProGraML's Edge.Flow values (programl/proto/program_graph.proto). */
export const PROGRAML_EDGE_FLOWS = { CONTROL: 0, DATA: 1, CALL: 2 } as const;

/**
 * A ProGraML graph. Node `i` is (`nodeType[i]`, `nodeText[i]`, …); edge `j` goes from
 * `edgeSource[j]` to `edgeTarget[j]` with `edgeFlow[j]` and `edgePosition[j]`. Node 0 is the root
 * `[external]`.
 */
export interface ProgramGraph {
  /** 0 instruction, 1 variable, 2 constant (PROGRAML_NODE_TYPES). */
  nodeType: number[];
  /** ProGraML's node `text`: the opcode name for an instruction, the type for a variable or constant ("struct*" for pointers to structs). */
  nodeText: string[];
  /** ProGraML's `full_text` feature: the printed instruction, `<type> <name>` for a variable, the printed constant or global definition; '' for the root and for declarations. */
  nodeFullText: string[];
  /** Index into `functions` (0 for the root and constants, as in ProGraML). */
  nodeFunction: number[];
  /** Basic-block number, counted over the whole module. */
  nodeBlock: number[];
  /** 0 control, 1 data, 2 call (PROGRAML_EDGE_FLOWS). */
  edgeFlow: number[];
  edgeSource: number[];
  edgeTarget: number[];
  /** The operand index (data), the successor index (control between blocks), else 0. */
  edgePosition: number[];
  /** Every function of the module in module order, declarations included. */
  functions: { name: string; module: number }[];
  /** The module: its source file name, target triple and data layout. */
  modules: { name: string; triple: string; dataLayout: string }[];
}

/**
 * The graph as ProGraML's node-link JSON (networkx `node_link_data`, as CompilerGym's ProgramlJson
 * observation), with one difference: each link's `key` counts the earlier links between the same
 * two nodes (CompilerGym gives every link key 0, so networkx merges parallel edges, e.g. a constant
 * used twice by one instruction).
 */
export function programGraphToNodeLink(g: ProgramGraph): Record<string, unknown> {
  const keys = new Map<string, number>();
  return {
    directed: true,
    multigraph: true,
    graph: {
      function: g.functions.map((f) => ({ name: f.name, module: f.module })),
      module: g.modules.map((m) => ({ name: m.name, features: { llvm_data_layout: [m.dataLayout], llvm_target_triple: [m.triple] } })),
    },
    nodes: g.nodeType.map((type, id) => ({
      block: g.nodeBlock[id],
      ...(id === 0 ? {} : { features: { full_text: [g.nodeFullText[id]] } }),
      function: g.nodeFunction[id],
      id,
      text: g.nodeText[id],
      type,
    })),
    links: g.edgeFlow.map((flow, j) => {
      const pair = `${g.edgeSource[j]},${g.edgeTarget[j]}`;
      const key = keys.get(pair) ?? 0;
      keys.set(pair, key + 1);
      return { flow, key, position: g.edgePosition[j], source: g.edgeSource[j], target: g.edgeTarget[j] };
    }),
  };
}

/** The columns of the C helper (`NativeFeatures.programl`) as a ProgramGraph. */
export function programGraphFromColumns(raw: { nodes: number; edges: number; functions: number; ints: Int32Array; text: string }): ProgramGraph {
  const { nodes: n, edges: e, functions: f, ints } = raw;
  const lines = raw.text.split('\0');
  const col = (offset: number, length: number, stride = 1, at = 0) => {
    const out = new Array<number>(length);
    for (let k = 0; k < length; k++) out[k] = ints[offset + k * stride + at];
    return out;
  };
  const edges = 3 * n;
  return {
    nodeType: col(0, n),
    nodeFunction: col(n, n),
    nodeBlock: col(2 * n, n),
    nodeText: lines.slice(0, n),
    nodeFullText: lines.slice(n, 2 * n),
    edgeFlow: col(edges, e, 4, 0),
    edgeSource: col(edges, e, 4, 1),
    edgeTarget: col(edges, e, 4, 2),
    edgePosition: col(edges, e, 4, 3),
    functions: lines.slice(2 * n, 2 * n + f).map((name) => ({ name, module: 0 })),
    modules: [{ name: lines[2 * n + f], triple: lines[2 * n + f + 1], dataLayout: lines[2 * n + f + 2] }],
  };
}
