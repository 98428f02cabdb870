import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { FindingDto } from '../../src-main/contract/findings';
import { DashboardPage } from './pages/dashboard-page';
import { FindingsPage } from './pages/findings-page';
import { FirstRunPage } from './pages/first-run-page';
import { DEMO_CONNECTIONS } from './pages/sync-page';
import { useBrowserSession } from './support/browser-session';
import { runDriftline } from './support/driftline-server';

// Browser mode end to end in Chromium: `driftline serve` as a user starts it, the demo tenant, the
// live sync, the dashboard against the CLI's own answer, and the findings table, detail and export.

function countByType(findings: readonly FindingDto[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  return counts;
}

describe('browser mode: first run to findings (Chromium)', () => {
  const open = useBrowserSession();

  it('opens the demo, syncs it live, agrees with the CLI, filters, shows the drift and exports exactly the view', async () => {
    const { win, server, screenshot } = await open();

    const firstRun = new FirstRunPage(win);
    await firstRun.waitUntilShown();
    await screenshot('first-run');

    const sync = await firstRun.openDemo();
    // Both cards appear with the runs the demo started, and end complete.
    for (const connection of DEMO_CONNECTIONS) await sync.progress(connection).waitFor();
    await sync.waitForCompleteRuns(new Map(DEMO_CONNECTIONS.map((c) => [c, null])));
    await screenshot('sync');

    // The dashboard's open counts are the CLI's, read from the same data folder while the server runs.
    const cli = JSON.parse(await runDriftline(['findings', '--json', '--data', server.dataDir])) as FindingDto[];
    const crm = cli.filter((f) => f.app === 'Acme CRM');
    expect(crm.length).toBeGreaterThan(0);
    const dashboard = await new DashboardPage(win).open();
    expect(await dashboard.openCountsByType('Acme CRM')).toEqual(countByType(crm));
    expect(await dashboard.totalOpen('Acme CRM')).toBe(crm.length);
    await screenshot('dashboard');

    const findings = await new FindingsPage(win).open();
    await findings.waitForShown(cli.length);
    // The README's picture: every open finding, the title drift's detail open over them.
    const overview = await findings.openFinding({ type: 'attribute_drift', attribute: 'title' });
    await screenshot('findings');
    await overview.close();

    await findings.addFilter('type', 'Attribute drift');
    const drift = cli.filter((f) => f.type === 'attribute_drift');
    expect(drift.length).toBe(2);
    await findings.waitForShown(drift.length);
    const keysInView = await findings.rowKeys();
    expect([...keysInView].sort()).toEqual(drift.map((f) => f.key).sort());
    expect(await findings.rows({ type: 'attribute_drift', status: 'open', user: 'tom.title@acme.example' }).count()).toBe(drift.length);

    // The promotion that never reached the app: the title row is marked, with both values.
    const panel = await findings.openFinding({ type: 'attribute_drift', attribute: 'title' });
    expect(await panel.attribute('title')).toEqual({ differs: true, idp: 'Sales Manager', app: 'Account Executive' });
    expect(await panel.attribute('userName')).toMatchObject({ differs: false });
    await screenshot('finding-detail');
    await panel.close();

    // The export holds exactly the rows of the filtered view, in its order.
    const exported = await findings.exportCsv();
    expect(exported.fileName).toMatch(/^driftline-findings-\d{8}-\d{6}\.csv$/);
    const rows = parse<Record<string, string>>(exported.text, { columns: true });
    expect(rows.map((r) => r.key)).toEqual(keysInView);
    for (const row of rows) {
      const f = drift.find((d) => d.key === row.key);
      expect(row).toMatchObject({
        type: 'attribute_drift',
        status: 'open',
        app: 'Acme CRM',
        user_name: f?.userName,
        attribute: f?.attribute,
        idp_value: f?.idpValue,
        app_value: f?.appValue,
      });
    }
  }, 90_000);
});
