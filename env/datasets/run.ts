/**
 * Running benchmark programs: in a fresh scratch folder (removed afterwards) holding the inputs,
 * with a timeout that kills the whole process group, with no network (a new, empty network
 * namespace through `unshare -n` when running as root; elsewhere the run is refused unless
 * `PASSGYM_ALLOW_NETWORK_IN_RUNS=1`), and stdout captured for comparison with a reference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { PassGymError } from '../errors';
import type { RunSpec } from './types';

/** What one run did. */
export interface RunResult {
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Wall time of the program, seconds. */
  seconds: number;
  /** sha256 over stdout and the output files, in the spec's order (`outputDigest`). */
  outputSha256: string;
  /** The last 2,000 characters of stderr. */
  stderr: string;
}

const MAX_STDOUT = 256 * 1024 * 1024;
let isolation: string[] | null = null;

/** The command prefix that cuts the network: `unshare -n` when it works here. */
function networkIsolation(): string[] {
  if (isolation === null) {
    const ok = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
    if (ok) isolation = ['unshare', '-n'];
    else if (process.env.PASSGYM_ALLOW_NETWORK_IN_RUNS === '1') isolation = [];
    else {
      throw new PassGymError(
        'NO_SANDBOX',
        'cannot run benchmark programs without network: `unshare -n` needs root (or CAP_SYS_ADMIN). Run as root, or set PASSGYM_ALLOW_NETWORK_IN_RUNS=1 to run them with the network.',
      );
    }
  }
  return isolation;
}

/** sha256 of stdout followed by, for each output file, its name, a NUL, its bytes (or "<missing>"). */
export function outputDigest(stdout: Buffer, scratch: string, outputFiles: readonly string[]): string {
  const h = crypto.createHash('sha256').update(stdout);
  for (const f of outputFiles) {
    const p = path.join(scratch, f);
    h.update(`\0${f}\0`);
    h.update(fs.existsSync(p) ? fs.readFileSync(p) : Buffer.from('<missing>'));
  }
  return h.digest('hex');
}

/**
 * Runs `exe` once as `spec` says, in a scratch folder with the inputs from `datasetDir`. When
 * `signal_` aborts, the run's process group is killed at once (the result then has a signal).
 * @throws PassGymError (NO_SANDBOX) when the network cannot be cut.
 */
export function runProgram(exe: string, spec: RunSpec, datasetDir: string, signal_?: AbortSignal): Promise<RunResult> {
  const prefix = networkIsolation();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-run-'));
  for (const [name, rel] of Object.entries(spec.inputs)) {
    fs.mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
    fs.copyFileSync(path.join(datasetDir, rel), path.join(scratch, name));
  }
  const [cmd, ...args] = [...prefix, exe, ...spec.args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: scratch,
      detached: true,
      stdio: [spec.stdin ? fs.openSync(path.join(datasetDir, spec.stdin), 'r') : 'ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin', HOME: scratch, LC_ALL: 'C', TZ: 'UTC' },
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes <= MAX_STDOUT) out.push(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, spec.timeoutSeconds * 1000);
    signal_?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      fs.rmSync(scratch, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      signal_?.removeEventListener('abort', kill);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const outputSha256 = outputDigest(Buffer.concat(out), scratch, spec.outputFiles);
      fs.rmSync(scratch, { recursive: true, force: true });
      resolve({ status, signal, timedOut, seconds, outputSha256, stderr });
    });
  });
}
