import { describe, expect, it } from 'vitest';
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
