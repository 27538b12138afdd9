import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

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
