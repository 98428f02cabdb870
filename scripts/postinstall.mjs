// Runs after `npm install` / `npm ci`.
// 1. Electron is an optional dependency: where its binary cannot be downloaded, its install script
//    fails and npm drops the package entirely. Put the package back without its binary, so its
//    types and electron-vite keep working; `npm start` then runs browser mode (scripts/start.mjs).
//    npm refuses to re-add a dropped optional dependency in place ("up to date"), so the package is
//    installed into a scratch folder and copied in.
// 2. Build once, so `npx driftline …` works right after install.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = pkg.optionalDependencies?.electron;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const electronDir = join(root, 'node_modules', 'electron');

if (electronVersion && !existsSync(join(electronDir, 'package.json'))) {
  console.log(`driftline: Electron ${electronVersion}'s binary is unavailable here; adding its package without the binary (browser mode only).`);
  const scratch = mkdtempSync(join(tmpdir(), 'driftline-electron-'));
  try {
    writeFileSync(join(scratch, 'package.json'), '{"name":"driftline-electron-scratch","private":true}');
    execFileSync(
      npm,
      ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', `electron@${electronVersion}`],
      { cwd: scratch, stdio: 'inherit', shell: process.platform === 'win32' },
    );
    cpSync(join(scratch, 'node_modules', 'electron'), electronDir, { recursive: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (existsSync(join(root, 'node_modules', 'electron-vite'))) {
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
} else {
  console.log('driftline: dev dependencies not installed; skipping the build.');
}
