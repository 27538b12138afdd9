/**
 * Every resource one request can ask for is bounded, and ending a session stops its work: the
 * Runtime budget, cancelling on EndSession, actions and observations per request, the session
 * limit, and the byte cap of the resend cache.
 */
import * as zmq from 'zeromq';
import { MAX_ACTIONS_PER_REQUEST, MAX_CACHED_REPLY_BYTES, MAX_OBSERVATIONS_PER_REQUEST, PassGymServer } from '../../env/service/server';
import { ServiceClient } from '../../env/service/client';
import { decodeResponse, encodeRequest, wire } from '../../env/service/proto';
import { CancelledError, RuntimeBudgetExceededError, SessionLimitError } from '../../env/errors';
import { deepScevIr } from '../helpers';

let server: PassGymServer;
let client: ServiceClient;

beforeAll(async () => {
  server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 2, runtimeBudgetSeconds: 1, maxSessions: 4, maxSessionsPerClient: 3 });
  await server.start();
  client = new ServiceClient(server.endpoint, { timeoutMs: 60_000 });
});

afterAll(async () => {
  client.close();
  await server.close();
});

test('a Runtime observation past the budget fails with RUNTIME_BUDGET_EXCEEDED, and its worker serves on', async () => {
  const { sessionId } = await client.call('startSession', { benchmark: 'benchmark://embedded-v0/matmul' });
  try {
    await client.call('setParameter', { sessionId, name: 'runtime_observation_count', value: '100' });
    const t0 = Date.now();
    const err = await client.call('observe', { sessionId, observationSpaces: ['Runtime'] }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RuntimeBudgetExceededError);
    expect((err as Error).message).toMatch(/Runtime runs took [\d.]+ s, over the budget of 1 s per observation; lower runtime_observation_count/);
    // About one second of runs (matmul runs in ~50 ms here), not 100 runs.
    expect(Date.now() - t0).toBeLessThan(4_000);
    await client.call('setParameter', { sessionId, name: 'runtime_observation_count', value: '1' });
    const r = await client.call('observe', { sessionId, observationSpaces: ['Runtime'] });
    // One value per run: a tensor of runtime_observation_count seconds.
    expect(r.observations!.Runtime.doubleTensor!.values).toHaveLength(1);
    expect(r.observations!.Runtime.doubleTensor!.values![0]).toBeGreaterThan(0);
  } finally {
    await client.call('endSession', { sessionId });
  }
}, 30_000);

test('EndSession stops the Runtime runs of the request in flight, which fails with CANCELLED', async () => {
  const own = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1 });
  await own.start();
  const c = new ServiceClient(own.endpoint, { timeoutMs: 60_000 });
  try {
    const { sessionId } = await c.call('startSession', { benchmark: 'benchmark://embedded-v0/matmul' });
    // 100 runs take about 5 s here; the EndSession comes after 0.5 s.
    await c.call('setParameter', { sessionId, name: 'runtime_observation_count', value: '100' });
    const observing = c.call('observe', { sessionId, observationSpaces: ['Runtime'] }).catch((e: Error) => e);
    // A second one queued behind it is not run at all.
    const queued = c.call('observe', { sessionId, observationSpaces: ['Runtime'] }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    await c.call('endSession', { sessionId });
    expect(Date.now() - t0).toBeLessThan(2_000);
    const err = await observing;
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toMatch(/cancelled after \d+ of 100 runs \(its session ended\)/);
    expect(await queued).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/is being ended .* the request was not run/) });
    // The worker is free at once for the next session.
    const next = await c.call('startSession', { benchmark: 'benchmark://embedded-v0/matmul' });
    expect((await c.call('observe', { sessionId: next.sessionId, observationSpaces: ['Runtime'] })).observations!.Runtime.doubleTensor!.values![0]).toBeGreaterThan(0);
    await c.call('endSession', { sessionId: next.sessionId });
  } finally {
    c.close();
    await own.close();
  }
}, 30_000);

