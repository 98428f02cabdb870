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
  location: { href: string };
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
    await this.waitForView(view);
  }

  /** Waits until the main navigation marks this screen as the current one. */
  async waitForView(view: View): Promise<void> {
    await this.page.locator(`[data-testid="nav-${view}"][aria-current="page"]`).waitFor();
  }
}
