import { describe, expect, it, vi } from 'vitest';
import type { ActionDto, AuditEntryDto, BulkPlanDto } from '../../src-main/contract/actions';
import type { ApiMethod, ApiResults } from '../../src-main/contract/api';
import type { ExportFileDto, SyncProgressDto } from '../../src-main/contract/dto';
import type { FindingDto } from '../../src-main/contract/findings';
import type { ApiClient } from '../../src-renderer/src/api/client';
import { ApiError } from '../../src-renderer/src/api/client';
import { createAppStore } from '../../src-renderer/src/store/store';

// The renderer's bound store against a scripted API: no transport, no DOM.

type Handler = (args: unknown) => Promise<unknown>;

function fakeApi(handlers: Partial<Record<ApiMethod, Handler>>) {
  const calls: Array<{ method: ApiMethod; args: unknown }> = [];
  const saved: ExportFileDto[] = [];
  const api: ApiClient = {
    call: (async (method: ApiMethod, args?: unknown) => {
      calls.push({ method, args });
      const handler = handlers[method];
      if (!handler) throw new ApiError({ code: 'unknown_method', message: `no fake for ${method}` });
      return handler(args);
    }) as ApiClient['call'],
    onEvent: () => () => undefined,
    onReconnect: () => () => undefined,
    saveFile: (file) => {
      saved.push(file);
      return Promise.resolve({ saved: true, path: null });
    },
  };
  return { api, calls, saved };
}

function progress(connection: string, runId: number): SyncProgressDto {
  return { connection, runId, phase: 'users', pages: 1, resources: 10, total: 20, waitMs: 0, waits: 0, message: null, elapsedMs: 50 };
}

function finding(key: string): FindingDto {
  return {
    key,
    type: 'orphaned_account',
    severity: 'high',
    status: 'open',
    app: 'CRM',
    message: 'm',
    userName: 'u',
    group: null,
    attribute: null,
    idpValue: null,
    appValue: null,
    appId: 'a',
    idpId: null,
    matchRule: null,
    firstSeen: '2026-01-01T00:00:00Z',
    lastSeen: '2026-01-01T00:00:00Z',
    resolvedAt: null,
  };
}

