import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// better-sqlite3 is a native addon: node_modules holds the build for Node (CLI, browser mode,
// tests); Electron needs a second build for its own ABI, made by `npm run rebuild:electron` into
// build/electron/ next to the app, with a stamp naming the Electron version it was built for.

export const ELECTRON_BINDING_DIR = join('build', 'electron');
export const ELECTRON_BINDING_FILE = 'better_sqlite3.node';
/** Written by scripts/rebuild-electron.mjs: `{ "electron": "<version>" }`. */
export const ELECTRON_BINDING_STAMP = 'better_sqlite3.json';

export type NativeBinding = { ok: true; path: string } | { ok: false; message: string };

const REBUILD = 'Run `npm run rebuild:electron` in the Driftline folder, then start Driftline again.';

function stampedVersion(file: string): string | null {
  try {
    const stamp: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof stamp === 'object' && stamp !== null && 'electron' in stamp && typeof stamp.electron === 'string' ? stamp.electron : null;
  } catch {
    return null;
  }
}

/**
 * The Electron build of better-sqlite3 under `appRoot`, or the message to show the developer:
 * missing, or built for another Electron (loading it would fail with an ABI error).
 */
export function locateNativeBinding(appRoot: string, electronVersion: string): NativeBinding {
  const dir = join(appRoot, ELECTRON_BINDING_DIR);
  const path = join(dir, ELECTRON_BINDING_FILE);
  if (!existsSync(path)) {
    return { ok: false, message: `The database driver for Electron is missing (${path}). ${REBUILD}` };
  }
  const built = stampedVersion(join(dir, ELECTRON_BINDING_STAMP));
  if (built !== electronVersion) {
    return {
      ok: false,
      message: `The database driver in ${dir} was built for Electron ${built ?? '(unknown)'}, but this is Electron ${electronVersion}. ${REBUILD}`,
    };
  }
  return { ok: true, path };
}
