import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { tempDir } from '../helpers';

const CLI = path.resolve(__dirname, '..', '..', 'scripts', 'cli.js');

describe('passgym CLI', () => {
  test('apply --json prints one JSON line per step', () => {
    const out = execFileSync(process.execPath, [CLI, 'apply', '--benchmark', 'benchmark://embedded-v0/qsort', '--actions', 'mem2reg,-instcombine,gvn',
      '--reward', 'IrInstructionCountOz', '--observation', 'IrInstructionCount', '--json'], { encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    // -instcombine is spelled instcombine<no-verify-fixpoint> from LLVM 18 (env/actions/flags.ts).
    expect(lines.map((l) => l.action)).toEqual(['mem2reg', expect.stringMatching(/^instcombine(<no-verify-fixpoint>)?$/), 'gvn']);
    expect(lines[2].episode_reward).toBeCloseTo(lines.reduce((a: number, l: { reward: number }) => a + l.reward, 0), 9);
    expect(typeof lines[0].observations.IrInstructionCount).toBe('number');
  });

  test('bad values are refused before anything runs, naming the flag and its range; the error comes first, without the help', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
    const cases: [string[], RegExp][] = [
      [['search', '--budget-seconds', '-5'], /^passgym: --budget-seconds must be a number > 0, got -5$/m],
      [['search', '--budget-seconds', 'abc'], /^passgym: --budget-seconds must be a number > 0, got abc$/m],
      [['search', '--budget-steps', '0'], /--budget-steps must be a whole number ≥ 1, got 0/],
      [['leaderboard', 'run', '--agent', 'oz', '--dataset', 'embedded-v0', '--out', '/tmp/x.csv', '--workers', '0'], /--workers must be a whole number ≥ 1, got 0/],
      [['serve', '--max-sessions', '1.5'], /--max-sessions must be a whole number ≥ 1, got 1\.5/],
      [['serve', '--bind', '127.0.0.1:5555'], /--bind 127\.0\.0\.1:5555: give a ZeroMQ endpoint such as tcp:\/\/127\.0\.0\.1:5555/],
      [['serve', '--bogus'], /^passgym: Unknown argument: bogus\n\(passgym serve --help lists the options\)$/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(r.stdout).toBe('');
    }
  });

  test('Ctrl-C in leaderboard run keeps the rows done, says how to go on and exits 130; a rerun without --resume is refused', async () => {
    const out = path.join(tempDir(), 'random.csv');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'leaderboard', 'run', '--agent', 'random', '--dataset', 'embedded-v0', '--split', 'validation', '--time-budget', '1', '--out', out]);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (c) => reject(new Error(`leaderboard run exited (${c}) before a row: ${stderr}`)));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // The header comes with the first row; interrupt once a row is in.
        if (/embedded-v0\//.test(stdout)) resolve();
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted; the rows done are in .*random\.csv: rerun with --resume to continue/);
    expect(fs.readFileSync(out, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(2);
    const again = spawnSync(process.execPath, [CLI, 'leaderboard', 'run', '--agent', 'random', '--dataset', 'embedded-v0', '--split', 'validation', '--time-budget', '1', '--out', out], { encoding: 'utf8' });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists: pass --resume to continue it, or --force to replace it/);
    expect(again.stdout).toBe(''); // no table header before the refusal
  }, 120_000);

  test('info --json reports LLVM and the action spaces', () => {
    const info = JSON.parse(execFileSync(process.execPath, [CLI, 'info', '--json'], { encoding: 'utf8' }));
    expect(info.llvm.major).toBeGreaterThanOrEqual(14);
    expect(info.actionSpaces.map((s: { name: string }) => s.name)).toEqual(['PassesAll', 'PassesWithLevels']);
    expect(info.actionSpaces[1].n).toBe(info.actionSpaces[0].n + 5);
    for (const space of info.actionSpaces) {
      expect(space.metadata.map((m: { action: string }) => m.action)).toEqual(space.actions);
      // Measured on LLVM 14 (env/actions/metadata/llvm-14.json).
      if (info.llvm.major === 14) {
        expect(space.metadata.find((m: { action: string }) => m.action === 'attributor')).toMatchObject({ deterministic: false, knownMiscompile: true, measured: true });
      }
      const instcombine = space.metadata.find((m: { flags: string[] }) => m.flags.includes('-instcombine'));
      expect(instcombine).toMatchObject({ deterministic: true, knownMiscompile: false, spellings: ['instcombine<no-verify-fixpoint>', 'instcombine'] });
      expect(instcombine.action).toBe(info.llvm.major >= 18 ? 'instcombine<no-verify-fixpoint>' : 'instcombine');
    }
  });

  test('docs/actions.md is what info --markdown generates (on LLVM 14; elsewhere, for every flag)', () => {
    const generated = execFileSync(process.execPath, [CLI, 'info', '--markdown'], { encoding: 'utf8' });
    const committed = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'actions.md'), 'utf8');
    const major = JSON.parse(execFileSync(process.execPath, [CLI, 'info', '--json'], { encoding: 'utf8' })).llvm.major;
    if (major === 14) {
      expect(committed).toBe(generated);
    } else {
      // The committed table is LLVM 14's; on another LLVM the table still has one row per flag,
      // with the same flags and spellings (the action and its metadata are this version's).
      const flagCells = (md: string) => md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).map((l) => l.split(' | ').slice(1, 3).join(' | '));
      expect(flagCells(generated)).toEqual(flagCells(committed));
      expect(flagCells(generated)).toHaveLength(124);
    }
  });

  test('bad input exits 2 with a message naming the problem', () => {
    const r = spawnSync(process.execPath, [CLI, 'apply', '--benchmark', 'benchmark://embedded-v0/nope', '--actions', 'gvn'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no benchmark 'nope'; valid: adpcm/);
  });
});
