// Where the Electron build of better-sqlite3 lives, shared by `npm start` and `npm run
// rebuild:electron` (the app itself checks the same files in src-main/hosts/electron/native-binding.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The binding and the stamp naming the Electron version it was built for. */
export function electronBinding(root) {
  const dir = join(root, 'build', 'electron');
  return { dir, file: join(dir, 'better_sqlite3.node'), stamp: join(dir, 'better_sqlite3.json') };
}

/** Whether the binding exists and was built for the Electron installed under `root`. */
export function electronBindingCurrent(root) {
  const { file, stamp } = electronBinding(root);
  try {
    const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
    return JSON.parse(readFileSync(stamp, 'utf8')).electron === version && existsSync(file);
  } catch {
    return false;
  }
}
