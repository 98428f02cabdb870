import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { useTempDir } from '../../helpers/temp-dir';
import { DriftlineWindow } from '../pages/driftline-window';
import { startDriftlineServer, type DriftlineServer } from './driftline-server';

// One Chromium per test file; per test a fresh data folder, a fresh `driftline serve` and a fresh
// browser context. Any console error, page error or CSP violation fails the test.

/** Debian's chromium, which CI installs (.ci/run). */
const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  // CI runs as root in a container, where Chromium's sandbox cannot start.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const SCREENSHOT_DIR = join(__dirname, '..', 'screenshots');

/** Reported to the console by the page itself, so the console watcher sees violations even if Chromium stopped logging them. */
const CSP_REPORTER = `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));`;

export interface BrowserSession {
  server: DriftlineServer;
  context: BrowserContext;
  page: Page;
  win: DriftlineWindow;
  /** Saves test/e2e/screenshots/<name>.png of the whole window. */
  screenshot(name: string): Promise<void>;
}

/** Registers the hooks; call it at the top of a describe block, then `await open()` in each test. */
export function useBrowserSession(): () => Promise<BrowserSession> {
  const tempDir = useTempDir('driftline-e2e-');
  let browser: Browser | null = null;
  let current: { server: DriftlineServer; context: BrowserContext; problems: string[] } | null = null;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  // Registered after useTempDir's hook, so it runs first: the server stops before its folder goes.
  afterEach(async () => {
    const session = current;
    current = null;
    if (!session) return;
    await session.context.close();
    await session.server.stop();
    expect(session.problems, 'console errors, page errors or CSP violations').toEqual([]);
  });

  return async () => {
    if (!browser) throw new Error('Chromium did not start.');
    const server = await startDriftlineServer(join(tempDir(), 'data'));
    let context: BrowserContext;
    try {
      // Light mode at 1440×900 (the README screenshot); reduced motion makes overlays appear at once.
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', reducedMotion: 'reduce', acceptDownloads: true });
    } catch (err) {
      await server.stop();
      throw err;
    }
    const problems: string[] = [];
    current = { server, context, problems };
    context.setDefaultTimeout(15_000);
    await context.addInitScript({ content: CSP_REPORTER });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await page.goto(server.url);
    return {
      server,
      context,
      page,
      win: new DriftlineWindow(page),
      screenshot: async (name) => {
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
      },
    };
  };
}
