import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_BINDING_DIR, ELECTRON_BINDING_FILE, ELECTRON_BINDING_STAMP, locateNativeBinding } from '../../src-main/hosts/electron/native-binding';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();

function appWithBinding(stamp: unknown): string {
  const root = tempDir();
  const dir = join(root, ELECTRON_BINDING_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ELECTRON_BINDING_FILE), 'not really a binary');
  if (stamp !== undefined) writeFileSync(join(dir, ELECTRON_BINDING_STAMP), typeof stamp === 'string' ? stamp : JSON.stringify(stamp));
  return root;
}

describe('Electron build of better-sqlite3', () => {
  it('is found at build/electron/better_sqlite3.node next to the app when stamped for this Electron', () => {
    const root = appWithBinding({ electron: '45.5.0', abi: '150' });
    expect(locateNativeBinding(root, '45.5.0')).toEqual({ ok: true, path: join(root, 'build', 'electron', 'better_sqlite3.node') });
  });

  it('when missing, tells the developer to run npm run rebuild:electron', () => {
    const result = locateNativeBinding(tempDir(), '45.5.0');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(/missing.*npm run rebuild:electron/s);
  });

  it('refuses a build made for another Electron, or without a readable stamp, with the same advice', () => {
    for (const stamp of [{ electron: '44.0.0' }, undefined, 'not json', { electron: 45 }]) {
      const result = locateNativeBinding(appWithBinding(stamp), '45.5.0');
      expect(result.ok, JSON.stringify(stamp)).toBe(false);
      expect(result.ok ? '' : result.message).toContain('npm run rebuild:electron');
    }
  });
});
