import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawRequest, signIn } from '../helpers/browser-session';
import { runToEnd, startChild } from '../helpers/child-process';
import { useTempDir } from '../helpers/temp-dir';

const repo = join(__dirname, '..', '..');
const tempDir = useTempDir();

/** A copy of the app root with no node_modules/electron: what a machine without the binary has. */
function rootWithoutElectron(): string {
  const root = tempDir();
  mkdirSync(join(root, 'scripts'));
  for (const script of ['start.mjs', 'electron-binding.mjs']) cpSync(join(repo, 'scripts', script), join(root, 'scripts', script));
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

  describe('with the Electron binary installed', () => {
    /**
     * An app root whose node_modules/electron names a stand-in binary (a script recording how it was
     * started: with the V8 flags the core needs in Electron's main process) and whose rebuild script is a stand-in that records its run and writes the stamp.
     */
    function rootWithElectron(stamp: string | null): { root: string; log: string } {
      const root = tempDir();
      const log = join(root, 'calls.log');
      mkdirSync(join(root, 'scripts'));
      for (const script of ['start.mjs', 'electron-binding.mjs']) cpSync(join(repo, 'scripts', script), join(root, 'scripts', script));
      symlinkSync(join(repo, 'bin'), join(root, 'bin'));
      writeFileSync(
        join(root, 'scripts', 'rebuild-electron.mjs'),
        `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, 'rebuild\\n');
mkdirSync('build/electron', { recursive: true });
writeFileSync('build/electron/better_sqlite3.node', '');
writeFileSync('build/electron/better_sqlite3.json', JSON.stringify({ electron: '99.1.0' }));
`,
      );
      const electron = join(root, 'node_modules', 'electron');
      mkdirSync(join(electron, 'dist'), { recursive: true });
      writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '99.1.0' }));
      writeFileSync(join(electron, 'path.txt'), 'electron');
      const binary = join(electron, 'dist', 'electron');
      writeFileSync(binary, `#!/bin/sh\necho "electron $*" >> ${JSON.stringify(log)}\n`);
      chmodSync(binary, 0o755);
      if (stamp !== null) {
        mkdirSync(join(root, 'build', 'electron'), { recursive: true });
        writeFileSync(join(root, 'build', 'electron', 'better_sqlite3.node'), '');
        writeFileSync(join(root, 'build', 'electron', 'better_sqlite3.json'), JSON.stringify({ electron: stamp }));
      }
      return { root, log };
    }

    const start = (root: string) => runToEnd(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root });

    it('builds the database driver for Electron first when it is missing, then opens the app', async () => {
      const { root, log } = rootWithElectron(null);
      const { code, stdout } = await start(root);
      expect(code).toBe(0);
      expect(stdout).toContain('building the database driver for Electron');
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['rebuild', 'electron --js-flags=--no-memory-reducer .']);
    });

    it('rebuilds when the driver was built for another Electron version', async () => {
      const { root, log } = rootWithElectron('98.0.0');
      expect((await start(root)).code).toBe(0);
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['rebuild', 'electron --js-flags=--no-memory-reducer .']);
    });

    it('opens the app straight away when the driver matches the installed Electron', async () => {
      const { root, log } = rootWithElectron('99.1.0');
      const { code, stdout } = await start(root);
      expect(code).toBe(0);
      expect(stdout).not.toContain('building the database driver');
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['electron --js-flags=--no-memory-reducer .']);
      expect(existsSync(join(root, 'build', 'electron', 'better_sqlite3.node'))).toBe(true);
    });
  });
});
