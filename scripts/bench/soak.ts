/**
 * `passgym bench soak`: memory of a `passgym serve` process over a long run, measured from the
 * outside (VmRSS in /proc of the server and of its worker processes):
 * - before any request, after `requests` requests from `clients` concurrent clients (each round:
 *   StartSession on an embedded-v0 program, Steps with an Autophase observation, an Observe, a
 *   ForkSession, a Step on the fork, two EndSessions), and
 * - with `openSessions` sessions open at once (then ended), which shows the cost per session.
 * The server is a child process started with this checkout's CLI, so its RSS is its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ServiceClient } from '../../env/service/client';
import { makeRng } from '../../env/spaces';

const PROGRAMS = ['qsort', 'crc32', 'dijkstra', 'matmul', 'sha256'].map((p) => `benchmark://embedded-v0/${p}`);
const STEPS_PER_ROUND = 19;
/** Requests of one round: StartSession, the steps, Observe, ForkSession, a Step on the fork, two EndSessions. */
const REQUESTS_PER_ROUND = STEPS_PER_ROUND + 6;

/** Options of `benchSoak`. */
export interface SoakOptions {
  requests: number;
  clients: number;
  openSessions: number;
  workers: number;
}

/** Resident set sizes in MiB. */
export interface RssSample {
  server_mib: number;
  workers_mib: number[];
}

/** What `passgym bench soak --json` prints. */
export interface SoakResult {
  requests: number;
  clients: number;
  seconds: number;
  requests_per_second: number;
  before: RssSample;
  after_requests: RssSample;
  open_sessions: number;
  with_sessions_open: RssSample;
  after_ending_them: RssSample;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

function childPids(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

function sample(pid: number): RssSample {
  return { server_mib: rssMiB(pid), workers_mib: childPids(pid).map(rssMiB) };
}

async function round(client: ServiceClient, rng: () => number, n: number): Promise<void> {
  const { sessionId } = await client.call('startSession', { benchmark: PROGRAMS[Math.floor(rng() * PROGRAMS.length)], observationSpace: 'Autophase' });
  for (let k = 0; k < STEPS_PER_ROUND; k++) await client.call('step', { sessionId, actions: [Math.floor(rng() * n)] });
  await client.call('observe', { sessionId, observationSpaces: ['IrInstructionCount'] });
  const fork = (await client.call('forkSession', { sessionId })).sessionId;
  await client.call('step', { sessionId: fork, actions: [Math.floor(rng() * n)] });
  await client.call('endSession', { sessionId: fork });
  await client.call('endSession', { sessionId });
}

/** Runs the soak; see the module TSDoc. */
export async function benchSoak(options: SoakOptions): Promise<SoakResult> {
  const cli = path.resolve(__dirname, '..', 'cli.js');
  const server = spawn(process.execPath, [cli, 'serve', '--bind', 'tcp://127.0.0.1:0', '--workers', String(options.workers), '--max-sessions', String(options.openSessions + 100)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`passgym serve exited with ${code} before listening`)));
    });
    const clients = Array.from({ length: options.clients }, () => new ServiceClient(endpoint, { timeoutMs: 120_000 }));
    const n = (await clients[0].call('getSpaces')).actionSpaces![0].actions!.length;
    // Warm-up round each (loads LLVM in the workers and the embedded programs), then the baseline.
    await Promise.all(clients.map((c, k) => round(c, makeRng(`warm-${k}`), n)));
    const before = sample(server.pid!);
    const rounds = Math.ceil(options.requests / REQUESTS_PER_ROUND / options.clients);
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c, k) => {
        const rng = makeRng(`soak-${k}`);
        for (let r = 0; r < rounds; r++) await round(c, rng, n);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const after = sample(server.pid!);
    const open: Buffer[] = [];
    for (let k = 0; k < options.openSessions; k++) {
      open.push((await clients[k % clients.length].call('startSession', { benchmark: PROGRAMS[k % PROGRAMS.length] })).sessionId!);
    }
    const withOpen = sample(server.pid!);
    for (const [k, sessionId] of open.entries()) await clients[k % clients.length].call('endSession', { sessionId });
    const ended = sample(server.pid!);
    for (const c of clients) c.close();
    const requests = rounds * REQUESTS_PER_ROUND * options.clients;
    return {
      requests,
      clients: options.clients,
      seconds,
      requests_per_second: requests / seconds,
      before,
      after_requests: after,
      open_sessions: options.openSessions,
      with_sessions_open: withOpen,
      after_ending_them: ended,
    };
  } finally {
    server.kill('SIGTERM');
  }
}
