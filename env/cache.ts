/**
 * PassGym's cache folder: `$PASSGYM_CACHE` if set, else `$XDG_CACHE_HOME/passgym`, else
 * `~/.cache/passgym`. Built benchmarks, generated modules and the compiled native helper live
 * here, keyed by LLVM major version where the content depends on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';

/** Absolute path of the cache root (not created). */
export function cacheRoot(): string {
  if (process.env.PASSGYM_CACHE) return path.resolve(process.env.PASSGYM_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'passgym');
}

/** `cacheRoot()/...parts`, with the parent folder created. */
export function cachePath(...parts: string[]): string {
  const p = path.join(cacheRoot(), ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

/**
 * Writes `data` to `file` atomically (temporary file in the same folder, then rename), so that
 * a reader never sees a half-written file and an interrupted write leaves nothing behind.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Hex sha256 of a buffer or string. */
export function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
