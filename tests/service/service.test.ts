import * as zmq from 'zeromq';
import { PassGymServer } from '../../env/service/server';
import { make, disconnectAll } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { decode, DecodedResponse, encode, messageTypes, uint64Long, uint64String, wire } from '../../env/service/proto';
import { ServiceClient } from '../../env/service/client';
import { SessionNotOwnedError, UnknownParameterError, UnknownSpaceError } from '../../env/errors';
import fs from 'node:fs';
import path from 'node:path';
import { deepScevIr, tempDir } from '../helpers';

let server: PassGymServer;
let endpoint: string;

beforeAll(async () => {
  server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 2, maxMessageBytes: 1 << 20, sessionTimeoutSeconds: 2 });
  await server.start();
  endpoint = server.endpoint;
});

afterAll(async () => {
  disconnectAll();
  await server.close();
});

/** Sends raw frames on a fresh DEALER and returns the decoded reply. */
async function raw(frames: Buffer[]): Promise<DecodedResponse> {
  const sock = new zmq.Dealer({ linger: 0 });
  sock.connect(endpoint);
  await sock.send(frames);
  const [reply] = await sock.receive();
  sock.close();
  return decode(messageTypes().Response, reply);
}

describe('a remote environment behaves as a local one', () => {
  test('reset, step, rewards, observations and commandline match a local env', async () => {
    const remote = await make('llvm-ic-v0', { endpoint, actionSpace: 'PassesWithLevels', observationSpace: 'InstCount' });
    const pool = new WorkerPool({ maxWorkers: 1 });
    const local = await make('llvm-ic-v0', { pool, actionSpace: 'PassesWithLevels', observationSpace: 'InstCount' });
    try {
      expect(remote.actionSpace.names).toEqual(local.actionSpace.names);
      expect(remote.actionSpace.version).toBe(local.actionSpace.version);
      expect(remote.actionSpace.metadata).toEqual(local.actionSpace.metadata);
      const r0 = await remote.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
      const l0 = await local.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
      expect(r0.observation).toEqual(l0.observation);
      for (const a of ['mem2reg', 'instcombine', '-gvn']) {
        const r = await remote.step(a);
        const l = await local.step(a);
        expect(r.reward).toBeCloseTo(l.reward!, 12);
        expect(r.observation).toEqual(l.observation);
      }
      expect(remote.commandline()).toBe(local.commandline());
      // A float32 space travels as a FloatTensor: the same numbers as the local env's.
      expect(await remote.observe('InstCountNorm')).toEqual(await local.observe('InstCountNorm'));
      expect(remote.actions).toEqual(local.actions);
      const oz = await make('llvm-ic-v0', { endpoint, actionSpace: 'PassesWithLevels' });
      await oz.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
      await oz.step('default<Oz>');
      expect(Math.abs(oz.episodeReward! - 1)).toBeLessThanOrEqual(1e-9);
      expect((await remote.validate()).ok).toBe(true);
      // Over the wire too, a mismatched reward is "validated" (checked) and "failed".
      const bad = await remote.validate({ ...remote.state, reward: (remote.state.reward ?? 0) + 0.5 });
      expect(bad).toMatchObject({ ok: false, rewardValidated: true, rewardValidationFailed: true, error: { type: 'RewardMismatch' } });
      await oz.close();
    } finally {
      await remote.close();
      await local.close();
      pool.close();
    }
  });

  test('fork gives independent remote sessions', async () => {
    const env = await make('llvm-ic-v0', { endpoint });
    await env.reset({ benchmark: 'benchmark://embedded-v0/crc32' });
    await env.step('mem2reg');
    const copy = await env.fork();
    await copy.step('instcombine');
    expect(copy.actions).toHaveLength(2);
    expect(env.actions).toHaveLength(1);
    expect(await copy.observe('IrInstructionCount')).toBeLessThan((await env.observe('IrInstructionCount')) as number);
    await copy.close();
    await env.close();
  });

  test('errors come back with their codes', async () => {
    const env = await make('llvm-v0', { endpoint });
    await expect(env.reset({ benchmark: 'benchmark://embedded-v0/nope' })).rejects.toMatchObject({ code: 'UNKNOWN_BENCHMARK' });
    await expect(env.reset({ benchmark: 'file:///etc/passwd.ll' })).rejects.toThrow(/file:\/\/ benchmarks are refused/);
    await env.reset();
    await expect(env.step(10_000)).rejects.toMatchObject({ code: 'UNKNOWN_ACTION' });
    await expect(env.observe('Nope')).rejects.toMatchObject({ code: 'UNKNOWN_SPACE' });
    // The same classes a local env throws.
    await expect(env.observe('Nope')).rejects.toBeInstanceOf(UnknownSpaceError);
    await expect(env.setParameter('nope', '1')).rejects.toBeInstanceOf(UnknownParameterError);
    await expect(env.setParameter('__proto__', '1')).rejects.toMatchObject({ code: 'UNKNOWN_PARAMETER' });
    await expect(env.setParameter('runtime_observation_count', '1e3')).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await env.setParameter('runtime_observation_count', '2');
    await env.close();
  });
});

