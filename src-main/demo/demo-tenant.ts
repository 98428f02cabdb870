import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DriftlineConfig } from '../core/config/schema';
import { demoOktaSeed, demoScimSeed } from './demo-seed';
import { startOktaSimulator, type OktaSimulator } from './okta-simulator';
import { startScimApp, type ScimApp } from './scim-app';

/** Environment variables the demo config refers to for its two tokens. */
export const DEMO_TOKEN_ENV = { scim: 'DRIFTLINE_DEMO_SCIM_TOKEN', okta: 'DRIFTLINE_DEMO_OKTA_TOKEN' } as const;

export interface DemoTenant {
  scim: ScimApp;
  okta: OktaSimulator;
  config: DriftlineConfig;
  /** The tokens, keyed by the environment variable names the config references. */
  secrets: Record<string, string>;
  close(): Promise<void>;
}

export function demoConfig(scimUrl: string, oktaUrl: string): DriftlineConfig {
  const limits = { requestsPerSecond: 50, concurrency: 4, pageSize: 100, timeoutSeconds: 30, maxResponseMegabytes: 64, maxPages: 10_000 };
  return {
    idp: { name: 'Okta (demo)', type: 'okta', orgUrl: oktaUrl, token: { env: DEMO_TOKEN_ENV.okta }, limits },
    apps: [
      {
        name: 'Acme CRM',
        type: 'scim',
        baseUrl: scimUrl,
        auth: { type: 'bearer', token: { env: DEMO_TOKEN_ENV.scim } },
        match: [
          { app: 'externalId', idp: 'id' },
          { app: 'userName', idp: 'userName' },
          { app: 'emails', idp: 'email' },
        ],
        scope: { type: 'groups', groups: ['CRM Users'] },
        attributes: [
          { app: 'name.givenName', idp: 'givenName', caseSensitive: true },
          { app: 'name.familyName', idp: 'familyName', caseSensitive: true },
          { app: 'displayName', idp: 'displayName', caseSensitive: true },
          { app: 'title', idp: 'title', caseSensitive: true },
          { app: 'emails[type eq "work"].value', idp: 'email', caseSensitive: false },
          { app: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', idp: 'department', caseSensitive: true },
        ],
        groups: { match: 'displayName' },
        groupMembers: 'auto',
        writes: {
          allowDelete: false,
          deactivateForm: 'path',
          method: 'auto',
          ifMatch: 'auto',
          bulkThreshold: { items: 20, percent: 10 },
          concurrency: 2,
        },
        limits,
      },
    ],
  };
}

/** Starts the demo SCIM app and Okta simulator on loopback with fresh random tokens. */
export async function startDemoTenant(): Promise<DemoTenant> {
  const tokens = { scim: randomBytes(24).toString('base64url'), okta: randomBytes(24).toString('base64url') };
  const okta = await startOktaSimulator({ token: tokens.okta, ...demoOktaSeed() });
  let scim: ScimApp;
  try {
    scim = await startScimApp({ token: tokens.scim, ...demoScimSeed() });
  } catch (err) {
    await okta.close();
    throw err;
  }
  return {
    scim,
    okta,
    config: demoConfig(scim.url, okta.url),
    secrets: { [DEMO_TOKEN_ENV.scim]: tokens.scim, [DEMO_TOKEN_ENV.okta]: tokens.okta },
    close: async () => {
      await Promise.all([scim.close(), okta.close()]);
    },
  };
}

/** Writes DIR/driftline.config.json (secret references only) and returns its path. */
export function writeDemoConfig(dir: string, config: DriftlineConfig): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const file = join(abs, 'driftline.config.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}
