import type { Locator } from 'playwright-core';
import { ActionPreviewDialog } from './action-preview-dialog';
import type { DriftlineWindow } from './driftline-window';

/** The detail panel of one finding: facts, the side-by-side records, Fix, exception, fixes and history. */
export class FindingDetailPanel {
  readonly root: Locator;

  constructor(private readonly win: DriftlineWindow) {
    this.root = win.byTestId('finding-detail');
  }

  async waitForStatus(status: string): Promise<void> {
    await this.win.page.locator(`[data-testid="finding-detail"][data-status="${status}"]`).waitFor();
  }

  /** One attribute of the side-by-side table: both values, and whether the panel marks it as differing. */
  async attribute(name: string): Promise<{ differs: boolean; idp: string; app: string }> {
    const row = this.root.locator(`[data-testid="detail-attr-row"][data-attribute="${name}"]`);
    const cells = row.locator('td');
    return {
      differs: (await row.getAttribute('data-differs')) === 'true',
      idp: (await cells.nth(1).innerText()).trim(),
      app: (await cells.nth(2).innerText()).trim(),
    };
  }

  /** The Fix section's default button (e.g. "Deactivate account"): plans the write and opens its preview. */
  async fixWithDefault(label: string): Promise<ActionPreviewDialog> {
    const button = this.root.getByTestId('fix-default');
    await button.getByText(label, { exact: true }).waitFor();
    await button.click();
    const dialog = new ActionPreviewDialog(this.win);
    await dialog.root.waitFor();
    return dialog;
  }

  /** The fixes journaled for this finding, newest first: their states. */
  async fixStates(): Promise<string[]> {
    return this.root.getByTestId('action-history-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-state') ?? ''));
  }

  async close(): Promise<void> {
    await this.win.page.getByRole('button', { name: 'Close the finding' }).click();
    await this.root.waitFor({ state: 'detached' });
  }
}
