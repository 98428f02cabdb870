// `npm start` (after `npm run build`): the desktop app when Electron's binary is installed (first
// building better-sqlite3 for Electron's ABI when that build is missing or for another Electron);
// otherwise browser mode, `driftline serve`, whose URL line appears on this terminal.
// The Electron package can be present without its binary (scripts/postinstall.mjs adds it that way
// where the binary cannot be downloaded), so the check is for the file path.txt names.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBindingCurrent } from './electron-binding.mjs';
import nodeRuntime from '../bin/node-runtime.js';

const { NODE_FLAGS, runChild } = nodeRuntime;

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
if (binary) {
  if (!electronBindingCurrent(root)) {
    // Once per Electron version. On failure the app still starts and its dialog repeats the advice.
    console.log('driftline: building the database driver for Electron (once per Electron version)…');
    spawnSync(process.execPath, [join(root, 'scripts', 'rebuild-electron.mjs')], { cwd: root, stdio: 'inherit' });
  }
  const env = { ...process.env };
  // Inherited from some terminals (VS Code's); it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  // `electron .` runs package.json "main": out/main/index.js. The core runs in Electron's main
  // process, whose V8 flags can only come from this switch.
  runChild(binary, [`--js-flags=${NODE_FLAGS.join(' ')}`, '.', ...extraArgs], { cwd: root, env });
} else {
  console.log('driftline: the Electron binary is not installed, so Driftline starts in browser mode.');
  runChild(process.execPath, [...NODE_FLAGS, join(root, 'bin', 'driftline.js'), 'serve', ...extraArgs], { cwd: root, ipc: true });
}
