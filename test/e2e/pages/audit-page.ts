import type { DriftlineWindow } from './driftline-window';

/** The audit log: entries, "Verify chain" and "Export". */
export class AuditPage {
  constructor(private readonly win: DriftlineWindow) {}

  async open(): Promise<this> {
    await this.win.navigate('audit');
    await this.win.byTestId('audit-view').waitFor();
    return this;
  }

  /** The kinds of the entries on the first page, newest first. */
  async kinds(): Promise<string[]> {
    await this.win.byTestId('audit-table').waitFor();
    return this.win.byTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind') ?? ''));
  }

  /** "Verify chain": whether the core found the hash chain intact, over how many entries, and the words shown. */
  async verify(): Promise<{ ok: boolean; entries: number; text: string }> {
    await this.win.byTestId('audit-verify').click();
    const result = this.win.byTestId('audit-verify-result');
    await result.waitFor();
    return {
      ok: (await result.getAttribute('data-ok')) === 'true',
      entries: Number(await result.getAttribute('data-entries')),
      text: await result.innerText(),
    };
  }
}
