import { describe, expect, it } from 'vitest';
import type { ConnectionDto } from '../../src-main/contract/dto';
import { idpSchema, scimAppSchema } from '../../src-main/core/config/schema';
import { fieldErrors } from '../../src-renderer/src/features/connections/config-errors';
import {
  draftFromConnection,
  emptyDraft,
  toSaveRequest,
  type LimitsDraft,
  type OktaDraft,
  type ScimDraft,
} from '../../src-renderer/src/features/connections/connection-draft';

// The connection form's draft ↔ config conversion, checked against the core's own config schemas.

const scimConfig = {
  name: 'Acme CRM',
  type: 'scim',
  baseUrl: 'https://crm.example.com/scim/v2',
  auth: { type: 'bearer', token: { secret: 'connection:acme crm:auth.token' } },
  match: [
    { app: 'externalId', idp: 'id' },
    { app: 'userName', idp: 'userName', caseSensitive: false },
  ],
  scope: { type: 'groups', groups: ['CRM Users'] },
  attributes: [{ app: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', idp: 'department', caseSensitive: true }],
  groups: { match: 'displayName', only: ['Sales'] },
  groupMembers: 'perGroup',
  limits: { requestsPerSecond: 5, concurrency: 2, pageSize: 50, timeoutSeconds: 30, maxResponseMegabytes: 64, maxPages: 100_000 },
  tls: { caFile: '/etc/ssl/ca.pem' },
  // Not edited by the form: must survive an edit unchanged (deletes on, Okta-style PATCH, no If-Match).
  writes: { allowDelete: true, deactivateForm: 'valueObject', method: 'auto', ifMatch: 'never', bulkThreshold: { items: 5, percent: 10 }, concurrency: 1 },
};

const BLANK_LIMITS: LimitsDraft = { requestsPerSecond: '', concurrency: '', pageSize: '', timeoutSeconds: '', maxResponseMegabytes: '', maxPages: '' };

function connection(config: Record<string, unknown>, secrets: ConnectionDto['secrets'] = []): ConnectionDto {
  return {
    name: String(config.name),
    role: config.type === 'scim' ? 'app' : 'idp',
    type: config.type as ConnectionDto['type'],
    config,
    secrets,
    lastRun: null,
    lastCompleteRun: null,
    capabilities: null,
  };
}

describe('connection draft', () => {
  it('round-trips a stored SCIM config (write settings included), keeping the stored secret reference when no new secret is typed', () => {
    const existing = connection(scimConfig, [{ field: 'auth.token', set: true, source: 'store', env: null }]);
    const result = toSaveRequest(draftFromConnection(existing), existing);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.secrets).toEqual({});
    expect(result.request.config).toEqual(scimConfig);
    expect(scimAppSchema.safeParse(result.request.config).success).toBe(true);
  });

  it('sends a typed secret as a secret, never inside the config', () => {
    const existing = connection(scimConfig);
    const draft = { ...(draftFromConnection(existing) as ScimDraft), secret: { source: 'store' as const, value: 'n3w-t0ken', env: '' } };
    const result = toSaveRequest(draft, existing);
    expect(result.ok && result.request.secrets).toEqual({ 'auth.token': 'n3w-t0ken' });
    expect(JSON.stringify(result.ok && result.request.config)).not.toContain('n3w-t0ken');
  });

  it('references an environment variable, and moves the secret to auth.password for basic auth', () => {
    const draft: ScimDraft = {
      ...(emptyDraft('scim', 'Wiki') as ScimDraft),
      baseUrl: 'https://wiki.example.com/scim',
      authType: 'basic',
      username: 'svc-driftline',
      secret: { source: 'env', value: '', env: 'WIKI_SCIM_PASSWORD' },
    };
    const result = toSaveRequest(draft, null);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.config.auth).toEqual({ type: 'basic', username: 'svc-driftline', password: { env: 'WIKI_SCIM_PASSWORD' } });
    // The form's defaults are a config the core accepts once the server has put the secret in place.
    expect(scimAppSchema.safeParse(result.request.config).success).toBe(true);
  });

  it('asks for what is missing before anything is sent', () => {
    const result = toSaveRequest(emptyDraft('scim'), null);
    expect(result).toEqual({
      ok: false,
      errors: { name: 'Give the connection a name.', baseUrl: 'Enter the SCIM base URL.', 'auth.token': 'Enter the secret.' },
    });
    const okta: OktaDraft = { ...(emptyDraft('okta', 'Okta') as OktaDraft), orgUrl: 'https://x.okta.com', secret: { source: 'env', value: '', env: '1BAD' } };
    const env = toSaveRequest(okta, null);
    expect(env.ok ? null : env.errors.token).toMatch(/environment variable/);
  });

  it('builds IdP configs the core accepts, leaving blank limits to the defaults', () => {
    const okta = toSaveRequest(
      { type: 'okta', name: 'Okta', orgUrl: 'https://acme.okta.com', secret: { source: 'store', value: 't', env: '' }, limits: { ...BLANK_LIMITS, pageSize: 200 }, caFile: '' },
      null,
    );
    expect(okta.ok && okta.request.config).toEqual({ name: 'Okta', type: 'okta', orgUrl: 'https://acme.okta.com', limits: { pageSize: 200 } });
    const csv = toSaveRequest({ type: 'csv', name: 'HR', path: 'people.csv', delimiter: ';' }, null);
    expect(csv.ok && idpSchema.safeParse(csv.request.config).success).toBe(true);
  });
});


describe('fieldErrors', () => {
  it('maps each `path: message` line of a config_invalid message to its field', () => {
    const message = 'The connection is invalid:\n  baseUrl: must be an http(s) URL\n  match[1].app: correlation supports id, userName\n  (top level): ignored';
    expect(fieldErrors(message)).toEqual({ baseUrl: 'must be an http(s) URL', 'match[1].app': 'correlation supports id, userName' });
  });
});
