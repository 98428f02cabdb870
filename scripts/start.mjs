// `npm start` (after `npm run build`): the desktop app when Electron's binary is installed (first
// building better-sqlite3 for Electron's ABI when that build is missing or for another Electron);
// otherwise browser mode, `driftline serve`, whose URL line appears on this terminal.
// The Electron package can be present without its binary (scripts/postinstall.mjs adds it that way
// where the binary cannot be downloaded), so the check is for the file path.txt names.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBindingCurrent } from './electron-binding.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);

function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
let child;
if (binary) {
  if (!electronBindingCurrent(root)) {
    // Once per Electron version. On failure the app still starts and its dialog repeats the advice.
    console.log('driftline: building the database driver for Electron (once per Electron version)…');
    spawnSync(process.execPath, [join(root, 'scripts', 'rebuild-electron.mjs')], { cwd: root, stdio: 'inherit' });
  }
  const env = { ...process.env };
  // Inherited from some terminals (VS Code's); it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  // `electron .` runs package.json "main": out/main/index.js.
  child = spawn(binary, ['.', ...extraArgs], { cwd: root, stdio: 'inherit', env });
} else {
  console.log('driftline: the Electron binary is not installed, so Driftline starts in browser mode.');
  child = spawn(process.execPath, [join(root, 'bin', 'driftline.js'), 'serve', ...extraArgs], { cwd: root, stdio: 'inherit' });
}

// Stopping this process stops the app. A terminal's Ctrl+C also reaches the child directly (same
// process group), so the signal is passed on as SIGTERM: a second SIGINT would cut the child's
// clean shutdown short, while SIGTERM takes the same graceful path.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill('SIGTERM'));

child.on('error', (err) => {
  console.error(`driftline: could not start: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
