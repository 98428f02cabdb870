import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../src-main/contract/api';
import type { ApiEventName } from '../../src-main/contract/events';
import { createCore, type Core } from '../../src-main/core/core';
import { silentLogger } from '../../src-main/core/ports';
import { memoryVault } from '../../src-main/core/secrets/vault';
import { startBrowserServer, type BrowserServer } from '../../src-main/hosts/server/browser-server';
import { dispatch } from '../../src-main/transport/dispatch';
import { httpCall, signIn } from '../helpers/browser-session';

// The same API calls through the direct handlers and through the browser-mode HTTP transport must
// give the same results; and no secret may appear in any response, event or database file.

const dir = mkdtempSync(join(tmpdir(), 'driftline-contract-'));
const dataDir = join(dir, 'data');
const vault = memoryVault('memory only');
let core: Core;
let server: BrowserServer;
let cookie: string;
const seen: string[] = [];
const events: Array<{ name: ApiEventName; payload: unknown }> = [];

async function direct(method: string, args?: unknown): Promise<ApiResult<unknown>> {
  const result = await dispatch(core.handlers, method, args);
  seen.push(JSON.stringify(result));
  return result;
}

async function viaHttp(method: string, args?: unknown): Promise<ApiResult<unknown>> {
  const { raw, result } = await httpCall(server.origin, cookie, method, args);
  seen.push(raw);
  return result;
}

function data<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

beforeAll(async () => {
  core = createCore({ dataDir, secrets: vault, logger: silentLogger, operator: 'tester@test' });
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  server = await startBrowserServer({ core, rendererDir: dir, logger: silentLogger });
  cookie = await signIn(server.url);
  data(await viaHttp('demo.open'));
  const finished = new Promise<void>((resolve) => {
    const off = core.events.subscribe((name) => {
      if (name === 'findings.changed') {
        off();
        resolve();
      }
    });
  });
  expect(data<{ started: string[] }>(await viaHttp('sync.start')).started.sort()).toEqual(['Acme CRM', 'Okta (demo)']);
  await finished;
});

afterAll(async () => {
  await server.close();
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('one API, two transports', () => {
  const calls: Array<[string, unknown]> = [
    ['app.info', undefined],
    ['connections.list', undefined],
    ['dashboard.get', undefined],
    ['findings.list', undefined],
    ['findings.list', { types: ['attribute_drift'], app: 'Acme CRM' }],
    ['runs.list', { limit: 10 }],
    ['sync.status', undefined],
    ['connections.test', { name: 'Acme CRM' }],
    ['connections.test', { name: 'Okta (demo)' }],
    ['nope.nothing', undefined],
    ['findings.list', { types: ['not_a_type'] }],
    ['connections.delete', { name: 'no such connection' }],
  ];
  // Okta's remaining rate-limit budget drops with every call; everything else must be identical.
  const stable = (r: ApiResult<unknown>): unknown => JSON.parse(JSON.stringify(r).replace(/\d+ left/g, 'N left'));
  it.each(calls)('%s %j gives the same result directly and over HTTP', async (method, args) => {
    expect(stable(await viaHttp(method, args))).toEqual(stable(await direct(method, args)));
  });

  it('shows a finding of every type from the demo, with a detail panel and exports', async () => {
    const findings = data<Array<{ key: string; type: string }>>(await viaHttp('findings.list'));
    expect(new Set(findings.map((f) => f.type)).size).toBe(10);
    const drift = findings.find((f) => f.type === 'attribute_drift');
    const detail = data<{ differing: string[]; app: { raw: unknown }; idp: { raw: unknown } }>(await viaHttp('findings.get', { key: drift?.key }));
    expect(detail.differing.length).toBeGreaterThan(0);
    expect(detail.app.raw).toBeTruthy();
    expect(detail.idp.raw).toBeTruthy();
    expect(await viaHttp('findings.get', { key: drift?.key })).toEqual(await direct('findings.get', { key: drift?.key }));
    const csv = data<{ fileName: string; content: string }>(await viaHttp('findings.export', { format: 'csv', keys: findings.slice(0, 3).map((f) => f.key) }));
    expect(csv.fileName).toMatch(/^driftline-findings-\d{8}-\d{6}\.csv$/);
    expect(csv.content.trim().split(/\r?\n/)).toHaveLength(4);
  });

  it('dashboard counts equal the open findings', async () => {
    const dashboard = data<{ apps: Array<{ app: string; open: number; byType: Record<string, number> }> }>(await viaHttp('dashboard.get'));
    const open = data<Array<{ app: string; type: string; status: string }>>(await viaHttp('findings.list', { statuses: ['open'] }));
    expect(dashboard.apps[0]?.open).toBe(open.length);
    for (const [type, n] of Object.entries(dashboard.apps[0]?.byType ?? {})) expect(open.filter((f) => f.type === type)).toHaveLength(n);
  });

  it('pushes sync progress and outcomes as events', () => {
    const names = new Set(events.map((e) => e.name));
    expect(names).toEqual(new Set(['connections.changed', 'sync.progress', 'sync.finished', 'findings.changed']));
  });

  it('never reveals a secret: responses, events, database files', async () => {
    const saved = await viaHttp('connections.save', {
      config: { name: 'Canary App', type: 'scim', baseUrl: 'https://canary.example.com/scim/v2', auth: { type: 'bearer' } },
      secrets: { 'auth.token': 'canary-secret-value-5b1e' },
    });
    const secretField = data<{ secrets: Array<{ field: string; set: boolean; source: string }> }>(saved).secrets[0];
    expect(secretField).toEqual({ field: 'auth.token', set: true, source: 'store', env: null });
    await viaHttp('connections.list');
    const demoTokens = await Promise.all(
      ['demo:DRIFTLINE_DEMO_SCIM_TOKEN', 'demo:DRIFTLINE_DEMO_OKTA_TOKEN'].map((secret) => vault.get({ secret })),
    );
    const secrets = ['canary-secret-value-5b1e', ...demoTokens.map((t) => t ?? 'missing-token')];
    const forms = secrets.flatMap((s) => [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]);
    const haystacks = [
      ...seen,
      JSON.stringify(events),
      ...readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f)).toString('latin1')),
    ];
    for (const form of forms) for (const h of haystacks) expect(h.includes(form)).toBe(false);
  });
});
