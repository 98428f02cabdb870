import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { BulkFixDialog } from './bulk-fix-dialog';
import type { DriftlineWindow } from './driftline-window';
import { FindingDetailPanel } from './finding-detail-panel';

/** Picks rows of the findings table by what they show (their data attributes). */
export interface RowQuery {
  type?: string;
  user?: string;
  attribute?: string;
  status?: string;
}

/** The facets of the filter bar, each a multi-select named `filter-<facet>`. */
export type Facet = 'app' | 'type' | 'severity' | 'status';

/** The findings table: filters, rows, selection and its bulk bar, export, and the detail panel. */
export class FindingsPage {
  constructor(private readonly win: DriftlineWindow) {}

  async open(): Promise<this> {
    await this.win.navigate('findings');
    await this.win.byTestId('findings-table').waitFor();
    return this;
  }

  rows(query: RowQuery = {}): Locator {
    const attrs = Object.entries(query)
      .map(([name, value]) => `[data-${name}="${value}"]`)
      .join('');
    return this.win.page.locator(`[data-testid="findings-row"]${attrs}`);
  }

  /** The keys of the rows on screen, in the table's order (the demo's views fit on one screen). */
  async rowKeys(query: RowQuery = {}): Promise<string[]> {
    return this.rows(query).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
  }

  /** Waits until the table shows this many rows (the "Showing N of M" count, and the rows themselves). */
  async waitForShown(count: number): Promise<void> {
    await this.win.page.locator(`[data-testid="findings-count"][data-shown="${count}"]`).waitFor();
    if (count > 0) await this.rows().nth(count - 1).waitFor({ state: 'attached' });
    await this.rows().nth(count).waitFor({ state: 'detached' });
  }

  /** Adds one option (by its label) to a facet filter, with the keyboard: its field hides behind chosen values' pills. */
  async addFilter(facet: Facet, option: string): Promise<void> {
    await this.win.byTestId(`filter-${facet}`).focus();
    await this.win.page.keyboard.press('ArrowDown');
    await this.win.page.getByRole('option', { name: option, exact: true }).click();
    await this.win.page.keyboard.press('Escape');
  }

  async openFinding(query: RowQuery): Promise<FindingDetailPanel> {
    const row = this.rows(query);
    const key = await row.getAttribute('data-key');
    await row.click();
    const panel = new FindingDetailPanel(this.win);
    await panel.root.and(this.win.page.locator(`[data-key="${key}"]`)).waitFor();
    return panel;
  }

  async select(query: RowQuery): Promise<void> {
    for (const row of await this.rows(query).all()) await row.getByTestId('findings-row-select').click();
  }

  /** "Fix selected (N)" in the bulk bar: plans the fixes and opens their review. */
  async fixSelected(expectedCount: number): Promise<BulkFixDialog> {
    const button = this.win.byTestId('bulk-fix');
    await button.getByText(`Fix selected (${expectedCount})`).waitFor();
    await button.click();
    const dialog = new BulkFixDialog(this.win);
    await dialog.root.waitFor();
    return dialog;
  }

  /** "Export CSV" of the current view; returns the downloaded file's text. */
  async exportCsv(): Promise<{ fileName: string; text: string }> {
    const [download] = await Promise.all([this.win.page.waitForEvent('download'), this.win.byTestId('export-csv').click()]);
    const path = await download.path();
    return { fileName: download.suggestedFilename(), text: await readFile(path, 'utf8') };
  }
}
