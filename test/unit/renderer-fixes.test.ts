import { describe, expect, it } from 'vitest';
import type { ConnectionDto } from '../../src-main/contract/dto';
import { FINDING_TYPES, type FindingDto, type FindingType } from '../../src-main/contract/findings';
import { FIXES_BY_FINDING_TYPE } from '../../src-main/contract/actions';
import { planForFinding } from '../../src-main/core/actions/plan-finding';
import { scimAppSchema } from '../../src-main/core/config/schema';
import { confirmsName, duplicateAccounts, fixChoices } from '../../src-renderer/src/lib/fixes';

// The Fix section's choices, held to the core's own planning functions.

function finding(type: FindingType, extra: Partial<FindingDto> = {}): FindingDto {
  return {
    key: 'F-0000000000000001',
    type,
    severity: 'high',
    status: 'open',
    app: 'Acme CRM',
    message: 'm',
    userName: 'tom.title@acme.example',
    group: null,
    attribute: null,
    idpValue: null,
    appValue: null,
    appId: 'crm-1',
    idpId: null,
    matchRule: null,
    firstSeen: '2026-01-01T00:00:00Z',
    lastSeen: '2026-01-01T00:00:00Z',
    resolvedAt: null,
    ...extra,
  };
}

const appConfig = {
  name: 'Acme CRM',
  type: 'scim',
  baseUrl: 'https://crm.example/scim/v2',
  auth: { type: 'bearer', token: { env: 'T' } },
  writes: { allowDelete: true },
};

function app(config: Record<string, unknown>): ConnectionDto {
  return { name: 'Acme CRM', role: 'app', type: 'scim', config, secrets: [], lastRun: null, lastCompleteRun: null, capabilities: null };
}

describe('fix choices', () => {
  it('offers exactly the core’s fixes for every finding type, default first', () => {
    for (const type of FINDING_TYPES) {
      expect(fixChoices(finding(type), app(appConfig)).choices.map((c) => c.kind), type).toEqual(FIXES_BY_FINDING_TYPE[type]);
    }
  });

  it('explains an unfixable finding in the core’s words', () => {
    const config = scimAppSchema.parse(appConfig);
    for (const type of ['orphaned_group', 'ambiguous_match'] as const) {
      const core = planForFinding({ finding: finding(type), details: {}, config, capabilities: { patch: true, etag: true }, appRecord: null, idpUser: null, groupRecord: null });
      expect(fixChoices(finding(type), app(appConfig)).unfixable).toBe('unfixable' in core ? core.unfixable : null);
    }
  });

  it('shows delete disabled, with the reason, unless the app’s write settings allow it', () => {
    const off = fixChoices(finding('orphaned_account'), app({ ...appConfig, writes: undefined })).choices;
    expect(off.map((c) => [c.kind, c.disabledReason !== null])).toEqual([
      ['deactivate', false],
      ['delete_account', true],
    ]);
    expect(off[1]?.disabledReason).toMatch(/turned off for Acme CRM/);
    expect(fixChoices(finding('orphaned_account'), app(appConfig)).choices[1]?.disabledReason).toBeNull();
  });

  it('names the attribute and the IdP value on an attribute fix; offers nothing for fixed or resolved findings', () => {
    const drift = finding('attribute_drift', { attribute: 'title', idpValue: 'Sales Manager' });
    expect(fixChoices(drift, app(appConfig)).choices[0]?.label).toBe('Set title to “Sales Manager”');
    const urn = finding('attribute_drift', { attribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', idpValue: null });
    expect(fixChoices(urn, app(appConfig)).choices[0]?.label).toBe('Clear department');
    expect(fixChoices({ ...drift, status: 'fixed' }, app(appConfig))).toMatchObject({ choices: [], unfixable: expect.stringMatching(/^Fixed/) });
    expect(fixChoices({ ...drift, status: 'resolved' }, app(appConfig))).toMatchObject({ choices: [], unfixable: expect.stringMatching(/^Resolved/) });
  });

  it('lists a duplicate’s accounts from the finding, named from its details', () => {
    const dupe = finding('duplicate_account', { appId: 'crm-gary,crm-gary-2' });
    expect(duplicateAccounts(dupe, { accounts: [{ id: 'crm-gary', userName: 'gary@acme.example' }, { id: 'crm-gary-2' }] })).toEqual([
      { id: 'crm-gary', label: 'gary@acme.example (crm-gary)' },
      { id: 'crm-gary-2', label: 'crm-gary-2' },
    ]);
  });

  it('compares a typed app name as the core does', () => {
    expect(confirmsName('  acme crm ', 'Acme CRM')).toBe(true);
    expect(confirmsName('Acme', 'Acme CRM')).toBe(false);
  });
});
