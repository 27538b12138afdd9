/**
 * Debian packages: checking and installing them (as root), and fetching packages or source
 * packages into a folder of the caller's without touching the system's apt lists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { MissingToolError, PassGymError } from '../errors';

/** True when the Debian package is installed (`dpkg-query`). */
export function isInstalled(pkg: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: 'pipe' }).includes('install ok installed');
  } catch {
    return false;
  }
}

/** Wait up to 10 minutes for another apt's lock instead of failing at once (as scripts/setup.sh does). */
const APT_LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=600'];

/**
 * Installs the missing packages when running as root; otherwise throws the apt-get line to run.
 * @throws MissingToolError naming the packages and the exact command.
 */
export function ensureDebianPackages(pkgs: readonly string[]): void {
  const missing = pkgs.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new MissingToolError(missing.join(', '), missing.join(' '));
  execFileSync('apt-get', [...APT_LOCK_WAIT, 'update', '-qq'], { stdio: 'pipe' });
  execFileSync('apt-get', [...APT_LOCK_WAIT, 'install', '-y', '-qq', ...missing], { stdio: 'pipe', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Mirror and suite of the machine's own Debian sources (deb.debian.org bookworm by default). */
function mirror(): { uri: string; suite: string } {
  for (const f of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!fs.existsSync(f)) continue;
    const text = fs.readFileSync(f, 'utf8');
    const uri = /URIs:\s*(\S+)/.exec(text)?.[1] ?? /^deb\s+(\S+)\s+(\S+)/m.exec(text)?.[1];
    const suite = /Suites:\s*(\S+)/.exec(text)?.[1] ?? /^deb\s+\S+\s+(\S+)/m.exec(text)?.[1];
    if (uri && suite) return { uri, suite };
  }
  return { uri: 'http://deb.debian.org/debian', suite: 'bookworm' };
}

/** apt-get options that use a private source list and state folder under `aptDir`. */
function privateApt(aptDir: string): string[] {
  return [
    '-o', `Dir::Etc::SourceList=${path.join(aptDir, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${path.join(aptDir, 'lists')}`,
    '-o', `Dir::Cache::Archives=${path.join(aptDir, 'archives')}`,
    '-o', 'APT::Sandbox::User=root',
  ];
}

const updated = new Set<string>();

function preparePrivateApt(aptDir: string): string[] {
  const opts = privateApt(aptDir);
  if (!updated.has(aptDir)) {
    fs.mkdirSync(path.join(aptDir, 'lists', 'partial'), { recursive: true });
    fs.mkdirSync(path.join(aptDir, 'archives', 'partial'), { recursive: true });
    const { uri, suite } = mirror();
    fs.writeFileSync(path.join(aptDir, 'sources.list'), `deb-src ${uri} ${suite} main\n`);
    execFileSync('apt-get', [...opts, 'update', '-qq'], { stdio: 'pipe' });
    updated.add(aptDir);
  }
  return opts;
}

/**
 * Downloads and unpacks the Debian source package `pkg` (`apt-get source`, through a private
 * deb-src list in `aptDir`, never the system's lists) into `dest`, once per `dest`.
 * @returns the unpacked source folder.
 * @throws PassGymError (DOWNLOAD_FAILED) naming the package.
 */
export function debianSource(pkg: string, dest: string, aptDir: string): string {
  fs.mkdirSync(dest, { recursive: true });
  const unpacked = () => fs.readdirSync(dest).find((d) => d.startsWith(`${pkg}-`) && fs.statSync(path.join(dest, d)).isDirectory());
  const done = unpacked();
  if (done) return path.join(dest, done);
  try {
    const opts = preparePrivateApt(aptDir);
    execFileSync('apt-get', [...opts, 'source', '-qq', pkg], { cwd: dest, stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    if (!fs.existsSync('/usr/bin/dpkg-source')) throw new MissingToolError('dpkg-source', 'dpkg-dev');
    throw new PassGymError('DOWNLOAD_FAILED', `apt-get source ${pkg} failed: ${err.stderr?.toString().trim() ?? err.message}`);
  }
  const dir = unpacked();
  if (!dir) throw new PassGymError('DOWNLOAD_FAILED', `apt-get source ${pkg}: no unpacked folder in ${dest}`);
  return path.join(dest, dir);
}

/**
 * Downloads the binary package `pkg` (`apt-get download`) and unpacks it with `dpkg -x` into `dest`.
 * @returns `dest`.
 */
export function debianPackageContents(pkg: string, dest: string): string {
  fs.mkdirSync(dest, { recursive: true });
  try {
    execFileSync('apt-get', ['download', '-qq', '-o', 'APT::Sandbox::User=root', pkg], { cwd: dest, stdio: 'pipe' });
    const deb = fs.readdirSync(dest).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`no ${pkg}_*.deb after apt-get download`);
    execFileSync('dpkg', ['-x', path.join(dest, deb), dest], { stdio: 'pipe' });
    fs.rmSync(path.join(dest, deb));
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new PassGymError('DOWNLOAD_FAILED', `apt-get download ${pkg} failed: ${err.stderr?.toString().trim() ?? err.message}`);
  }
  return dest;
}
