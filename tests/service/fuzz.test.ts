/**
 * A bounded, seeded fuzz of the service: concurrent clients send random bytes, truncated and
 * multi-frame requests, requests with absurd values, other clients' and made-up session ids,
 * a burst of sessions and the faults of issue 16 (file:///etc/passwd, two methods, huge
 * parameters). Every request must get exactly one reply (with its id when it decodes), the server
 * must keep serving, and a normal episode afterwards must match a local one.
 */
import * as zmq from 'zeromq';
import seedrandom from 'seedrandom';
import { PassGymServer } from '../../env/service/server';
import { decodeResponse, encodeRequest, uint64Long, uint64String, wire } from '../../env/service/proto';
import { make, disconnectAll } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';

const CLIENTS = 4;
const REQUESTS_PER_CLIENT = 500;
const BATCH = 25;

let server: PassGymServer;

beforeAll(async () => {
  server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 2, maxMessageBytes: 1 << 20, sessionTimeoutSeconds: 600 });
  await server.start();
});

afterAll(async () => {
  disconnectAll();
  await server.close();
});

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const bytes = (rng: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
const absurdInt = (rng: Rng) => pick(rng, [-1, 0, 1, 2 ** 31 - 1, -(2 ** 31), 99_999, Math.floor(rng() * 1e6)]);
const absurdString = (rng: Rng) =>
  pick(rng, ['', ' ', '\u0000', '__proto__', 'constructor', 'file:///etc/passwd', '../../etc/passwd', 'x'.repeat(10_000), 'benchmark://embedded-v0/../../x', 'generator://csmith-v0/-1', '1e3', '0x10', '💥']);

/** A random Request body: a method with random or absurd fields, some session ids real. */
function randomMethod(rng: Rng, sessions: Buffer[]): wire.IRequest {
  const sessionId = pick(rng, [...sessions, bytes(rng, 16), bytes(rng, 3), Buffer.alloc(0)]);
  const actions = Array.from({ length: Math.floor(rng() * 4) }, () => (rng() < 0.7 ? Math.floor(rng() * 50) : absurdInt(rng)));
  const names = Array.from({ length: Math.floor(rng() * 3) }, () => pick(rng, ['IrInstructionCount', 'Autophase', 'Ir', 'NoSuchSpace', absurdString(rng)]));
  switch (Math.floor(rng() * 11)) {
    case 0:
      return { getVersion: {} };
    case 1:
      return { getSpaces: {} };
    case 2:
      return { startSession: { benchmark: pick(rng, ['benchmark://embedded-v0/crc32', '', absurdString(rng)]), actionSpace: pick(rng, ['', 'PassesAll', absurdString(rng)]), actions, maxEpisodeSteps: pick(rng, [0, 3, 2 ** 32 - 1]) } };
    case 3:
      return { step: { sessionId, actions, observationSpaces: names } };
    case 4:
      return { observe: { sessionId, observationSpaces: names } };
    case 5:
      return { forkSession: { sessionId } };
    case 6:
      return { endSession: { sessionId } };
    case 7:
      return { setParameter: { sessionId, name: pick(rng, ['runtime_observation_count', 'runtime_warmup_runs_count', absurdString(rng)]), value: pick(rng, ['1', '100', '1000000000', absurdString(rng)]) } };
    case 8:
      return { listBenchmarks: { dataset: pick(rng, ['', 'embedded-v0', 'csmith-v0', absurdString(rng)]), offset: absurdInt(rng) >>> 0, limit: absurdInt(rng) >>> 0 } };
    case 9:
      return { addBenchmark: { name: pick(rng, ['x.ll', 'x.bc', 'x.exe', absurdString(rng)]), contents: bytes(rng, Math.floor(rng() * 64)) } };
    default:
      return { validate: { benchmark: pick(rng, ['benchmark://embedded-v0/crc32', absurdString(rng)]), commandline: pick(rng, ['opt -mem2reg input.bc -o output.bc', absurdString(rng)]), rewardSpace: pick(rng, ['', 'IrInstructionCount', absurdString(rng)]) } };
  }
}

/** One fuzzing client: sends its requests, then collects replies; returns what it saw. */
async function fuzzClient(endpoint: string, seed: number): Promise<{ sent: number; replies: number; missing: string[]; duplicated: string[]; stray: number; codes: Map<string, number>; sessions: number }> {
  const rng = seedrandom(`fuzz-${seed}`);
  const sock = new zmq.Dealer({ linger: 0 });
  sock.connect(endpoint);
  const clientId = bytes(rng, 16);
  const expected = new Map<string, number>(); // request id -> replies seen
  const sessions: Buffer[] = [];
  let nextId = BigInt(seed) * 1_000_000n + 1n;
  let replies = 0;
  let stray = 0;
  let total = 0;
  const codes = new Map<string, number>();
  // Batches of requests sent back to back, so that later batches can name the sessions started.
  for (let sent = 0; sent < REQUESTS_PER_CLIENT; sent += BATCH) {
    const frames: Buffer[][] = [];
    for (let k = 0; k < BATCH; k++) {
      const id = (nextId++).toString();
      const request = encodeRequest({ requestId: uint64Long(id), clientId, ...randomMethod(rng, sessions) });
      const kind = rng();
      if (kind < 0.6) {
        expected.set(id, 0);
        frames.push([Buffer.from(request)]);
      } else if (kind < 0.7) {
        frames.push([bytes(rng, Math.floor(rng() * 200))]);
      } else if (kind < 0.8) {
        frames.push([Buffer.from(request).subarray(0, Math.floor(rng() * request.length))]);
      } else if (kind < 0.85) {
        frames.push([Buffer.from(request), bytes(rng, 5), Buffer.from(request)]);
      } else if (kind < 0.9) {
        // Two methods in one Request.
        frames.push([Buffer.concat([request, encodeRequest({ getVersion: {} })])]);
      } else {
        // A session burst: real sessions, stepped and ended by later random requests or at the end.
        expected.set(id, 0);
        frames.push([Buffer.from(encodeRequest({ requestId: uint64Long(id), clientId, startSession: { benchmark: 'benchmark://embedded-v0/crc32' } }))]);
      }
    }
    for (const f of frames) await sock.send(f);
    total += frames.length;
    for (let k = 0; k < frames.length; k++) {
      const [payload] = await sock.receive();
      replies++;
      const r = decodeResponse(payload);
      const id = uint64String(r.requestId);
      if (expected.has(id)) expected.set(id, expected.get(id)! + 1);
      else stray++;
      if (r.startSession?.sessionId) sessions.push(r.startSession.sessionId);
      if (r.forkSession?.sessionId) sessions.push(r.forkSession.sessionId);
      const code = r.error?.code ?? `ok:${r.result}`;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  }
  // Every reply of a batch was received before the next was sent; no extra reply may follow.
  sock.receiveTimeout = 500;
  const extra = await sock.receive().then(
    () => 1,
    () => 0,
  );
  sock.receiveTimeout = 30_000;
  for (const sid of sessions) {
    await sock.send(Buffer.from(encodeRequest({ requestId: uint64Long((nextId++).toString()), clientId, endSession: { sessionId: sid } })));
    await sock.receive();
  }
  sock.close();
  const missing = [...expected].filter(([, n]) => n === 0).map(([id]) => id);
  const duplicated = [...expected].filter(([, n]) => n > 1).map(([id]) => id);
  return { sent: total, replies: replies + extra, missing, duplicated, stray, codes, sessions: sessions.length };
}

test('concurrent fuzzing clients: exactly one reply per request, and the server keeps serving correctly', async () => {
  const results = await Promise.all(Array.from({ length: CLIENTS }, (_, k) => fuzzClient(server.endpoint, k + 1)));
  for (const r of results) {
    expect(r.replies).toBe(r.sent);
    expect(r.missing).toEqual([]);
    expect(r.duplicated).toEqual([]);
  }
  // The fuzz reached the methods, not only the decoder: sessions were started and stepped, and
  // the refusals were the specific ones.
  const codes = new Map<string, number>();
  for (const r of results) for (const [c, n] of r.codes) codes.set(c, (codes.get(c) ?? 0) + n);
  expect(results.reduce((n, r) => n + r.sessions, 0)).toBeGreaterThan(20);
  for (const c of ['ok:step', 'ok:startSession', 'ok:getSpaces', 'BAD_REQUEST', 'SESSION_NOT_FOUND', 'UNKNOWN_BENCHMARK', 'UNKNOWN_PARAMETER', 'INVALID_VALUE']) {
    expect([c, (codes.get(c) ?? 0) > 0]).toEqual([c, true]);
  }
  expect(codes.get('INTERNAL') ?? 0).toBe(0);
  // A normal episode afterwards matches a local one.
  const pool = new WorkerPool({ maxWorkers: 1 });
  const remote = await make('llvm-ic-v0', { endpoint: server.endpoint, observationSpace: 'Autophase' });
  const local = await make('llvm-ic-v0', { pool, observationSpace: 'Autophase' });
  try {
    const [r0, l0] = [await remote.reset({ benchmark: 'benchmark://embedded-v0/qsort' }), await local.reset({ benchmark: 'benchmark://embedded-v0/qsort' })];
    expect(r0.observation).toEqual(l0.observation);
    for (const a of ['mem2reg', 'instcombine', 'simplifycfg', 'gvn']) {
      const [r, l] = [await remote.step(a), await local.step(a)];
      expect(r.reward).toBeCloseTo(l.reward!, 12);
      expect(r.observation).toEqual(l.observation);
    }
  } finally {
    await remote.close();
    await local.close();
    pool.close();
  }
  expect(server.pool.workerPids).toHaveLength(2);
}, 180_000);
