// A library must let its caller's process end when the caller is done: a script that makes,
// resets, steps and closes an environment (local, or remote over ZeroMQ) exits by itself.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PassGymServer } from '../../env/service/server';
import { tempDir } from '../helpers';

const INDEX = path.resolve(__dirname, '..', '..', 'env', 'index.js');

/** Runs `body` as a CommonJS script with `make` in scope; resolves with its exit code and output, or 'hung'. */
function runScript(body: string, timeoutMs = 60_000): Promise<{ code: number | null | 'hung'; out: string }> {
  const file = path.join(tempDir(), 'script.js');
  fs.writeFileSync(file, `const { make } = require(${JSON.stringify(INDEX)});\n(async () => {\n${body}\n})();\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'hung', out });
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const EPISODE = `
  await env.reset({ benchmark: 'benchmark://embedded-v0/qsort' });
  const r = await env.step('instcombine');
  const copy = await env.fork();
  await copy.step('gvn');
  await copy.close();
  await env.close();
  console.log('done', typeof r.reward);
`;

test('a script on a local environment exits by itself after close()', async () => {
  const r = await runScript(`const env = await make('llvm-ic-v0');${EPISODE}`);
  expect(r).toEqual({ code: 0, out: 'done number\n' });
});

test('a script on a remote environment exits by itself after close()', async () => {
  const server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers: 1 });
  await server.start();
  try {
    const r = await runScript(`const env = await make('llvm-ic-v0', { endpoint: ${JSON.stringify(server.endpoint)} });${EPISODE}`);
    expect(r).toEqual({ code: 0, out: 'done number\n' });
  } finally {
    await server.close();
  }
});

test('a script goes on after a worker died while idle: the respawned worker holds the process while it starts', async () => {
  // The worker is killed with no session on it, so it is respawned idle (not holding the process);
  // the next session must still get its answer rather than the process ending with it pending.
  const r = await runScript(`
  const { WorkerPool } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'env', 'session', 'pool.js'))});
  const pool = new WorkerPool({ maxWorkers: 1 });
  const first = await pool.startSession('benchmark://embedded-v0/qsort');
  await pool.endSession(first);
  const [pid] = pool.workerPids;
  process.kill(pid, 'SIGKILL');
  while (pool.workerPids[0] === pid) await new Promise((r) => setTimeout(r, 5));
  const sid = await pool.startSession('benchmark://embedded-v0/crc32');
  const step = await pool.step(sid, ['mem2reg'], ['IrInstructionCount']);
  console.log('done', step.ok);
  await pool.endSession(sid);
  pool.close();
`);
  expect(r).toEqual({ code: 0, out: 'done true\n' });
});
