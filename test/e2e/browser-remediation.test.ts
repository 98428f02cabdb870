import { describe, expect, it } from 'vitest';
import { AuditPage } from './pages/audit-page';
import { FindingsPage } from './pages/findings-page';
import { FirstRunPage } from './pages/first-run-page';
import { DEMO_CONNECTIONS, SyncPage } from './pages/sync-page';
import type { BrowserSession } from './support/browser-session';
import { useBrowserSession } from './support/browser-session';

// Remediation end to end in Chromium against the demo tenant's SCIM app: preview the exact
// request, apply, see the outcome, confirm it with the next sync, verify the audit chain; undo;
// and a bulk fix behind the typed confirmation.

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** First run → demo → its first sync complete → the findings screen. */
async function demoFindings(session: BrowserSession): Promise<FindingsPage> {
  const sync = await new FirstRunPage(session.win).openDemo();
  await sync.waitForCompleteRuns(new Map(DEMO_CONNECTIONS.map((c) => [c, null])));
  return new FindingsPage(session.win).open();
}

describe('browser mode: remediation (Chromium)', () => {
  const open = useBrowserSession();

  it('deactivates the orphaned account from its preview, sees it resolved by the next sync, and verifies the audit chain', async () => {
    const session = await open();
    const { win, screenshot } = session;
    const findings = await demoFindings(session);

    const panel = await findings.openFinding({ type: 'orphaned_account', user: 'old.contractor@acme.example' });
    const preview = await panel.fixWithDefault('Deactivate account');
    const request = await preview.request();
    expect(request.method).toBe('PATCH');
    expect(request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*\/Users\/crm-contractor$/);
    expect(request.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(await preview.dryRun()).toMatch(/Checks passed: the target is unchanged\. Would send PATCH/);
    await screenshot('action-preview');

    const outcome = await preview.apply();
    expect(outcome).toMatchObject({ state: 'confirmed', text: expect.stringMatching(/Confirmed by reading the target back/) });
    await panel.waitForStatus('fixed');
    await screenshot('action-outcome');
    await preview.close();
    expect(await panel.fixStates()).toEqual(['confirmed']);
    await panel.close();

    await (await new SyncPage(win).open()).syncNow(DEMO_CONNECTIONS);
    await findings.open();
    await findings.addFilter('status', 'Resolved');
    await findings.rows({ user: 'old.contractor@acme.example', type: 'orphaned_account', status: 'resolved' }).waitFor();

    const audit = await new AuditPage(win).open();
    expect(await audit.kinds()).toEqual(expect.arrayContaining(['action.planned', 'action.sent', 'action.outcome']));
    const verified = await audit.verify();
    expect(verified.ok).toBe(true);
    expect(verified.entries).toBeGreaterThanOrEqual(5);
    expect(verified.text).toMatch(/The chain is intact/);
    await screenshot('audit');
  }, 90_000);

  it('undoes a fix: the revert is previewed and applied like any plan', async () => {
    const session = await open();
    const findings = await demoFindings(session);

    const panel = await findings.openFinding({ type: 'attribute_drift', attribute: 'title' });
    const fix = await panel.fixWithDefault('Set title to “Sales Manager”');
    expect((await fix.request()).body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Sales Manager' }] });
    expect((await fix.apply()).state).toBe('confirmed');

    await fix.root.getByTestId('action-undo').click();
    // The same dialog now previews the revert: a new plan, back to the value the app had.
    await session.win.page.locator('[data-testid="action-preview"][data-state="planned"]').waitFor();
    expect((await fix.request()).body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Account Executive' }] });
    expect((await fix.apply()).state).toBe('confirmed');
    await fix.close();
    await session.win.page.locator('[data-testid="action-history"][data-count="2"]').waitFor();
    expect(await panel.fixStates()).toEqual(['confirmed', 'confirmed']);
    // Undone once: no Undo is offered again for it.
    expect(await panel.root.getByTestId('action-undo').count()).toBe(1);
  }, 90_000);

  it('removes both stale memberships in one bulk fix, after the app’s name is typed', async () => {
    const session = await open();
    const { win, screenshot } = session;
    const findings = await demoFindings(session);

    await findings.addFilter('type', 'Stale membership');
    await findings.waitForShown(2);
    expect((await findings.rows({ type: 'stale_membership' }).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-user')))).sort()).toEqual([
      'dan.deals@acme.example',
      'eve.mover@acme.example',
    ]);
    await findings.select({ type: 'stale_membership' });
    const bulk = await findings.fixSelected(2);

    expect(await bulk.kindCount('remove_member')).toBe(2);
    expect(await bulk.itemStates()).toEqual(['planned', 'planned']);
    expect((await bulk.itemSummaries()).sort()).toEqual([
      expect.stringContaining('Remove "dan.deals@acme.example" from group "Engineering" in Acme CRM'),
      expect.stringContaining('Remove "eve.mover@acme.example" from group "Sales" in Acme CRM'),
    ]);
    // 18 accounts × 10% → a threshold of 1: two items need the name typed.
    const confirmation = await bulk.confirmation();
    expect(confirmation).toMatchObject({ required: true, threshold: 1 });
    expect(confirmation.text).toContain('more than the confirmation threshold of 1');
    expect(await bulk.applyButton.isDisabled()).toBe(true);
    await bulk.typeAppName('Acme');
    expect(await bulk.applyButton.isDisabled()).toBe(true);
    await bulk.typeAppName('Acme CRM');
    expect(await bulk.applyButton.isEnabled()).toBe(true);
    await screenshot('bulk-preview');

    expect(await bulk.applyAndWait()).toEqual({ done: 2, total: 2, failed: 0, confirmed: 2 });
    await win.page.locator('[data-testid="bulk-item"][data-state="confirmed"]').nth(1).waitFor();
    expect(await bulk.itemStates()).toEqual(['confirmed', 'confirmed']);
    await screenshot('bulk-done');
    await bulk.close();
    // Both are fixed now, so the open view of stale memberships is empty.
    await findings.waitForShown(0);
  }, 90_000);
});
