import { join } from 'node:path';
import type { FindingType } from '../../src-main/contract/findings';
import { createActionService, type ActionService } from '../../src-main/core/actions/action-service';
import { openAuditLog, type AuditLog } from '../../src-main/core/audit/audit-log';
import type { ScimAppConfig } from '../../src-main/core/config/schema';
import { createEventHub } from '../../src-main/core/events';
import { createHttpClient } from '../../src-main/core/http/client';
import { silentLogger } from '../../src-main/core/ports';
import { envSecretStore } from '../../src-main/core/secrets/resolve';
import { listFindings } from '../../src-main/core/store/findings.repo';
import { openWorkspace, syncWorkspace, type Workspace } from '../../src-main/core/workspace';
import { demoOktaSeed, demoScimSeed } from '../../src-main/demo/demo-seed';
import { demoConfig, DEMO_TOKEN_ENV } from '../../src-main/demo/demo-tenant';
import { startOktaSimulator, type OktaSimulator } from '../../src-main/demo/okta-simulator';
import { startScimApp, type ScimApp, type ScimAppOptions } from '../../src-main/demo/scim-app';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

export const FIXTURE_TOKENS = { scim: 'scim-token-remediation-canary', okta: 'okta-token-remediation-canary' };

export interface RemediationFixture {
  dataDir: string;
  ws: Workspace;
  scim: ScimApp;
  okta: OktaSimulator;
  proxy: FaultProxy;
  audit: AuditLog;
  actions: ActionService;
  secrets: ReturnType<typeof envSecretStore>;
  /** The key of the open finding of this type (optionally: about this user). */
  finding(type: FindingType, userName?: string): string;
  sync(): Promise<void>;
  /** Someone else changes a user in the app (straight to it, not through the proxy Driftline uses). */
  changeInApp(userId: string, operation: { op: 'replace'; path: string; value: unknown }): Promise<void>;
  close(): Promise<void>;
}

/** The demo tenant behind a fault proxy, synced and analyzed, with the remediation engine wired to it. */
export async function remediationFixture(
  dir: string,
  options: { scim?: Partial<ScimAppOptions>; app?: (c: ScimAppConfig) => ScimAppConfig } = {},
): Promise<RemediationFixture> {
  const okta = await startOktaSimulator({ token: FIXTURE_TOKENS.okta, ...demoOktaSeed() });
  const scim = await startScimApp({ token: FIXTURE_TOKENS.scim, ...demoScimSeed(), ...options.scim });
  const proxy = await startFaultProxy(scim.url);
  const config = demoConfig(proxy.base, okta.url);
  const app = config.apps[0];
  if (!app) throw new Error('demo config has no app');
  config.apps = [options.app ? options.app(app) : app];
  const dataDir = join(dir, 'data');
  const ws = openWorkspace(dataDir, config);
  const secrets = envSecretStore({ [DEMO_TOKEN_ENV.scim]: FIXTURE_TOKENS.scim, [DEMO_TOKEN_ENV.okta]: FIXTURE_TOKENS.okta });
  const sync = async (): Promise<void> => {
    const { syncs } = await syncWorkspace(ws, {
      secrets,
      createHttpClient,
      baseDir: dir,
      logger: silentLogger,
      signalFor: () => new AbortController().signal,
    });
    const failed = syncs.find((s) => s.state !== 'complete');
    if (failed) throw new Error(`fixture sync failed: ${failed.error?.message}`);
  };
  await sync();
  const audit = openAuditLog(ws.db, dataDir);
  const actions = createActionService({ db: ws.db, audit, secrets, createHttpClient, logger: silentLogger, events: createEventHub(), operator: 'tester@test-host' });
  return {
    dataDir,
    ws,
    scim,
    okta,
    proxy,
    audit,
    actions,
    secrets,
    sync,
    finding(type, userName) {
      const f = listFindings(ws.db, { types: [type], statuses: ['open'] }).find((x) => userName === undefined || x.userName === userName);
      if (!f) throw new Error(`no open ${type} finding${userName ? ` for ${userName}` : ''}`);
      return f.key;
    },
    async changeInApp(userId, operation) {
      const res = await fetch(`${scim.url}/Users/${encodeURIComponent(userId)}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${FIXTURE_TOKENS.scim}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [operation] }),
      });
      if (!res.ok) throw new Error(`changing ${userId} in the app failed: ${res.status}`);
    },
    async close() {
      await Promise.all([proxy.close(), scim.close(), okta.close()]);
      ws.close();
    },
  };
}
