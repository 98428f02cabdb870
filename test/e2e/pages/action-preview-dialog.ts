import type { Locator } from 'playwright-core';
import type { DriftlineWindow } from './driftline-window';

/** The preview of one planned write: the exact request, a dry run, Apply, then the outcome and Undo. */
export class ActionPreviewDialog {
  readonly root: Locator;

  constructor(private readonly win: DriftlineWindow) {
    this.root = win.byTestId('action-preview');
  }

  /** The request as shown: method and URL, and the body parsed back from its pretty JSON. */
  async request(): Promise<{ method: string; url: string; body: unknown }> {
    const line = this.root.getByTestId('action-request-line');
    return {
      method: (await line.getAttribute('data-method')) ?? '',
      url: (await line.getAttribute('data-url')) ?? '',
      body: JSON.parse(await this.root.getByTestId('action-request-body').innerText()) as unknown,
    };
  }

  /** "Check (dry run)": the core re-reads the target (GETs only) and says what it would do. */
  async dryRun(): Promise<string> {
    await this.root.getByTestId('action-dry-run').click();
    return this.root.getByTestId('action-dry-run-result').innerText();
  }

  /** "Apply", then the outcome the core reports (its journal state and words). */
  async apply(): Promise<{ state: string; text: string }> {
    await this.root.getByTestId('action-apply').click();
    const outcome = this.root.getByTestId('action-outcome');
    await outcome.waitFor();
    return { state: (await outcome.getAttribute('data-state')) ?? '', text: await outcome.innerText() };
  }

  async close(): Promise<void> {
    await this.root.getByTestId('action-close').click();
    await this.root.waitFor({ state: 'detached' });
  }
}
