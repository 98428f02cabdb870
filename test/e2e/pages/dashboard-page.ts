import type { DriftlineWindow } from './driftline-window';

/** The dashboard: open findings per app, by type and severity. */
export class DashboardPage {
  constructor(private readonly win: DriftlineWindow) {}

  async open(): Promise<this> {
    await this.win.navigate('dashboard');
    await this.win.byTestId('dashboard').waitFor();
    return this;
  }

  /** The per-type open counts of one app's card (`dashboard-count-<app>-<type>`, its data-count). */
  async openCountsByType(app: string): Promise<Record<string, number>> {
    const prefix = `dashboard-count-${app}-`;
    await this.win.byTestId(`dashboard-app-${app}`).waitFor();
    const links = await this.win.page.locator(`[data-testid^="${prefix}"]`).all();
    const counts: Record<string, number> = {};
    for (const link of links) {
      const testId = (await link.getAttribute('data-testid')) ?? '';
      counts[testId.slice(prefix.length)] = Number(await link.getAttribute('data-count'));
    }
    return counts;
  }

  async totalOpen(app: string): Promise<number> {
    return Number(await this.win.byTestId(`dashboard-open-${app}`).innerText());
  }
}
