import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

const CLI = path.resolve(__dirname, '..', '..', 'scripts', 'cli.js');

describe('passgym CLI', () => {
  test('apply --json prints one JSON line per step', () => {
    const out = execFileSync(process.execPath, [CLI, 'apply', '--benchmark', 'benchmark://embedded-v0/qsort', '--actions', 'mem2reg,-instcombine,gvn',
      '--reward', 'IrInstructionCountOz', '--observation', 'IrInstructionCount', '--json'], { encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual(['mem2reg', 'instcombine', 'gvn']);
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
      expect(space.metadata.find((m: { action: string }) => m.action === 'instcombine')).toMatchObject({ deterministic: true, knownMiscompile: false });
    }
  });

  test('docs/actions.md is what info --markdown generates', () => {
    const generated = execFileSync(process.execPath, [CLI, 'info', '--markdown'], { encoding: 'utf8' });
    const committed = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'actions.md'), 'utf8');
    expect(committed).toBe(generated);
  });

  test('bad input exits 2 with a message naming the problem', () => {
    const r = spawnSync(process.execPath, [CLI, 'apply', '--benchmark', 'benchmark://embedded-v0/nope', '--actions', 'gvn'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no benchmark 'nope'; valid: adpcm/);
  });
});
