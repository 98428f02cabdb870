import type { Locator } from 'playwright-core';
import type { DriftlineWindow } from './driftline-window';

/** The bulk fix: review (counts, items, skipped, typed confirmation), then live progress and outcomes. */
export class BulkFixDialog {
  readonly root: Locator;

  constructor(private readonly win: DriftlineWindow) {
    this.root = win.byTestId('bulk-preview');
  }

  get applyButton(): Locator {
    return this.root.getByTestId('bulk-apply');
  }

  async kindCount(kind: string): Promise<number> {
    return Number(await this.root.getByTestId(`bulk-kind-${kind}`).getAttribute('data-count'));
  }

  /** The journal state of every item, in the plan's order. */
  async itemStates(): Promise<string[]> {
    return this.root.getByTestId('bulk-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-state') ?? ''));
  }

  async itemSummaries(): Promise<string[]> {
    return this.root.getByTestId('bulk-item').locator('summary').allInnerTexts();
  }

  /** The confirmation notice: whether typing the app's name is required, the threshold, and the words shown. */
  async confirmation(): Promise<{ required: boolean; threshold: number; text: string }> {
    const notice = this.root.getByTestId('bulk-threshold');
    return {
      required: (await notice.getAttribute('data-required')) === 'true',
      threshold: Number(await notice.getAttribute('data-threshold')),
      text: await notice.innerText(),
    };
  }

  async typeAppName(text: string): Promise<void> {
    await this.root.getByTestId('bulk-confirm-name').fill(text);
  }

  /** "Apply all", then waits for the batch to finish; returns the final progress numbers. */
  async applyAndWait(): Promise<{ done: number; total: number; failed: number; confirmed: number }> {
    await this.applyButton.click();
    const finished = this.win.page.locator('[data-testid="bulk-progress"][data-running="false"]');
    await finished.waitFor({ timeout: 30_000 });
    const read = async (name: string): Promise<number> => Number(await finished.getAttribute(`data-${name}`));
    return { done: await read('done'), total: await read('total'), failed: await read('failed'), confirmed: await read('confirmed') };
  }

  async close(): Promise<void> {
    await this.root.getByTestId('bulk-close').click();
    await this.root.waitFor({ state: 'detached' });
  }
}
