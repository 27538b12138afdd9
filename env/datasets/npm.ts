/** Fetching source tarballs from the npm registry (`npm pack`) and unpacking them with `tar`. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PassGymError } from '../errors';

/**
 * Downloads `name[@version]` as a tarball with `npm pack` and unpacks it into `dest/<name>`
 * (once: a second call with the same `dest` returns the folder already unpacked).
 * @returns the unpacked package folder (npm's `package/`).
 * @throws PassGymError (DOWNLOAD_FAILED) naming the package.
 */
export function npmPackage(spec: string, dest: string): string {
  const out = path.join(dest, spec.replace(/[@/]/g, '_'));
  if (fs.existsSync(path.join(out, 'package'))) return path.join(out, 'package');
  fs.mkdirSync(out, { recursive: true });
  try {
    const file = execFileSync('npm', ['pack', spec, '--loglevel=error', '--pack-destination', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .trim()
      .split('\n')
      .at(-1)!;
    execFileSync('tar', ['-xzf', path.join(out, file), '-C', out], { stdio: 'pipe' });
    fs.rmSync(path.join(out, file));
  } catch (e) {
    const err = e as { stderr?: Buffer | string; message: string };
    throw new PassGymError('DOWNLOAD_FAILED', `npm pack ${spec} failed: ${String(err.stderr || err.message).trim()}`);
  }
  return path.join(out, 'package');
}

/** Unpacks an archive (tar.gz, tar.bz2, tar.xz, by `tar -xaf`) into `dest`, optionally only `members`. */
export function untar(archive: string, dest: string, members: string[] = []): void {
  fs.mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xaf', archive, '-C', dest, ...members], { stdio: 'pipe', maxBuffer: 1 << 26 });
}