describe('bad input and faults get an error reply and the server keeps serving', () => {
  test('garbage bytes, a truncated protobuf, extra frames and an unknown method', async () => {
    expect((await raw([Buffer.from('\xff\xff\xff not protobuf', 'latin1')])).error?.code).toBe('BAD_REQUEST');
    const good = Buffer.from(encode(messageTypes().Request, { requestId: 7, getVersion: {} }));
    const truncated = await raw([good.subarray(0, good.length - 1)]);
    expect(['BAD_REQUEST', 'UNKNOWN_METHOD']).toContain(truncated.error?.code);
    // Two frames: refused, with the request id of the frame that decodes.
    expect(await raw([good, good])).toMatchObject({ requestId: 7, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/got 2 frames/) } });
    // Field 99 is no method of passgym.v2 (a newer client's request).
    const unknown = await raw([Buffer.from([0x08, 0x05, 0x9a, 0x06, 0x00])]);
    expect(unknown).toMatchObject({ requestId: 5, error: { code: 'UNKNOWN_METHOD' } });
    const ok = await raw([good]);
    expect(ok.requestId).toBe(7);
    expect(ok.getVersion?.protocol).toBe('passgym.v2');
    // A passgym.v1 client's session id (a varint in field 1) is refused with the reason.
    const v1 = await raw([Buffer.from([0x08, 0x06, 0x6a, 0x02, 0x08, 0x07])]);
    expect(v1.error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/passgym\.v1 client\? passgym\.v2 session ids are 16 bytes/) });
  });

  test('request ids are exact over the whole uint64 range; a resend within the window is answered, never applied again', async () => {
    const { Request, Response } = messageTypes();
    const sock = new zmq.Dealer({ linger: 0 });
    sock.connect(endpoint);
    // Sends one request with a decimal uint64 id; returns the reply's exact id and its object.
    const send = async (id: string, method: wire.IRequest): Promise<{ id: string; reply: DecodedResponse }> => {
      await sock.send(Buffer.from(encode(Request, { requestId: uint64Long(id), ...method })));
      const [bytes] = await sock.receive();
      const m = Response.decode(bytes) as unknown as { requestId: unknown };
      return { id: uint64String(m.requestId), reply: decode(Response, bytes) };
    };
    try {
      const max = '18446744073709551615';
      expect((await send(max, { getVersion: {} })).id).toBe(max);
      const started = await send('1152921504606847975', { startSession: { benchmark: 'benchmark://embedded-v0/crc32' } });
      expect(started.id).toBe('1152921504606847975');
      const sessionId = started.reply.startSession!.sessionId;
      // 2^60 + 1000 and 2^60 + 1001 are one double apart; both are applied.
      const a = await send('1152921504606847976', { step: { sessionId, actions: [0] } });
      const b = await send('1152921504606847977', { step: { sessionId, actions: [1] } });
      expect([a.id, b.id]).toEqual(['1152921504606847976', '1152921504606847977']);
      expect(b.reply.step!.episodeActions).toEqual([0, 1]);
      // Resending the older id gets its reply again; the step is not applied again.
      const again = await send('1152921504606847976', { step: { sessionId, actions: [0] } });
      expect(again.reply.step!.episodeActions).toEqual([0]);
      const c = await send('1152921504606847978', { step: { sessionId, actions: [2] } });
      expect(c.reply.step!.episodeActions).toEqual([0, 1, 2]);
      // A resent EndSession gets its reply again, not SESSION_NOT_FOUND.
      expect((await send('1152921504606847979', { endSession: { sessionId } })).reply.error).toBeUndefined();
      expect((await send('1152921504606847979', { endSession: { sessionId } })).reply.error).toBeUndefined();
      expect((await send('1152921504606847980', { endSession: { sessionId } })).reply.error?.code).toBe('SESSION_NOT_FOUND');
    } finally {
      sock.close();
    }
  });

  test('a StartSession whose replayed actions hit a failing pass reports the failure and where it stopped', async () => {
    // indvars on a 100,000-link udiv chain: a segfault on LLVM 14 (stack), over 150 ms on 19 and 22.
    const file = path.join(tempDir(), 'deep-scev.ll');
    fs.writeFileSync(file, deepScevIr(100_000));
    const own = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1, allowFileBenchmarks: true, stepTimeoutMs: 150 });
    await own.start();
    const client = new ServiceClient(own.endpoint, { timeoutMs: 60_000 });
    try {
      const names = (await client.call('getSpaces', {})).actionSpaces![0].actions!;
      const [noop, indvars] = [names.indexOf('no-op-module'), names.indexOf('indvars')];
      const r = (await client.call('startSession', { benchmark: `file://${file}`, actions: [noop, indvars] }));
      expect(['WorkerCrash', 'StepTimeout']).toContain(r.errorType);
      expect(r.errorDetails).toMatch(/^action 1 \(indvars\) of 2 failed: /);
      expect(r.episodeActions).toEqual([noop]);
      // The session stands after the actions before the failing one, and goes on.
      const step = await client.call('step', { sessionId: r.sessionId, actions: [noop] });
      expect(step.episodeActions).toEqual([noop, noop]);
    } finally {
      client.close();
      await own.close();
    }
  }, 60_000);

  test('ListBenchmarks lists the datasets, and pages through an installed one', async () => {
    const client = new ServiceClient(endpoint, { timeoutMs: 30_000 });
    try {
      const { datasets } = await client.call('listBenchmarks', {});
      const byName = Object.fromEntries(datasets!.map((d) => [d.name, d]));
      expect(byName['csmith-v0']).toMatchObject({ generator: true });
      expect(byName['embedded-v0'].generator).toBeFalsy();
      const page = await client.call('listBenchmarks', { dataset: 'embedded-v0', offset: 2, limit: 3 });
      expect(page.total).toBe(8);
      expect(page.benchmarks).toEqual(['benchmark://embedded-v0/crc32', 'benchmark://embedded-v0/dijkstra', 'benchmark://embedded-v0/matmul']);
      await expect(client.call('listBenchmarks', { dataset: 'csmith-v0' })).rejects.toThrow(/is a generator: its benchmarks are generator:\/\/csmith-v0\/SEED/);
      await expect(client.call('listBenchmarks', { dataset: 'nope' })).rejects.toMatchObject({ code: 'UNKNOWN_BENCHMARK' });
      await expect(client.call('listBenchmarks', { dataset: 'embedded-v0', limit: 5000 })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    } finally {
      client.close();
    }
  });

  test('a Request that sets two methods is refused, naming both', async () => {
    const { Request } = messageTypes();
    // Two encoded messages concatenated merge into one Request with both oneof members on the wire.
    const two = Buffer.concat([encode(Request, { requestId: 9, getVersion: {} }), encode(Request, { getSpaces: {} })]);
    const r = await raw([two]);
    expect(r).toMatchObject({ requestId: 9, error: { code: 'BAD_REQUEST' } });
    expect(r.error?.message).toMatch(/exactly one method; this one sets getVersion and getSpaces/);
  });

  test('an oversize message gets MESSAGE_TOO_LARGE', async () => {
    const big = Buffer.from(encode(messageTypes().Request, { requestId: 3, addBenchmark: { name: 'big.ll', contents: Buffer.alloc(2 << 20, 0x20) } }));
    const r = await raw([big]);
    expect(r.error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(r.error?.message).toMatch(/exceeds the server's limit of 1048576 bytes/);
  });

  test('a session belongs to its client: another gets SESSION_NOT_OWNED for every session request, and sees no cached reply', async () => {
    const owner = new ServiceClient(endpoint, { timeoutMs: 10_000 });
    const stranger = new ServiceClient(endpoint, { timeoutMs: 10_000 });
    try {
      const { sessionId } = await owner.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' });
      // 16 random bytes (128 bits), not a small counter.
      expect(sessionId).toHaveLength(16);
      const other = (await owner.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' })).sessionId!;
      expect(other.equals(sessionId!)).toBe(false);
      await owner.call('endSession', { sessionId: other });
      await owner.call('step', { sessionId, actions: [0] });
      for (const [method, body] of [
        ['step', { sessionId, actions: [1] }],
        ['observe', { sessionId, observationSpaces: ['Ir'] }],
        ['forkSession', { sessionId }],
        ['setParameter', { sessionId, name: 'runtime_observation_count', value: '2' }],
        ['endSession', { sessionId }],
      ] as const) {
        const call = () => stranger.call(method, body as wire.IStepRequest);
        await expect(call()).rejects.toMatchObject({ code: 'SESSION_NOT_OWNED', message: expect.stringMatching(/belongs to another client/) });
        await expect(call()).rejects.toBeInstanceOf(SessionNotOwnedError);
      }
      // A request id the owner used, replayed under another client_id, gets no cached reply.
      const { Request, Response } = messageTypes();
      const sock = new zmq.Dealer({ linger: 0 });
      sock.connect(endpoint);
      const send = async (clientId: Buffer, actions: number[]) => {
        await sock.send(Buffer.from(encode(Request, { requestId: 424242, clientId, step: { sessionId, actions } })));
        return decode(Response, (await sock.receive())[0]);
      };
      expect((await send(owner.clientId, [2])).step!.episodeActions).toEqual([0, 2]);
      expect((await send(owner.clientId, [2])).step!.episodeActions).toEqual([0, 2]); // the owner's resend: cached
      expect((await send(Buffer.alloc(16, 7), [2])).error?.code).toBe('SESSION_NOT_OWNED');
      expect((await send(Buffer.alloc(3, 7), [2])).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/client_id must be 16 to 64/) });
      sock.close();
      expect((await owner.call('step', { sessionId, actions: [3] })).episodeActions).toEqual([0, 2, 3]);
      await owner.call('endSession', { sessionId });
    } finally {
      owner.close();
      stranger.close();
    }
  });

  test('StartSession.seed draws a dataset\'s or generator\'s program as a local reset(seed) does', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    const local = await make('llvm-ic-v0', { pool });
    const remote = await make('llvm-ic-v0', { endpoint });
    try {
      const drawn = new Set<string>();
      for (const seed of [0, 1, 2, 3, 4, 5]) {
        const l = await local.reset({ benchmark: 'benchmark://embedded-v0', seed });
        const r = await remote.reset({ benchmark: 'embedded-v0/', seed });
        expect(r.info.benchmark).toBe(l.info.benchmark);
        expect(r.info.benchmark).toMatch(/^benchmark:\/\/embedded-v0\/\w+$/);
        drawn.add(r.info.benchmark as string);
      }
      expect(drawn.size).toBeGreaterThan(1);
      // reset() keeps the dataset as its target: each reset draws again.
      expect((await remote.reset({ seed: 4 })).info.benchmark).toBe((await local.reset({ seed: 4 })).info.benchmark);
      await expect(remote.reset({ seed: -1 })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
      await expect(local.reset({ seed: 0.5 })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
      const g = await remote.reset({ benchmark: 'generator://llvm-stress-v0', seed: 9 });
      expect(g.info.benchmark).toBe((await local.reset({ benchmark: 'generator://llvm-stress-v0', seed: 9 })).info.benchmark);
      await expect(remote.reset({ benchmark: 'benchmark://no-such-v0', seed: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_BENCHMARK' });
    } finally {
      await local.close();
      await remote.close();
      pool.close();
    }
  });

  test('max_episode_steps truncates the episode like TimeLimit; a step past it is EPISODE_STATE', async () => {
    const client = new ServiceClient(endpoint, { timeoutMs: 10_000 });
    try {
      await expect(client.call('startSession', { benchmark: '', maxEpisodeSteps: 1_000_001 })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
      // The replayed action counts: 1 of 3.
      const { sessionId } = await client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32', maxEpisodeSteps: 3, actions: [0] });
      expect((await client.call('step', { sessionId, actions: [1] })).truncated).toBeFalsy();
      const fork = (await client.call('forkSession', { sessionId })).sessionId;
      const last = await client.call('step', { sessionId, actions: [2] });
      expect([last.truncated, last.terminated, last.episodeActions]).toEqual([true, false, [0, 1, 2]]);
      await expect(client.call('step', { sessionId, actions: [3] })).rejects.toMatchObject({ code: 'EPISODE_STATE', message: expect.stringMatching(/limit of 3 steps/) });
      // A fork keeps the count: one step left.
      expect((await client.call('step', { sessionId: fork, actions: [4, 5] })).truncated).toBe(true);
      for (const sid of [sessionId, fork]) await client.call('endSession', { sessionId: sid });
    } finally {
      client.close();
    }
  });

  test('an unknown session id and a step on an ended session', async () => {
    const client = new ServiceClient(endpoint, { timeoutMs: 10_000 });
    // A StartSession with a bad replayed action is refused before any work and leaves no session behind.
    const before = [server.sessionCount, server.pool.sessionCount];
    await expect(client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32', actions: [0, 99_999] })).rejects.toMatchObject({ code: 'UNKNOWN_ACTION' });
    expect([server.sessionCount, server.pool.sessionCount]).toEqual(before);
    await expect(client.call('step', { sessionId: Buffer.alloc(16, 9), actions: [0] })).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(client.call('step', { actions: [0] })).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND', message: expect.stringMatching(/session_id is empty/) });
    const { sessionId } = await client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' });
    await client.call('endSession', { sessionId });
    await expect(client.call('step', { sessionId, actions: [0] })).rejects.toThrow(/no session/);
    client.close();
  });

  test('a session whose request runs longer than the session timeout is not reclaimed under it', async () => {
    // The suite's server ends sessions idle for 2 s; 100 Runtime runs of matmul take about 5 s here.
    const client = new ServiceClient(endpoint, { timeoutMs: 60_000 });
    try {
      const { sessionId } = await client.call('startSession', { benchmark: 'benchmark://embedded-v0/matmul' });
      await client.call('setParameter', { sessionId, name: 'runtime_observation_count', value: '100' });
      const t0 = Date.now();
      const r = await client.call('observe', { sessionId, observationSpaces: ['Runtime'] });
      expect(Date.now() - t0).toBeGreaterThan(2_500);
      expect(r.observations!.Runtime.doubleTensor!.values).toHaveLength(100);
      // Still there: the sweep skipped it while its request ran, and its idle time restarts now.
      expect((await client.call('step', { sessionId, actions: [0] })).episodeActions).toEqual([0]);
      await client.call('endSession', { sessionId });
    } finally {
      client.close();
    }
  }, 60_000);

  test('a client that dies mid-episode has its session reclaimed after the session timeout', async () => {
    const before = server.sessionCount;
    const client = new ServiceClient(endpoint);
    await client.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' });
    expect(server.sessionCount).toBe(before + 1);
    client.close();
    await new Promise((r) => setTimeout(r, 4000));
    expect(server.sessionCount).toBe(before);
  });

  test('a worker killed with SIGKILL during a step: error in info for that step, then the session continues', async () => {
    const env = await make('llvm-ic-v0', { endpoint, actionSpace: 'PassesWithLevels' });
    await env.reset({ benchmark: 'benchmark://embedded-v0/matmul' });
    await env.step('mem2reg');
    const heavy = Array.from({ length: 40 }, () => 'default<O3>');
    const step = env.multistep(heavy);
    // Kill only once the step is running in a worker.
    while (server.pool.inflight() === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    for (const pid of server.pool.workerPids) process.kill(pid, 'SIGKILL');
    const r = await step;
    expect(r.info.error_type).toBe('WorkerCrash');
    expect(r.info.recovered_state).toBe('deterministic'); // mem2reg only: replayed without a hash
    expect(env.actions).toHaveLength(1);
    const next = await env.step('instcombine');
    expect(next.info.error_type).toBeUndefined();
    expect(env.actions).toHaveLength(2);
    await env.close();
  });

  test('an uploaded program compiles and runs in sessions but is never executed', async () => {
    const client = new ServiceClient(endpoint);
    const source = 'int f(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * i; return s; }\nint main(void) { return f(10) == 285 ? 0 : 1; }\n';
    const { benchmark } = await client.call('addBenchmark', { name: 'prog.c', contents: Buffer.from(source) });
    expect(benchmark).toMatch(/^benchmark:\/\/uploaded-v0\/[0-9a-f]{64}$/);
    const env = await make('llvm-ic-v0', { endpoint });
    await env.reset({ benchmark });
    await env.step('mem2reg');
    expect(await env.observe('IsRunnable')).toBe(false);
    await expect(env.observe('Runtime')).rejects.toThrow(/not runnable/);
    await expect(client.call('addBenchmark', { name: 'bad.c', contents: Buffer.from('int main( {') })).rejects.toMatchObject({ code: 'BENCHMARK_BUILD_FAILED' });
    await expect(client.call('addBenchmark', { name: 'x.exe', contents: Buffer.from('MZ') })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(client.call('addBenchmark', { name: 'junk.ll', contents: Buffer.from('this is not IR') })).rejects.toMatchObject({ code: 'INVALID_IR' });
    await expect(client.call('addBenchmark', { name: 'bad2.c', contents: Buffer.from('int main( {') })).rejects.toThrow(/upload\.c:1/);
    await env.close();
    client.close();
  });

  test('an upload compiles in a sandbox: it cannot include server files, and /dev/zero fails at once', async () => {
    const client = new ServiceClient(endpoint, { timeoutMs: 30_000 });
    try {
      // System headers are there; the server's files are not.
      const ok = await client.call('addBenchmark', { name: 'io.c', contents: Buffer.from('#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n') });
      expect(ok.benchmark).toMatch(/^benchmark:\/\/uploaded-v0\//);
      for (const file of ['/etc/passwd', '/etc/hostname', `${process.cwd()}/package.json`]) {
        const e = await client.call('addBenchmark', { name: 'leak.c', contents: Buffer.from(`#include "${file}"\nint main(void) { return 0; }\n`) }).catch((err) => err);
        expect(e).toMatchObject({ code: 'BENCHMARK_BUILD_FAILED', message: expect.stringContaining(`'${file}' file not found`) });
        expect(e.message).not.toMatch(/root:|"name": "passgym"/);
      }
      const t0 = Date.now();
      await expect(client.call('addBenchmark', { name: 'zero.c', contents: Buffer.from('#include "/dev/zero"\nint main(void) { return 0; }\n') })).rejects.toMatchObject({
        code: 'BENCHMARK_BUILD_FAILED',
        message: expect.stringContaining("'/dev/zero' file not found"),
      });
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      client.close();
    }
  });
});