test('actions and observation spaces per request are bounded, checked before anything is applied', async () => {
  const { sessionId } = await client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' });
  try {
    const many = Array<number>(MAX_ACTIONS_PER_REQUEST + 1).fill(0);
    await expect(client.call('step', { sessionId, actions: many })).rejects.toMatchObject({ code: 'INVALID_VALUE', message: expect.stringMatching(/at most 10000 actions, got 10001/) });
    await expect(client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32', actions: many })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    const names = Array.from({ length: MAX_OBSERVATIONS_PER_REQUEST + 1 }, () => 'Ir');
    await expect(client.call('observe', { sessionId, observationSpaces: names })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await expect(client.call('step', { sessionId, actions: [0], observationSpaces: ['Ir', 'Ir'] })).rejects.toMatchObject({ message: expect.stringMatching(/'Ir' is named twice/) });
    await expect(client.call('step', { sessionId, actions: [0], observationSpaces: ['NoSuchSpace'] })).rejects.toMatchObject({ code: 'UNKNOWN_SPACE' });
    // None of the refused steps was applied.
    expect((await client.call('step', { sessionId, actions: [1] })).episodeActions).toEqual([1]);
  } finally {
    await client.call('endSession', { sessionId });
  }
});

test('sessions beyond --max-sessions-per-client and --max-sessions get SESSION_LIMIT; ending one makes room', async () => {
  const other = new ServiceClient(server.endpoint, { timeoutMs: 60_000 });
  const ids: Buffer[] = [];
  let theirs: Buffer | undefined;
  try {
    for (let k = 0; k < 3; k++) ids.push((await client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' })).sessionId!);
    await expect(client.call('startSession', { benchmark: '' })).rejects.toMatchObject({ code: 'SESSION_LIMIT', message: expect.stringMatching(/this client has 3 sessions open/) });
    // Another client still gets one: the fourth and last of the server.
    theirs = (await other.call('startSession', { benchmark: '' })).sessionId!;
    await expect(other.call('startSession', { benchmark: '' })).rejects.toBeInstanceOf(SessionLimitError);
    await expect(other.call('forkSession', { sessionId: theirs })).rejects.toMatchObject({ code: 'SESSION_LIMIT', message: expect.stringMatching(/4 sessions open, its limit \(--max-sessions\)/) });
    await client.call('endSession', { sessionId: ids.pop()! });
    ids.push((await client.call('forkSession', { sessionId: ids[0] })).sessionId!);
  } finally {
    for (const sessionId of ids) await client.call('endSession', { sessionId });
    if (theirs) await other.call('endSession', { sessionId: theirs });
    other.close();
  }
});

test('a reply too large for the resend cache is answered RESEND_EXPIRED on a resend, never applied twice', async () => {
  const ir = deepScevIr(3000); // about 100 kB of IR: its Ir observation is over the 64 KiB kept
  expect(ir.length).toBeGreaterThan(MAX_CACHED_REPLY_BYTES);
  const { benchmark } = await client.call('addBenchmark', { name: 'big.ll', contents: Buffer.from(ir) });
  const { sessionId } = await client.call('startSession', { benchmark });
  const sock = new zmq.Dealer({ linger: 0 });
  sock.connect(server.endpoint);
  const send = async (requestId: number, step: wire.IStepRequest) => {
    await sock.send(Buffer.from(encodeRequest({ requestId, clientId: client.clientId, step })));
    return decodeResponse((await sock.receive())[0]);
  };
  try {
    const big = await send(501, { sessionId, actions: [0], observationSpaces: ['Ir'] });
    expect(big.step!.observations!.Ir.stringValue!.length).toBeGreaterThan(MAX_CACHED_REPLY_BYTES);
    const small = await send(502, { sessionId, actions: [1] });
    expect(small.step!.episodeActions).toEqual([0, 1]);
    // Resent: the small reply comes from the cache; the big one is not kept, and not re-run.
    expect((await send(502, { sessionId, actions: [1] })).step!.episodeActions).toEqual([0, 1]);
    expect((await send(501, { sessionId, actions: [0], observationSpaces: ['Ir'] })).error).toMatchObject({
      code: 'RESEND_EXPIRED',
      message: expect.stringMatching(/request 501 was applied, but its reply \(step\) of about \d+ bytes is larger than the 65536 bytes kept/),
    });
    expect((await client.call('step', { sessionId, actions: [] })).episodeActions).toEqual([0, 1]);
  } finally {
    sock.close();
    await client.call('endSession', { sessionId });
  }
});
