/**
 * `--agent python:FILE`: a Python agent (a file defining `policy(env, budget)`, see
 * `python/passgym/leaderboard.py`) on the leaderboard. The first run starts a PassGym server on a
 * free loopback port in this process; each benchmark then runs
 * `/usr/bin/python3 -m passgym.leaderboard FILE --endpoint … --benchmark …` and reads the action
 * list from its last line. The harness replays that list like any agent's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Agent, AgentContext, AgentOptions, AgentResult } from '../agent';
import { checkOptionKeys, numberOption } from '../options';
import { PassGymServer } from '../../env/service/server';

/** The interpreter with Debian's python3-zmq and python3-protobuf (DESIGN.md, "Python"). */
export const PYTHON = process.env.PASSGYM_PYTHON ?? '/usr/bin/python3';
const PYTHON_DIR = path.resolve(__dirname, '../../../python');
const MARKER = 'PASSGYM_RESULT ';

/**
 * A Python agent from `file`. Options: `workers` (server workers, default one per core),
 * `graceSeconds` (how long past its time budget the process may run before it is killed,
 * default 30).
 * @throws Error when the file does not exist or an option is unknown.
 */
export function pythonAgent(file: string, options: AgentOptions): Agent {
  checkOptionKeys(`python:${file}`, options, ['workers', 'graceSeconds']);
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new Error(`python agent file not found: ${file}`);
  const workers = numberOption(options, 'workers', os.cpus().length, 1);
  const grace = numberOption(options, 'graceSeconds', 30, 0);
  let server: PassGymServer | null = null;
  let endpoint = '';
  return {
    name: `python:${path.basename(file)}`,
    async run(context: AgentContext): Promise<AgentResult> {
      if (!server) {
        server = new PassGymServer({ bind: 'tcp://127.0.0.1:*', workers });
        await server.start();
        endpoint = server.endpoint;
      }
      const args = ['-m', 'passgym.leaderboard', abs, '--endpoint', endpoint, '--benchmark', context.benchmark, '--seed', String(context.seed), '--action-space', context.actionSpace];
      if (context.budget.seconds !== undefined) args.push('--seconds', String(context.budget.seconds));
      if (context.budget.steps !== undefined) args.push('--steps', String(context.budget.steps));
      const limitMs = context.budget.seconds !== undefined ? (context.budget.seconds + grace) * 1000 : undefined;
      const { stdout, stderr, code, killed } = await runPython(args, limitMs);
      const line = stdout.split('\n').reverse().find((l) => l.startsWith(MARKER));
      if (killed) throw new Error(`python agent ran past its budget + ${grace} s and was killed`);
      if (code !== 0 || !line) throw new Error(`python agent exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no result line'}`);
      const parsed = JSON.parse(line.slice(MARKER.length)) as { actions: number[]; steps: number };
      return { actions: parsed.actions, steps: parsed.steps };
    },
    async close() {
      await (server as PassGymServer | null)?.close();
      server = null;
    },
  };
}

function runPython(args: string[], limitMs?: number): Promise<{ stdout: string; stderr: string; code: number | null; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PYTHONPATH: [PYTHON_DIR, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
    const child = spawn(PYTHON, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = limitMs === undefined ? null : setTimeout(() => ((killed = true), child.kill('SIGKILL')), limitMs);
    child.on('error', (e) => reject(new Error(`cannot start ${PYTHON}: ${e.message}`)));
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ stdout, stderr, code, killed });
    });
  });
}
