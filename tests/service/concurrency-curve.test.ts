import path from 'node:path';
import { execFile } from 'node:child_process';
import * as zmq from 'zeromq';
import { PassGymServer } from '../../env/service/server';
import { ServiceClient } from '../../env/service/client';

function runClient(endpoint: string, index: number): Promise<{ client: number; sessions: number; steps: number; mismatches: number }> {
  const script = path.join(__dirname, 'fixtures', 'load-client.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, endpoint, String(index), '8', '12'], { timeout: 170_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`client ${index} failed: ${err.message} ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

describe('the service under load', () => {
  test('64 concurrent sessions from 8 client processes on 2 workers all complete, no reply crosses sessions', async () => {
    const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 2 });
    await server.start();
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, k) => runClient(server.endpoint, k)));
      expect(results.map((r) => r.sessions).reduce((a, b) => a + b, 0)).toBe(64);
      expect(results.map((r) => r.mismatches)).toEqual(Array(8).fill(0));
      expect(server.pool.workerPids).toHaveLength(2);
      expect(server.sessionCount).toBe(0);
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe('CURVE authentication and encryption', () => {
  test('a client with an allowed key is served; others are refused', async () => {
    const serverKeys = zmq.curveKeyPair();
    const allowed = zmq.curveKeyPair();
    const stranger = zmq.curveKeyPair();
    const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1, curveSecretKey: serverKeys.secretKey, curveClientKeys: [allowed.publicKey] });
    await server.start();
    const clients: ServiceClient[] = [];
    const connect = (keys: { publicKey: string; secretKey: string } | null) => {
      const c = new ServiceClient(server.endpoint, {
        timeoutMs: 1500,
        retries: 0,
        ...(keys ? { curveServerKey: serverKeys.publicKey, curvePublicKey: keys.publicKey, curveSecretKey: keys.secretKey } : {}),
      });
      clients.push(c);
      return c;
    };
    try {
      expect((await connect(allowed).call('getVersion')).protocol).toBe('passgym.v2');
      await expect(connect(stranger).call('getVersion')).rejects.toMatchObject({ code: 'NO_REPLY' });
      await expect(connect(null).call('getVersion')).rejects.toMatchObject({ code: 'NO_REPLY' });
    } finally {
      clients.forEach((c) => c.close());
      // The refused clients' last handshakes end before the server closes its sockets.
      await new Promise((r) => setTimeout(r, 200));
      await server.close();
    }
  });

  test('with CURVE a session belongs to its client_id: other clients are refused whatever their key, one with the same client_id is not', async () => {
    const serverKeys = zmq.curveKeyPair();
    const [a, b] = [zmq.curveKeyPair(), zmq.curveKeyPair()];
    const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1, curveSecretKey: serverKeys.secretKey, curveClientKeys: [a.publicKey, b.publicKey] });
    await server.start();
    const connect = (keys: { publicKey: string; secretKey: string }, clientId?: Buffer) =>
      new ServiceClient(server.endpoint, { timeoutMs: 10_000, curveServerKey: serverKeys.publicKey, curvePublicKey: keys.publicKey, curveSecretKey: keys.secretKey, clientId });
    const owner = connect(a);
    const clients = [owner, connect(a, owner.clientId), connect(b), connect(a)];
    try {
      const { sessionId } = await owner.call('startSession', { benchmark: 'benchmark://embedded-v0/crc32' });
      expect((await clients[1].call('step', { sessionId, actions: [0] })).episodeActions).toEqual([0]);
      await expect(clients[2].call('step', { sessionId, actions: [1] })).rejects.toMatchObject({ code: 'SESSION_NOT_OWNED' });
      await expect(clients[3].call('step', { sessionId, actions: [1] })).rejects.toMatchObject({ code: 'SESSION_NOT_OWNED' });
      await owner.call('endSession', { sessionId });
    } finally {
      clients.forEach((c) => c.close());
      await server.close();
    }
  });
});
