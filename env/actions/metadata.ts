/**
 * What is known of each action on each LLVM major version: whether it is deterministic (the
 * same input IR always gives the same output IR) and whether it is known to miscompile. Both are
 * measured, not guessed, by two scripts run on the loaded LLVM, which write
 * `env/actions/metadata/llvm-N.json` with `--write`:
 *
 * - `node dist/scripts/bench/nondeterministic-actions.js --sequences 40 --write`: seeded random
 *   30-action sequences on two copies of each embedded-v0 program in one process, stepped in turn
 *   so that their heap allocations interleave; the action at which the copies' IR first differs
 *   depends on more than its input IR (heap addresses), so a PassGym worker and a stock `opt` run
 *   can disagree on it, and a replay (crash recovery) can give another state.
 * - `node dist/scripts/bench/unsafe-actions.js --write`: every action alone and after `mem2reg`
 *   on every embedded-v0 program, each result built, run and compared with the -O0 output.
 *
 * A file records the LLVM version and the action-space version it was measured on. An action
 * the file does not cover (another LLVM major, or an action the measured space lacked) gets the
 * union of every measured version's lists (matched through the flag's spellings, so that
 * `instcombine` on LLVM 14 counts for `instcombine<no-verify-fixpoint>`), marked
 * `measured: false`, until the scripts are run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassGymError } from '../errors';
import { spellingsOf } from './flags';

/** What is known of one action (pipeline element) on one LLVM version. */
export interface ActionMetadata {
  /** False when the action's output IR can depend on more than its input IR (heap addresses). */
  deterministic: boolean;
  /** True when the action changed a program's output in the measurement. */
  knownMiscompile: boolean;
  /** True when both facts were measured on this LLVM major version for this action. */
  measured: boolean;
}

/** The two measurements. */
export type MeasurementKind = 'nondeterministic' | 'miscompile';

/** One measurement, as a script writes it. */
export interface MeasurementRecord {
  /** The command that measured it, runnable from a checkout after `npm run build`. */
  command: string;
  /** What was run (sequences, checks) and on what. */
  summary: string;
  /** The action space measured (`ActionSpace.version`), e.g. "PassesWithLevels-llvm14-…". */
  actionSpaceVersion: string;
  /** The pipeline elements measured. */
  covered: string[];
  /** Those that were found nondeterministic, or miscompiling. */
  found: string[];
  /** Per action found, what showed it (program, and the reduced sequence where one was needed). */
  evidence?: Record<string, string[]>;
}

/** The content of `metadata/llvm-N.json`. */
export interface MetadataFile {
  /** Full LLVM version measured, e.g. "14.0.6". */
  llvm: string;
  nondeterministic?: MeasurementRecord;
  miscompile?: MeasurementRecord;
}

/** Folder of the metadata files, from the sources or from dist/. */
export function metadataDir(): string {
  const beside = path.join(__dirname, 'metadata');
  if (fs.existsSync(beside) && fs.readdirSync(beside).some((f) => f.endsWith('.json'))) return beside;
  const fromDist = path.resolve(__dirname, '..', '..', '..', 'env', 'actions', 'metadata');
  if (fs.existsSync(fromDist)) return fromDist;
  throw new PassGymError('INTERNAL', `env/actions/metadata not found beside ${__dirname}`);
}

/** Path of the metadata file of an LLVM major version (which may not exist yet). */
export function metadataPath(llvmMajor: number): string {
  return path.join(metadataDir(), `llvm-${llvmMajor}.json`);
}

/** Every metadata file, by LLVM major version. */
export function metadataFiles(): Map<number, MetadataFile> {
  const out = new Map<number, MetadataFile>();
  for (const f of fs.readdirSync(metadataDir())) {
    const m = /^llvm-(\d+)\.json$/.exec(f);
    if (m) out.set(Number(m[1]), JSON.parse(fs.readFileSync(path.join(metadataDir(), f), 'utf8')) as MetadataFile);
  }
  return out;
}

/**
 * Metadata of each of `names` on LLVM `llvmMajor`, in order: for each of the two facts, measured
 * where this version's file covers the action, else the union over every file's findings.
 */
export function actionMetadata(llvmMajor: number, names: readonly string[]): ActionMetadata[] {
  const files = metadataFiles();
  const own = files.get(llvmMajor);
  const fact = (kind: MeasurementKind, name: string): { found: boolean; measured: boolean } => {
    const record = own?.[kind];
    if (record?.covered.includes(name)) return { found: record.found.includes(name), measured: true };
    // Another version may spell the same flag differently (`instcombine` on LLVM 14).
    const same = spellingsOf(name);
    return { found: [...files.values()].some((f) => f[kind]?.found.some((a) => same.includes(a)) ?? false), measured: false };
  };
  return names.map((name) => {
    const nondeterministic = fact('nondeterministic', name);
    const miscompile = fact('miscompile', name);
    return { deterministic: !nondeterministic.found, knownMiscompile: miscompile.found, measured: nondeterministic.measured && miscompile.measured };
  });
}

/**
 * Records a measurement in this version's metadata file (in the checkout's `env/actions/metadata`),
 * keeping the other measurement. @returns the path written.
 */
export function writeMeasurement(llvmMajor: number, llvmVersion: string, kind: MeasurementKind, record: MeasurementRecord): string {
  const file = metadataPath(llvmMajor);
  const current: MetadataFile = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as MetadataFile) : { llvm: llvmVersion };
  const next: MetadataFile = { ...current, llvm: llvmVersion, [kind]: record };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(next, null, 1)}\n`);
  return file;
}
