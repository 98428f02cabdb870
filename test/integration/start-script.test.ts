import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawRequest, signIn } from '../helpers/browser-session';
import { startChild } from '../helpers/child-process';
import { useTempDir } from '../helpers/temp-dir';

const repo = join(__dirname, '..', '..');
const tempDir = useTempDir();

/** A copy of the app root with no node_modules/electron: what a machine without the binary has. */
function rootWithoutElectron(): string {
  const root = tempDir();
  mkdirSync(join(root, 'scripts'));
  cpSync(join(repo, 'scripts', 'start.mjs'), join(root, 'scripts', 'start.mjs'));
  // bin/driftline.js finds the built CLI relative to its real location (the repo's out/).
  symlinkSync(join(repo, 'bin'), join(root, 'bin'));
  return root;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start (scripts/start.mjs)', () => {
  it('without the Electron binary, says so in one line and runs browser mode, printing its URL; stopping it stops the server', async () => {
    const root = rootWithoutElectron();
    const child = startChild(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: { ...process.env, DRIFTLINE_DATA: join(tempDir(), 'data') },
    });
    try {
      const url = await child.waitForStdout((out) => /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m.exec(out)?.[0], 20_000);
      const lines = child.stdout().trim().split('\n');
      expect(lines[0]).toBe('driftline: the Electron binary is not installed, so Driftline starts in browser mode.');
      expect(lines.filter((l) => /Electron/.test(l))).toHaveLength(1);
      const port = Number(new URL(url).port);
      expect(await portOpen(port)).toBe(true);
      // The printed link signs in and the app's page is served.
      const cookie = await signIn(url);
      const page = await rawRequest(`http://127.0.0.1:${port}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('<div id="root">');

      const exit = await child.stop(10_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(await portOpen(port)).toBe(false);
    } finally {
      await child.stop();
    }
  });
});
