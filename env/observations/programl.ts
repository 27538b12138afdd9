/**
 * Programl and ProgramlJson: the ProGraML program graph of the current state (CompilerGym's
 * names). Built in the C helper (`llvm/native/programl.c`) from the in-memory module.
 */
import { Sequence } from '../spaces';
import { programGraphFromColumns, programGraphToNodeLink } from './programl-graph';
import type { ObservationSpaceSpec, ObserveContext } from './spec';

const graphOf = (ctx: ObserveContext) => ctx.memo('programl', () => programGraphFromColumns(ctx.module.programl()));

export const PROGRAML_SPACES: ObservationSpaceSpec[] = [
  { name: 'Programl', space: new Sequence('graph'), deterministic: true, platformDependent: false,
    description: 'The ProGraML program graph (Cummins et al., ICML 2021): instruction, variable and constant nodes with their text and full text; control, data and call edges with positions. TypeScript: a ProgramGraph of column arrays; Python: a networkx.MultiDiGraph (passgym.ProgramGraph without networkx).',
    compute: graphOf },
  { name: 'ProgramlJson', space: new Sequence('json'), deterministic: true, platformDependent: false,
    description: 'The ProGraML graph as node-link JSON (networkx node_link_data: directed, multigraph, graph, nodes, links), as CompilerGym\'s ProgramlJson.',
    compute: (ctx) => programGraphToNodeLink(graphOf(ctx)) },
];
