/**
 * The package as a user gets it: `npm pack`'s tarball installs into a fresh project, and the
 * README's quickstart (examples/quickstart.ts, compiled) runs there with `import … from 'passgym'`
 * and exits by itself. Dependencies come from npm's cache (`npm ci` filled it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('npm pack installs into a fresh folder, and the quickstart runs there and exits', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-pack-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const tarball = execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(dir, tarball)], { cwd: app, stdio: 'pipe', timeout: 240_000 });
    fs.copyFileSync(path.join(ROOT, 'dist', 'examples', 'quickstart.js'), path.join(app, 'quickstart.js'));
    const r = spawnSync(process.execPath, ['quickstart.js'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0); // exited by itself, well before the timeout
    expect(r.stdout).toMatch(/episode reward: [\d.]+ \(1\.0 = as small as -Oz\)/);
    expect(r.stdout).toMatch(/ok: true/);
    // It ran the installed copy, not the checkout.
    const resolved = execFileSync(process.execPath, ['-p', "require.resolve('passgym')"], { cwd: app, encoding: 'utf8' }).trim();
    expect(resolved).toBe(path.join(fs.realpathSync(app), 'node_modules', 'passgym', 'dist', 'env', 'index.js'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 360_000);
