import type { Locator, Page } from 'playwright-core';
import type { Bridge } from '../../../src-main/contract/bridge';

// Page object for the Driftline window: the e2e flows speak in these steps, and the data-testid
// selectors the renderer provides live here only.

/**
 * The page's globals as seen from a function Playwright runs in the window. The Node-side
 * tsconfig has no DOM types, so the few used are declared here.
 */
export interface PageGlobals {
  bridge?: Bridge;
  require?: unknown;
  process?: unknown;
  module?: unknown;
  __driftlineInjected?: boolean;
  location: { href: string; hash: string };
  open(url: string): unknown;
  document: {
    head: { append(node: unknown): void };
    createElement(tag: 'script'): { textContent: string | null };
  };
}

/** The screens, as the main navigation names them (`nav-<view>`). */
export type View = 'dashboard' | 'connections' | 'sync' | 'findings' | 'audit';

export class DriftlineWindow {
  constructor(readonly page: Page) {}

  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  /** Follows the main navigation's link, as a user does. */
  async navigate(view: View): Promise<void> {
    await this.byTestId(`nav-${view}`).click();
    await this.page.locator(`[data-testid="nav-${view}"][aria-current="page"]`).waitFor();
  }

  /** In-page hash route change: no navigation event, so the navigation guard is not involved. */
  async goTo(view: View): Promise<void> {
    await this.page.evaluate((v) => {
      (globalThis as unknown as PageGlobals).location.hash = `#/${v}`;
    }, view);
  }

  async openDemo(): Promise<void> {
    await this.byTestId('first-run').waitFor({ state: 'visible' });
    await this.byTestId('open-demo').first().click();
    await this.byTestId('demo-banner').waitFor({ state: 'visible' });
  }

  async syncAll(timeoutMs: number): Promise<void> {
    await this.goTo('sync');
    const button = this.byTestId('sync-all');
    await button.waitFor({ state: 'visible' });
    await button.click();
    // The button shows a spinner while the runs start; the runs end when cancel-all disappears.
    await this.byTestId('sync-cancel-all').waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  findingRows(): Locator {
    return this.byTestId('findings-row');
  }
}
