import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateNativeBinding } from '../../src-main/hosts/electron/native-binding';
import { DriftlineWindow, type PageGlobals } from './pages/driftline-window';
import { FindingsPage } from './pages/findings-page';
import { FirstRunPage } from './pages/first-run-page';
import { DEMO_CONNECTIONS } from './pages/sync-page';

// The desktop app end to end: the built app (`npm run build`) launched by Playwright through
// `electron .`. Needs the Electron binary, its better-sqlite3 build (`npm run rebuild:electron`)
// and, on Linux, a display (run under `xvfb-run`).

const repo = join(__dirname, '..', '..');

/** The binary node_modules/electron/path.txt names, when it is really there. */
function electronBinary(): string | null {
  const dir = join(repo, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

if (binary === null) {
  describe('Electron app (e2e)', () => {
    it.skip('SKIPPED: the Electron binary is not installed (node_modules/electron/path.txt or the file it names is missing), so the desktop app cannot be launched here', () => undefined);
  });
} else {
  describe('Electron app (e2e)', () => {
    let app: ElectronApplication;
    let win: DriftlineWindow;
    // One app for the whole file, so one data folder for its lifetime (not a per-test temp dir).
    let home = '';

    beforeAll(async () => {
      home = mkdtempSync(join(tmpdir(), 'driftline-e2e-'));
      const version = (JSON.parse(readFileSync(join(repo, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
      const binding = locateNativeBinding(repo, version);
      if (!binding.ok) throw new Error(binding.message);
      if (!existsSync(join(repo, 'out', 'main', 'index.js'))) throw new Error('The app is not built: run `npm run build` first.');
      if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
        throw new Error('No display: run the e2e tests under `xvfb-run`.');
      }
      app = await electron.launch({
        executablePath: binary,
        // --password-store=basic forces the basic_text backend, which must be refused (memory only).
        // Chromium refuses to run as root with its sandbox (CI containers); the renderer's
        // `sandbox: true` preference still applies and is asserted below.
        args: ['.', '--password-store=basic', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        cwd: repo,
        env: { ...process.env, DRIFTLINE_DATA: join(home, 'data'), ELECTRON_ENABLE_LOGGING: '1' },
      });
      win = new DriftlineWindow(await app.firstWindow());
      await win.page.waitForLoadState('domcontentloaded');
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it('loads the UI from app://driftline with every hardened web preference in force', async () => {
      expect(win.page.url()).toMatch(/^app:\/\/driftline\//);
      // getLastWebPreferences() is what Chromium actually applied; Electron does not type it.
      const prefs = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => (w.webContents as unknown as { getLastWebPreferences?: () => unknown }).getLastWebPreferences?.() ?? null),
      );
      expect(prefs).toHaveLength(1);
      expect(prefs[0]).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
    });

    it('gives the page window.bridge with exactly invoke/onEvent/saveFile, and no Node.js', async () => {
      const seen = await win.page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        return { bridge: Object.keys(w.bridge ?? {}).sort(), require: typeof w.require, process: typeof w.process, module: typeof w.module };
      });
      expect(seen).toEqual({ bridge: ['invoke', 'onEvent', 'saveFile'], require: 'undefined', process: 'undefined', module: 'undefined' });
    });

    it('blocks an injected inline script (CSP), navigation away, and window.open', async () => {
      const injected = await win.page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const script = w.document.createElement('script');
        script.textContent = 'window.__driftlineInjected = true';
        w.document.head.append(script);
        return w.__driftlineInjected ?? null;
      });
      expect(injected).toBeNull();
      expect(await win.page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(true);
      await win.page.evaluate(() => {
        (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
      });
      await win.page.waitForTimeout(500);
      expect(win.page.url()).toMatch(/^app:\/\/driftline\//);
      expect(app.windows()).toHaveLength(1);
    });

    it('does not serve files outside the bundle over app://, nor answer another host', async () => {
      const results = await app.evaluate(async ({ net }) => {
        const out: Array<{ url: string; status: number; appShell: boolean; passwd: boolean }> = [];
        for (const url of ['app://driftline/..%2f..%2f..%2fetc%2fpasswd', 'app://driftline/%2e%2e/%2e%2e/etc/passwd', 'app://evil/index.html']) {
          const res = await net.fetch(url);
          const body = await res.text();
          out.push({ url, status: res.status, appShell: body.includes('<div id="root">'), passwd: /^root:/m.test(body) });
        }
        return out;
      });
      for (const r of results) {
        expect(r.passwd, r.url).toBe(false);
        // Either refused, or normalized by the URL parser into a client-side route (the app shell).
        if (r.status === 200) expect(r.appShell, r.url).toBe(true);
        else expect(r.status, r.url).toBe(404);
      }
      expect(results.find((r) => r.url === 'app://evil/index.html')?.status).toBe(404);
    });

    it('refuses the basic_text keyring: secrets stay in memory and the UI says so', async () => {
      const info = await win.page.evaluate(() => (globalThis as unknown as PageGlobals).bridge?.invoke('app.info'));
      expect(info).toMatchObject({ ok: true, data: { secretStorage: { backend: 'memory', persistent: false } } });
      await win.byTestId('secrets-warning').waitFor({ state: 'visible' });
    });

    it('first run → open the demo → findings are listed', async () => {
      const firstRun = new FirstRunPage(win);
      await firstRun.waitUntilShown();
      const sync = await firstRun.openDemo();
      await sync.waitForCompleteRuns(new Map(DEMO_CONNECTIONS.map((c) => [c, null])), 90_000);
      const findings = await new FindingsPage(win).open();
      await findings.rows().first().waitFor({ state: 'visible', timeout: 30_000 });
      expect(await findings.rows().count()).toBeGreaterThan(0);
    }, 180_000);
  });
}