describe('renderer store', () => {
  it('never paints a run as starting over events that overtook the answer of sync.start', async () => {
    let answer: (value: ApiResults['sync.start']) => void = () => undefined;
    const { api } = fakeApi({ 'sync.start': () => new Promise((resolve) => (answer = resolve)) });
    const store = createAppStore({ api, reportError: () => undefined });
    const started = store.getState().startSync();
    store.getState().applyProgress(progress('CRM', 7));
    store.getState().applyFinished({ connection: 'CRM', runId: 7, state: 'complete', error: null, elapsedMs: 80 });
    answer({ started: ['CRM', 'Okta'] });
    expect(await started).toEqual(['CRM', 'Okta']);
    const cards = store.getState().syncCards;
    expect(cards.CRM).toMatchObject({ state: 'complete', runId: 7, elapsedMs: 80 });
    expect(cards.Okta).toMatchObject({ state: 'starting', runId: null });
  });

  it('collapses a burst of refreshes into at most one more call, and resets to a fresh state', async () => {
    const { api, calls } = fakeApi({ 'dashboard.get': () => Promise.resolve({ idp: null, apps: [] }) });
    const store = createAppStore({ api, reportError: () => undefined });
    await Promise.all([store.getState().loadDashboard(), store.getState().loadDashboard(), store.getState().loadDashboard()]);
    expect(calls.filter((c) => c.method === 'dashboard.get')).toHaveLength(2);
    expect(store.getState().dashboardStatus).toBe('ready');
    store.getState().reset();
    expect(store.getState().dashboardStatus).toBe('idle');
    expect(store.getState().dashboard).toBeNull();
  });

  it('exports exactly the given keys with the facets as the query, through the shell’s saveFile', async () => {
    const file = { fileName: 'f.csv', mimeType: 'text/csv', content: 'key\n' };
    const { api, calls, saved } = fakeApi({ 'findings.export': () => Promise.resolve(file) });
    const store = createAppStore({ api, reportError: () => undefined });
    store.getState().showFindings({ apps: ['CRM'], types: ['orphaned_account'] });
    await store.getState().exportFindings('csv', ['F-0000000000000001']);
    expect(calls[0]).toEqual({
      method: 'findings.export',
      args: { format: 'csv', keys: ['F-0000000000000001'], query: { app: 'CRM', types: ['orphaned_account'] } },
    });
    expect(saved).toEqual([file]);
  });

  it('keeps the detail of the finding opened last when answers arrive out of order', async () => {
    const pending = new Map<string, (value: unknown) => void>();
    const { api } = fakeApi({ 'findings.get': (args) => new Promise((resolve) => pending.set((args as { key: string }).key, resolve)) });
    const store = createAppStore({ api, reportError: () => undefined });
    const first = store.getState().openDetail('F-0000000000000001');
    const second = store.getState().openDetail('F-0000000000000002');
    pending.get('F-0000000000000002')?.({ finding: finding('F-0000000000000002'), idp: null, app: null, differing: [], history: [], details: {} });
    pending.get('F-0000000000000001')?.({ finding: finding('F-0000000000000001'), idp: null, app: null, differing: [], history: [], details: {} });
    await Promise.all([first, second]);
    expect(store.getState().detail).toMatchObject({ key: 'F-0000000000000002', status: 'ready' });
    expect(store.getState().detail?.data?.finding.key).toBe('F-0000000000000002');
  });

  it('reports a failed background load with the core’s code', async () => {
    const reported: Array<{ title: string; code: string }> = [];
    const { api } = fakeApi({ 'runs.list': () => Promise.reject(new ApiError({ code: 'db_corrupt', message: 'broken' })) });
    const store = createAppStore({ api, reportError: (title, error) => reported.push({ title, code: error.code }) });
    await store.getState().loadRuns();
    expect(reported).toEqual([{ title: 'Could not load the sync history', code: 'db_corrupt' }]);
    expect(store.getState().runsStatus).toBe('error');
  });
});

function action(id: number, state: ActionDto['state'], extra: Partial<ActionDto> = {}): ActionDto {
  return {
    id,
    app: 'CRM',
    kind: 'remove_member',
    state,
    findingKey: `F-${String(id).padStart(16, '0')}`,
    batchId: null,
    targetType: 'Group',
    targetId: 'g1',
    targetLabel: 'Sales',
    memberId: 'u1',
    summary: `action ${id}`,
    request: { method: 'PATCH', url: 'https://crm.example/scim/v2/Groups/g1', headers: {}, body: {}, note: null },
    sent: null,
    responseStatus: null,
    outcome: null,
    error: null,
    undoOf: null,
    undoneBy: null,
    undoable: false,
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    ...extra,
  };
}

function bulkPlan(actions: ActionDto[]): BulkPlanDto {
  return { app: 'CRM', actions, skipped: [], threshold: 1, requiresTypedConfirmation: actions.length > 1, byKind: { remove_member: actions.length } };
}

