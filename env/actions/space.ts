/**
 * Action spaces: each action is one element of a new-pass-manager pipeline (`instcombine`,
 * `function(loop-mssa(licm))`, `default<Oz>`), applied to the module as `module(ELEMENT)`.
 *
 * - `PassesAll`: the new-PM equivalents of CompilerGym's 124 flags (`flags.ts`), in CompilerGym's
 *   order, each under the first of its spellings that the loaded LLVM parses, less the flags
 *   without an equivalent and those none of whose spellings the loaded LLVM accepts.
 * - `PassesWithLevels`: `PassesAll` plus the whole pipelines `default<O1>`, `default<O2>`,
 *   `default<O3>`, `default<Os>`, `default<Oz>` (the pass vocabulary of the LLM Compiler papers).
 *
 * The names, their order and the LLVM major version make the action space's `version`, which
 * trained policies and leaderboard results record.
 */
import { Discrete } from '../spaces';
import { PassGymError, UnknownActionError, UnknownSpaceError } from '../errors';
import { sha256 } from '../cache';
import { COMPILERGYM_FLAGS } from './flags';
import { actionMetadata, ActionMetadata } from './metadata';

/** Names of the action spaces. */
export const ACTION_SPACE_NAMES = ['PassesAll', 'PassesWithLevels'] as const;
export type ActionSpaceName = (typeof ACTION_SPACE_NAMES)[number];

/** The optimization-level pipelines that `PassesWithLevels` adds. */
export const LEVEL_PIPELINES = ['default<O1>', 'default<O2>', 'default<O3>', 'default<Os>', 'default<Oz>'];

/** A flag (or level pipeline) left out of an action space, and why. */
export interface DroppedAction {
  flag: string;
  reason: string;
}

/**
 * A Discrete space whose elements are pipeline elements. `metadata[k]` says whether action k is
 * deterministic and whether it is known to miscompile on the space's LLVM (`metadata.ts`).
 */
export class ActionSpace extends Discrete {
  /** Index of each name, and of each CompilerGym flag that maps to an action. */
  private readonly byName = new Map<string, number>();

  /** @throws PassGymError (INTERNAL) when `metadata` is not one entry per name. */
  constructor(
    name: ActionSpaceName,
    names: readonly string[],
    readonly llvmMajor: number,
    readonly dropped: readonly DroppedAction[],
    readonly metadata: readonly ActionMetadata[],
  ) {
    super(names.length, names, name);
    if (metadata.length !== names.length) {
      throw new PassGymError('INTERNAL', `action space ${name}: ${metadata.length} metadata entries for ${names.length} actions`);
    }
    names.forEach((n, k) => this.byName.set(n, k));
    // A flag and every spelling of it name its action: `instcombine` is `instcombine<no-verify-fixpoint>`
    // on LLVM 18+, `flattencfg` is `flatten-cfg` on LLVM 19+.
    for (const f of COMPILERGYM_FLAGS) {
      const k = f.spellings.map((p) => this.byName.get(p)).find((i) => i !== undefined);
      if (k === undefined) continue;
      for (const alias of [f.flag, ...f.spellings]) if (!this.byName.has(alias)) this.byName.set(alias, k);
    }
  }

  /** `NAME-llvmN-<first 8 hex of sha256 of the names>`: changes whenever the actions change. */
  get version(): string {
    return `${this.name}-llvm${this.llvmMajor}-${sha256(this.names.join('\n')).slice(0, 8)}`;
  }

  /**
   * The index of an action given as an index, a pipeline element (`gvn`), a CompilerGym flag
   * (`-gvn`), or another LLVM version's spelling of the same flag (`instcombine` for LLVM 18+'s
   * `instcombine<no-verify-fixpoint>`, `flattencfg` for `flatten-cfg`).
   * @throws UnknownActionError naming the valid range or saying why a flag has no action.
   */
  index(action: number | string): number {
    if (typeof action === 'number') {
      if (!this.contains(action)) {
        throw new UnknownActionError(`action index ${action} is out of range; ${this.name} has actions 0..${this.n - 1}`);
      }
      return action;
    }
    const k = this.byName.get(action.trim());
    if (k !== undefined) return k;
    const flag = COMPILERGYM_FLAGS.find((f) => f.flag === action.trim() || f.flag === `-${action.trim()}`);
    // A flag written without its dash (`licm` for `-licm`) names the flag's action.
    const viaFlag = flag === undefined ? undefined : this.byName.get(flag.flag);
    if (viaFlag !== undefined) return viaFlag;
    if (flag) {
      const why = this.dropped.find((d) => d.flag === flag.flag)?.reason ?? flag.note ?? 'not in this action space';
      throw new UnknownActionError(`CompilerGym flag ${flag.flag} has no action in ${this.name}: ${why}`);
    }
    throw new UnknownActionError(
      `unknown action '${action}' in ${this.name}; use an index 0..${this.n - 1}, a pipeline element such as '${this.names[0]}', or a CompilerGym flag such as '-${this.names[0]}'`,
    );
  }

