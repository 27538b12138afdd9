/**
 * LexedIr and LexedIrTuple: the current state's IR text as the tokens of LLVM's IR lexer
 * (CompilerGym v0.2.5's names and keys; the lexer is `lexed-ir.ts`).
 */
import { Sequence } from '../spaces';
import { lexIr, type LexedIr } from './lexed-ir';
import { irText, type ObservationSpaceSpec, type ObserveContext } from './spec';

const lexedOf = (ctx: ObserveContext): LexedIr => ctx.memo('lexed', () => lexIr(irText(ctx)));

/** One token of LexedIrTuple (CompilerGym's `LexedToken(ID, kind, category, value)`). */
export interface LexedToken {
  ID: number;
  kind: string;
  category: string;
  value: string;
}

/** LexedIr as a list of tokens (CompilerGym's LexedIrTuple). */
export function lexedTokens(lexed: LexedIr): LexedToken[] {
  return lexed.token_id.map((ID, k) => ({ ID, kind: lexed.token_kind[k], category: lexed.token_category[k], value: lexed.token_value[k] }));
}

export const LEXED_SPACES: ObservationSpaceSpec[] = [
  { name: 'LexedIr', space: new Sequence('lexed'), deterministic: true, platformDependent: false,
    description: 'The Ir text as LLVM lexer tokens: four aligned lists token_id, token_kind, token_category, token_value (CompilerGym\'s ids 0-415 for LLVM 10\'s token kinds, later kinds appended from 416).',
    compute: lexedOf },
  { name: 'LexedIrTuple', space: new Sequence('lexed_tuple'), deterministic: true, platformDependent: false,
    description: 'LexedIr as a list of tokens, each (ID, kind, category, value), as CompilerGym\'s LexedToken.',
    compute: (ctx) => lexedTokens(lexedOf(ctx)) },
];
