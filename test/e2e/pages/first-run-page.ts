import type { DriftlineWindow } from './driftline-window';
import { SyncPage } from './sync-page';

/** The first-run screen: nothing configured yet. */
export class FirstRunPage {
  constructor(private readonly win: DriftlineWindow) {}

  async waitUntilShown(): Promise<void> {
    await this.win.byTestId('first-run').waitFor();
  }

  /** "Open the demo tenant": the app adds the demo's connections, shows the sync screen and syncs them. */
  async openDemo(): Promise<SyncPage> {
    await this.win.byTestId('open-demo').click();
    await this.win.byTestId('demo-banner').waitFor();
    await this.win.waitForView('sync');
    return new SyncPage(this.win);
  }
}
