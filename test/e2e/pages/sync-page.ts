import type { Locator } from 'playwright-core';
import type { DriftlineWindow } from './driftline-window';

/** The demo's two connections, as the sync screen names them. */
export const DEMO_CONNECTIONS = ['Okta (demo)', 'Acme CRM'] as const;

/** "Sync & runs": a card per connection with live progress, and "Sync now". */
export class SyncPage {
  constructor(private readonly win: DriftlineWindow) {}

  async open(): Promise<this> {
    await this.win.navigate('sync');
    return this;
  }

  /** The live progress card of one connection's latest run in this session. */
  progress(connection: string): Locator {
    return this.win.byTestId(`sync-progress-${connection}`);
  }

  /** The run id each connection's progress card shows (null before any run). */
  async runIds(connections: readonly string[]): Promise<Map<string, string | null>> {
    const ids = new Map<string, string | null>();
    for (const c of connections) ids.set(c, (await this.progress(c).count()) > 0 ? await this.progress(c).getAttribute('data-run-id') : null);
    return ids;
  }

  /** Waits until each connection's card shows a complete run other than the one it showed before. */
  async waitForCompleteRuns(before: Map<string, string | null>, timeout = 30_000): Promise<void> {
    for (const [connection, previous] of before) {
      const fresh = previous === null ? '' : `:not([data-run-id="${previous}"])`;
      await this.win.page.locator(`[data-testid="sync-progress-${connection}"][data-state="complete"]${fresh}`).waitFor({ timeout });
    }
  }

  /** "Sync now", then every connection's next run complete. */
  async syncNow(connections: readonly string[]): Promise<void> {
    const before = await this.runIds(connections);
    await this.win.byTestId('sync-all').click();
    await this.waitForCompleteRuns(before);
  }
}
