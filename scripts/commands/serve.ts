/**
 * `passgym serve --bind tcp://127.0.0.1:5555 [--workers N] …`: the ZeroMQ service
 * (`env/service/server.ts`). Prints `passgym serve: listening on ENDPOINT` when ready; SIGINT and
 * SIGTERM end every session and exit cleanly. `passgym curve-keypair` prints a CURVE key pair.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { CommandModule } from 'yargs';
import * as zmq from 'zeromq';
import { PassGymServer } from '../../env/service/server';

interface ServeArgs {
  bind: string;
  workers: number;
  'session-timeout': number;
  'max-message-bytes': number;
  'max-sessions': number;
  'max-sessions-per-client': number;
  'curve-secret-key'?: string;
  'curve-client-keys'?: string[];
  'allow-file-benchmarks': boolean;
  'allow-remote-install': boolean;
  'runtime-budget-seconds': number;
  'parent-pipe': boolean;
  'step-timeout': number;
  'allow-run-uploaded': boolean;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Serve PassGym environments over ZeroMQ (protocol: proto/passgym.proto)',
  builder: (y) =>
    y
      .option('bind', { type: 'string', default: 'tcp://127.0.0.1:5555', describe: 'endpoint to bind (loopback unless told otherwise)' })
      .option('workers', { type: 'number', default: os.cpus().length, describe: 'worker processes' })
      .option('session-timeout', { type: 'number', default: 600, describe: 'seconds a silent session lives' })
      .option('max-message-bytes', { type: 'number', default: 64 * 2 ** 20, describe: 'larger requests get MESSAGE_TOO_LARGE' })
      .option('max-sessions', { type: 'number', default: 1000, describe: 'sessions open at once over all clients (more get SESSION_LIMIT)' })
      .option('max-sessions-per-client', { type: 'number', default: 256, describe: 'sessions open at once per client' })
      .option('curve-secret-key', { type: 'string', describe: 'server CURVE secret key (Z85); enables authentication and encryption' })
      .option('curve-client-keys', { type: 'string', array: true, describe: 'public keys (Z85) of the clients allowed in' })
      .option('allow-file-benchmarks', { type: 'boolean', default: false, describe: "let clients name file:// paths on this machine" })
      .option('step-timeout', { type: 'number', default: 300, describe: 'seconds a step may take' })
      .option('runtime-budget-seconds', {
        type: 'number',
        default: 60,
        describe: 'seconds of program runs one Runtime observation may take (then RUNTIME_BUDGET_EXCEEDED)',
      })
      .option('allow-run-uploaded', { type: 'boolean', default: false, describe: 'let uploaded C programs run (sandboxed: no network, scratch folder, timeout)' })
      .option('parent-pipe', {
        type: 'boolean',
        default: false,
        describe: 'exit when stdin reaches its end: a parent that starts this server on a pipe never leaves it orphaned, even when it is killed; an ipc:// socket is removed at exit, and its folder when that is an empty passgym-* folder',
      })
      .option('allow-remote-install', {
        type: 'boolean',
        default: false,
        describe: 'let a request for a dataset not installed here start its installation (in the background; until then such requests get DATASET_INSTALLING)',
      }) as never,
  handler: async (argv) => {
    if (!/^(tcp|ipc|inproc):\/\/./.test(argv.bind)) {
      throw new Error(`--bind ${argv.bind}: give a ZeroMQ endpoint such as tcp://127.0.0.1:5555 or ipc:///tmp/passgym.sock`);
    }
    if (argv['curve-secret-key'] && !argv['curve-client-keys']?.length) {
      throw new Error('--curve-secret-key needs --curve-client-keys (the public keys of the clients to let in)');
    }
    if (!Number.isInteger(argv['max-sessions-per-client']) || argv['max-sessions-per-client'] < 1) {
      throw new Error(`--max-sessions-per-client must be a whole number of sessions, at least 1, got ${argv['max-sessions-per-client']}`);
    }
    if (!Number.isInteger(argv['max-sessions']) || argv['max-sessions'] < 1) throw new Error(`--max-sessions must be a whole number of sessions, at least 1, got ${argv['max-sessions']}`);
    if (!(argv['runtime-budget-seconds'] > 0)) throw new Error(`--runtime-budget-seconds must be a positive number of seconds, got ${argv['runtime-budget-seconds']}`);
    const server = new PassGymServer({
      bind: argv.bind,
      workers: argv.workers,
      sessionTimeoutSeconds: argv['session-timeout'],
      maxMessageBytes: argv['max-message-bytes'],
      maxSessions: argv['max-sessions'],
      maxSessionsPerClient: argv['max-sessions-per-client'],
      curveSecretKey: argv['curve-secret-key'],
      curveClientKeys: argv['curve-client-keys'],
      allowFileBenchmarks: argv['allow-file-benchmarks'],
      stepTimeoutMs: argv['step-timeout'] * 1000,
      runtimeBudgetSeconds: argv['runtime-budget-seconds'],
      allowRunUploaded: argv['allow-run-uploaded'],
      allowRemoteInstall: argv['allow-remote-install'],
    });
    try {
      await server.start();
    } catch (e) {
      await server.close().catch(() => undefined);
      const why = (e as Error).message;
      if (/in use/i.test(why)) throw new Error(`cannot bind ${argv.bind}: the address is already in use (another passgym serve? choose another port with --bind)`);
      throw new Error(`cannot bind ${argv.bind}: ${why}`);
    }
    console.log(`passgym serve: listening on ${server.endpoint}`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (argv['parent-pipe']) {
        // The parent holds the other end; its exit, however abrupt, closes it.
        process.stdin.once('end', stop);
        process.stdin.once('error', stop);
        process.stdin.resume();
      }
    });
    // A private server (its parent may have been killed before it could clean up): its ipc
    // socket goes with it, and so does the socket's folder when it is a private passgym-* folder
    // (as the Python client makes with mkdtemp) that is then empty.
    if (argv['parent-pipe'] && argv.bind.startsWith('ipc://')) {
      const socket = argv.bind.slice('ipc://'.length);
      fs.rmSync(socket, { force: true });
      if (path.basename(path.dirname(socket)).startsWith('passgym-')) {
        try {
          fs.rmdirSync(path.dirname(socket));
        } catch {
          // not empty: left as it is
        }
      }
    }
    console.log('passgym serve: stopped');
  },
};

export const curveKeypairCommand: CommandModule = {
  command: 'curve-keypair',
  describe: 'Print a new ZeroMQ CURVE key pair (Z85) as JSON',
  handler: () => {
    console.log(JSON.stringify(zmq.curveKeyPair()));
  },
};