  /**
   * The other names of action `k` that `index()` accepts: its CompilerGym flags and their other
   * spellings (`['-instcombine', 'instcombine']` for `instcombine<no-verify-fixpoint>`).
   */
  aliases(k: number): string[] {
    const i = this.index(k);
    if (!this.aliasLists) {
      // Built once: GetSpaces and every StartSession reply send them.
      this.aliasLists = this.names.map(() => []);
      for (const [name, j] of this.byName) if (name !== this.names[j]) this.aliasLists[j].push(name);
    }
    return [...this.aliasLists[i]];
  }

  private aliasLists: string[][] | null = null;

  /** The pipeline element of action `k`. */
  pipeline(k: number): string {
    return this.names[this.index(k)];
  }

  /** Indices of the actions that are deterministic and not known to miscompile. */
  safeIndices(): number[] {
    return this.names.map((_, k) => k).filter((k) => this.metadata[k].deterministic && !this.metadata[k].knownMiscompile);
  }
}

/** A flag (or level pipeline) of a space with its spellings, before checking them against LLVM. */
export interface Candidate {
  flag: string;
  /** In order of preference; empty when the flag has no new-pass-manager equivalent. */
  spellings: readonly string[];
  note?: string;
}

/** Candidates of a space, in action order. */
export function candidates(name: ActionSpaceName): Candidate[] {
  const base = COMPILERGYM_FLAGS.map((f) => ({ flag: f.flag, spellings: f.spellings, note: f.note }));
  return name === 'PassesAll' ? base : [...base, ...LEVEL_PIPELINES.map((p) => ({ flag: p, spellings: [p] }))];
}

/** Every spelling of every candidate of `PassesWithLevels` (each once). */
export function allSpellings(): string[] {
  return [...new Set(candidates('PassesWithLevels').flatMap((c) => c.spellings))];
}

/**
 * Builds an action space from the candidates and the loaded LLVM's verdict on each spelling: a
 * candidate's action is its first spelling that LLVM accepts; a candidate none of whose spellings
 * is accepted (or that has none) is dropped with the reason.
 * @param check for each pipeline element, null if LLVM accepts it, else LLVM's message.
 */
export function buildActionSpace(
  name: ActionSpaceName,
  llvmMajor: number,
  check: (pipelines: string[]) => Promise<Array<string | null>>,
): Promise<ActionSpace> {
  if (!ACTION_SPACE_NAMES.includes(name)) {
    return Promise.reject(new UnknownSpaceError(`unknown action space '${name}'; valid: ${ACTION_SPACE_NAMES.join(', ')}`));
  }
  const all = candidates(name);
  const elements = [...new Set(all.flatMap((c) => c.spellings))];
  return check(elements).then((verdicts) => {
    const verdict = new Map(elements.map((e, k) => [e, verdicts[k]]));
    const dropped: DroppedAction[] = [];
    const names: string[] = [];
    for (const c of all) {
      if (c.spellings.length === 0) {
        dropped.push({ flag: c.flag, reason: c.note ?? 'no new-pass-manager equivalent' });
        continue;
      }
      const chosen = c.spellings.find((p) => verdict.get(p) === null);
      if (chosen !== undefined) {
        if (!names.includes(chosen)) names.push(chosen);
      } else {
        const why = c.spellings.map((p) => `'${p}': ${verdict.get(p)}`).join('; ');
        dropped.push({ flag: c.flag, reason: `LLVM ${llvmMajor} rejects ${why}` });
      }
    }
    return new ActionSpace(name, names, llvmMajor, dropped, actionMetadata(llvmMajor, names));
  });
}

/**
 * The CompilerGym flags an action stands for (several flags can map to one element, e.g. `-dce`
 * and `-die`), or `[]` for a level pipeline.
 */
export function flagsOfAction(element: string): string[] {
  return COMPILERGYM_FLAGS.filter((f) => f.spellings.includes(element)).map((f) => f.flag);
}