describe('renderer store: remediation', () => {
  it('keeps a batch’s final progress and outcomes when its events overtake the answer of applyBatch', async () => {
    let answer: (value: ApiResults['actions.applyBatch']) => void = () => undefined;
    const planned = [action(1, 'planned'), action(2, 'planned')];
    const { api, calls } = fakeApi({
      'actions.planBulk': () => Promise.resolve(bulkPlan(planned)),
      'actions.applyBatch': () => new Promise((resolve) => (answer = resolve)),
      // The journal answers newest first.
      'actions.list': () => Promise.resolve([action(2, 'failed', { batchId: 9 }), action(1, 'confirmed', { batchId: 9 })]),
    });
    const store = createAppStore({ api, reportError: () => undefined });
    await store.getState().planBulkFix(['F-0000000000000001', 'F-0000000000000002']);
    const applying = store.getState().applyBulk('crm');
    const final = { batchId: 9, app: 'CRM', total: 2, done: 2, confirmed: 1, failed: 1, running: false };
    store.getState().applyBatchProgress(final);
    // A late report from the middle of the run must not paint the batch as running again.
    store.getState().applyBatchProgress({ ...final, done: 1, failed: 0, running: true });
    answer({ batchId: 9 });
    await applying;
    expect(calls.find((c) => c.method === 'actions.applyBatch')?.args).toEqual({ actionIds: [1, 2], confirmName: 'crm' });
    expect(store.getState().batchProgress[9]).toEqual(final);
    expect(store.getState().bulk?.batchId).toBe(9);
    expect(store.getState().bulk?.items.map((a) => [a.id, a.state])).toEqual([
      [1, 'confirmed'],
      [2, 'failed'],
    ]);
  });

  it('shows the outcome of an applied preview, then reads the finding and its fixes again', async () => {
    const key = 'F-0000000000000001';
    const done = action(1, 'confirmed', { findingKey: key, sent: action(1, 'planned').request, undoable: true });
    const { api, calls } = fakeApi({
      'actions.plan': () => Promise.resolve(action(1, 'planned', { findingKey: key })),
      'actions.apply': () => Promise.resolve(done),
      'actions.list': () => Promise.resolve([done]),
      'findings.get': () => Promise.resolve({ finding: { ...finding(key), status: 'fixed' }, idp: null, app: null, differing: [], history: [], details: {} }),
    });
    const store = createAppStore({ api, reportError: () => undefined });
    await store.getState().openDetail(key);
    await store.getState().loadActionHistory(key);
    await store.getState().planFix(key, { kind: 'remove_member' });
    expect(store.getState().preview?.action.state).toBe('planned');
    await store.getState().applyPreview();
    expect(store.getState().preview?.action).toEqual(done);
    expect(store.getState().detail?.data?.finding.status).toBe('fixed');
    expect(store.getState().actionHistory).toMatchObject({ findingKey: key, status: 'ready', items: [done] });
    expect(calls.find((c) => c.method === 'actions.plan')?.args).toEqual({ findingKey: key, kind: 'remove_member' });
    expect(calls.find((c) => c.method === 'actions.apply')?.args).toEqual({ actionId: 1 });
  });

  it('refetches the dashboard on actions.changed, and the findings list only when it is on screen', async () => {
    const { api, calls } = fakeApi({
      'dashboard.get': () => Promise.resolve({ idp: null, apps: [] }),
      'findings.list': () => Promise.resolve([finding('F-0000000000000001')]),
    });
    const store = createAppStore({ api, reportError: () => undefined });
    await store.getState().loadFindings();
    store.getState().setView('dashboard');
    store.getState().applyActionsChanged();
    expect(store.getState().findingsStale).toBe(true);
    expect(calls.filter((c) => c.method === 'findings.list')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'dashboard.get')).toHaveLength(1);
    store.getState().setView('findings');
    store.getState().applyActionsChanged();
    await vi.waitFor(() => {
      expect(calls.filter((c) => c.method === 'findings.list')).toHaveLength(2);
      expect(calls.filter((c) => c.method === 'dashboard.get')).toHaveLength(2);
    });
  });

  it('reads only the audit entries appended since the last read, page by page', async () => {
    const entry = (seq: number): AuditEntryDto => ({ seq, at: '2026-01-01T00:00:00Z', operator: 'me', kind: 'action.planned', app: 'CRM', target: null, details: {}, hash: String(seq) });
    let log = Array.from({ length: 5_001 }, (_, i) => entry(i + 1));
    const { api, calls } = fakeApi({
      'audit.list': (args) => {
        const { afterSeq = 0, limit = 100_000 } = (args ?? {}) as { afterSeq?: number; limit?: number };
        const entries = log.filter((e) => e.seq > afterSeq).slice(0, limit);
        return Promise.resolve({ entries, total: log.length });
      },
    });
    const store = createAppStore({ api, reportError: () => undefined });
    await store.getState().loadAudit();
    expect(store.getState().auditEntries).toHaveLength(5_001);
    log = [...log, entry(5_002)];
    await store.getState().loadAudit();
    expect(store.getState().auditEntries.map((e) => e.seq).slice(-2)).toEqual([5_001, 5_002]);
    expect(calls.map((c) => (c.args as { afterSeq: number }).afterSeq)).toEqual([0, 5_000, 5_001]);
  });
});
