/** The module itself: Ir, IrSha1, Bitcode and BitcodeFile (CompilerGym's names and shapes). */
import fs from 'node:fs';
import path from 'node:path';
import { Sequence } from '../spaces';
import { irText, type ObservationSpaceSpec, type ObserveContext } from './spec';

/**
 * BitcodeFile files a session keeps: the newest `BITCODE_FILES_PER_SESSION` stay, older ones are
 * removed (a request can never fill the disk); all go when the session ends.
 */
export const BITCODE_FILES_PER_SESSION = 16;

/**
 * Writes the module's bitcode to `<session folder>/<IrSha1>.bc` (one file per state, so a path
 * never changes content) and returns the path, removing the session's oldest files beyond
 * BITCODE_FILES_PER_SESSION.
 */
function bitcodeFile(ctx: ObserveContext): string {
  const dir = ctx.sessionDir();
  const file = path.join(dir, `${ctx.module.irSha1()}.bc`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, ctx.module.bitcode());
    fs.renameSync(tmp, file);
  } else {
    const now = new Date();
    fs.utimesSync(file, now, now); // the newest again
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bc'))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const old of files.slice(BITCODE_FILES_PER_SESSION)) fs.rmSync(path.join(dir, old.f), { force: true });
  return file;
}

export const IR_SPACES: ObservationSpaceSpec[] = [
  { name: 'Ir', space: new Sequence('str'), deterministic: true, platformDependent: false,
    description: 'The module as LLVM assembly text.',
    compute: irText },
  { name: 'IrSha1', space: new Sequence('str', 40, 40), deterministic: true, platformDependent: false,
    description: 'Hex SHA-1 of the Ir text: a cheap state identity.',
    compute: (ctx) => ctx.module.irSha1() },
  { name: 'Bitcode', space: new Sequence('bytes'), deterministic: true, platformDependent: false,
    description: 'The module as LLVM bitcode.',
    compute: (ctx) => new Uint8Array(ctx.module.bitcode()) },
  { name: 'BitcodeFile', space: new Sequence('str'), deterministic: false, platformDependent: false,
    description: `The path of a file holding the module's bitcode, on the machine that runs the session's worker (the local machine for passgym.make / make; the server's for a remote session). The file is named by the state's IrSha1; the newest ${BITCODE_FILES_PER_SESSION} of a session are kept, and all are removed when the session ends. Copy the file to keep it.`,
    compute: bitcodeFile },
];
