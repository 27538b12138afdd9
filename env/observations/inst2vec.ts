/**
 * Inst2vecPreprocessedText, Inst2vecEmbeddingIndices and Inst2vec (CompilerGym's names and shapes):
 * the current state's statements preprocessed as inst2vec defines them (`inst2vec-preprocess.ts`),
 * their indices in PassGym's inst2vec vocabulary, and their embedding vectors
 * (`inst2vec-model.ts`; vocabulary and embedding built from PassGym's train splits, not
 * CompilerGym's).
 */
import { Sequence } from '../spaces';
import { inst2vecPreprocess } from './inst2vec-preprocess';
import { loadInst2vecModel } from './inst2vec-model';
import { irText, type ObservationSpaceSpec, type ObserveContext } from './spec';

const statementsOf = (ctx: ObserveContext): string[] => ctx.memo('inst2vec', () => inst2vecPreprocess(irText(ctx)));
const indicesOf = (ctx: ObserveContext): number[] => ctx.memo('inst2vec-indices', () => loadInst2vecModel().encode(statementsOf(ctx)));

export const INST2VEC_SPACES: ObservationSpaceSpec[] = [
  { name: 'Inst2vecPreprocessedText', space: new Sequence('str_list'), deterministic: true, platformDependent: false,
    description: 'The Ir as inst2vec statements (Ben-Nun et al., NeurIPS 2018): one string per global, function header, block label and instruction, with identifiers, numbers and strings abstracted (<%ID>, <@ID>, <INT>, <FLOAT>, <STRING>) and named struct types inlined.',
    compute: statementsOf },
  { name: 'Inst2vecEmbeddingIndices', space: new Sequence('int64'), deterministic: true, platformDependent: false,
    description: 'The index of each Inst2vecPreprocessedText statement in PassGym\'s inst2vec vocabulary (data/inst2vec; !UNK, index 0, for a statement not in it). Shape [statements].',
    compute: indicesOf },
  { name: 'Inst2vec', space: new Sequence('float32_rows'), deterministic: true, platformDependent: false,
    description: 'The embedding vector of each Inst2vecEmbeddingIndices entry, from PassGym\'s inst2vec embedding (skip-gram over contextual flow, trained on PassGym\'s train splits). Shape [statements, 200]: in TypeScript a Float32Array per statement, in Python a float32 array.',
    // The worker sends the indices (a number per statement); the rows are made where they are read.
    compute: indicesOf,
    materialize: (indices) => loadInst2vecModel().embed(indices as number[]) },
];
