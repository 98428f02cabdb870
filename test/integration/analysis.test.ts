import { describe, expect, it } from 'vitest';
import { scimAppSchema, type ScimAppConfig } from '../../src-main/core/config/schema';
import { normalizeScimGroup, normalizeScimUser } from '../../src-main/core/connectors/scim/scim-normalize';
import { compileMappings } from '../../src-main/core/analysis/attribute-drift';
import { analyzeApp } from '../../src-main/core/findings/analyze-app';
import { parseScimPath } from '../../src-main/core/scim/scim-path';
import type { Coverage, GroupRecord, UserRecord } from '../../src-main/core/model';
import type { Db } from '../../src-main/core/store/database';
import { driftCandidates } from '../../src-main/core/store/drift-candidates.repo';
import { listFindings } from '../../src-main/core/store/findings.repo';
import { latestCompleteRun } from '../../src-main/core/store/runs.repo';
import { group, user } from '../helpers/snapshot-builders';
import { completeSnapshot, connection, FULL_COVERAGE, openTestDb } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** An app account exactly as a SCIM server would return it, through the real normalizer. */
function scim(id: string, json: Record<string, unknown> = {}): UserRecord {
  return normalizeScimUser({ id, userName: `${id}@example.com`, active: true, ...json });
}

function scimGroup(id: string, displayName: string, members: string[] | null): GroupRecord {
  return { ...normalizeScimGroup({ id, displayName }).group, members: members === null ? null : members.map((value) => ({ value, type: 'User' as const })) };
}

function appConfig(overrides: Record<string, unknown> = {}): ScimAppConfig {
  return scimAppSchema.parse({ name: 'CRM', type: 'scim', baseUrl: 'https://crm.example.com/scim/v2', auth: { type: 'bearer', token: { env: 'X' } }, ...overrides });
}

interface Case {
  idp: { users: UserRecord[]; groups?: GroupRecord[]; coverage?: Coverage };
  app: { users: UserRecord[]; groups?: GroupRecord[]; coverage?: Coverage };
  config?: Record<string, unknown>;
}

async function analyze(c: Case, db: Db = openTestDb(tempDir())) {
  const idp = connection(db, 'HR', 'idp');
  const app = connection(db, 'CRM', 'app');
  await completeSnapshot(db, idp, c.idp, c.idp.coverage);
  await completeSnapshot(db, app, c.app, c.app.coverage);
  const outcome = await analyzeApp(db, { connectionId: app, name: 'CRM', config: appConfig(c.config) }, { connectionId: idp, name: 'HR' });
  return { db, outcome, findings: listFindings(db, { statuses: ['open'] }) };
}

async function types(c: Case): Promise<string[]> {
  return (await analyze(c))
    .findings.map((f) => `${f.type}:${f.userName ?? f.group ?? ''}`)
    .sort();
}

describe('analysis: one case per finding type and correlation subtlety', () => {
  const cases: Array<[string, Case, string[]]> = [
    ['matched and consistent → nothing', { idp: { users: [user('i1', { userName: 'ann@x.com' })] }, app: { users: [scim('a1', { userName: 'ann@x.com' })] } }, []],
    [
      'IdP deactivated, app active → deprovision_missed',
      { idp: { users: [user('i1', { userName: 'ann@x.com', active: false, status: 'DEPROVISIONED' })] }, app: { users: [scim('a1', { userName: 'ann@x.com' })] } },
      ['deprovision_missed:ann@x.com'],
    ],
    ['app active, no IdP identity → orphaned_account', { idp: { users: [user('i1')] }, app: { users: [scim('ghost', { userName: 'ghost@x.com' })] } }, ['missing_account:i1@example.com', 'orphaned_account:ghost@x.com']],
    [
      'no orphan conclusions from an incomplete IdP listing',
      { idp: { users: [user('i1')], coverage: { ...FULL_COVERAGE, users: false } }, app: { users: [scim('ghost', { userName: 'ghost@x.com' }), scim('i1')] } },
      [],
    ],
    ['inactive app account without IdP identity → nothing', { idp: { users: [] }, app: { users: [scim('old', { active: false })] } }, []],
    [
      'userName matches case-insensitively (RFC 7643 caseExact false)',
      { idp: { users: [user('i1', { userName: 'Ann.Lee@X.com' })] }, app: { users: [scim('a1', { userName: 'ann.lee@x.com' })] } },
      [],
    ],
    [
      'a case-sensitive rule does not',
      {
        idp: { users: [user('i1', { userName: 'Ann.Lee@X.com' })] },
        app: { users: [scim('a1', { userName: 'ann.lee@x.com' })] },
        config: { match: [{ app: 'userName', idp: 'userName', caseSensitive: true }] },
      },
      ['missing_account:Ann.Lee@X.com', 'orphaned_account:ann.lee@x.com'],
    ],
    [
      'externalId ↔ IdP id is case-exact and takes precedence over userName',
      {
        idp: { users: [user('00uAbc', { userName: 'one@x.com' }), user('00uDef', { userName: 'two@x.com' })] },
        app: { users: [scim('a1', { userName: 'two@x.com', externalId: '00uAbc' })] },
        config: { match: [{ app: 'externalId', idp: 'id' }, { app: 'userName', idp: 'userName' }] },
      },
      ['missing_account:two@x.com'],
    ],
    [
      'two app accounts for one person → duplicate_account',
      {
        idp: { users: [user('i1', { userName: 'gary@x.com' })] },
        app: { users: [scim('a1', { userName: 'gary@x.com', externalId: 'i1' }), scim('a2', { userName: 'GARY@x.com' })] },
        config: { match: [{ app: 'externalId', idp: 'id' }, { app: 'userName', idp: 'userName' }] },
      },
      ['duplicate_account:gary@x.com'],
    ],
    [
      'an old deactivated account beside the live one is not a duplicate',
      {
        idp: { users: [user('i1', { userName: 'gary@x.com' })] },
        app: { users: [scim('a1', { userName: 'gary@x.com' }), scim('a2', { userName: 'Gary@x.com', active: false })] },
      },
      [],
    ],
    [
      'one app account matching two identities → ambiguous_match, no other conclusion',
      {
        idp: { users: [user('i1', { email: 'support@x.com' }), user('i2', { email: 'support@x.com' })] },
        app: { users: [scim('desk', { userName: 'desk@x.com', emails: [{ value: 'Support@x.com', type: 'work' }] })] },
        config: { match: [{ app: 'userName', idp: 'userName' }, { app: 'emails', idp: 'email' }] },
      },
      ['ambiguous_match:desk@x.com'],
    ],
    [
      'unreadable active in the app → no lifecycle conclusion',
      {
        idp: { users: [user('i1', { userName: 'ann@x.com', active: false, status: 'SUSPENDED' })] },
        app: { users: [scim('a1', { userName: 'ann@x.com', active: 'maybe' }), scim('a2', { userName: 'zed@x.com', active: 'maybe' })] },
      },
      [],
    ],
    [
      'active in IdP but out of the app scope → unassigned_access',
      {
        idp: { users: [user('i1', { userName: 'in@x.com' }), user('i2', { userName: 'out@x.com' })], groups: [group('gs', 'CRM Users', ['i1'])] },
        app: { users: [scim('a1', { userName: 'in@x.com' }), scim('a2', { userName: 'out@x.com' })] },
        config: { scope: { type: 'groups', groups: ['crm users'] } },
      },
      ['unassigned_access:out@x.com'],
    ],
    [
      'out-of-scope IdP users are not missing accounts',
      {
        idp: { users: [user('i1', { userName: 'in@x.com' }), user('i2', { userName: 'out@x.com' })], groups: [group('gs', 'CRM Users', ['i1'])] },
        app: { users: [] },
        config: { scope: { type: 'groups', groups: ['CRM Users'] } },
      },
      ['missing_account:in@x.com'],
    ],
    [
      'scope group unreadable → no scope conclusions',
      {
        idp: { users: [user('i1', { userName: 'in@x.com' }), user('i2', { userName: 'out@x.com' })], groups: [group('gs', 'CRM Users', null)] },
        app: { users: [scim('a2', { userName: 'out@x.com' })] },
        config: { scope: { type: 'groups', groups: ['CRM Users'] } },
      },
      [],
    ],
    [
      'in scope, account deactivated in the app → missing_account',
      { idp: { users: [user('i1', { userName: 'ann@x.com' })] }, app: { users: [scim('a1', { userName: 'ann@x.com', active: false })] } },
      ['missing_account:ann@x.com'],
    ],
    [
      'app member not in the IdP group → stale_membership; IdP member absent in app → missing_membership',
      {
        idp: { users: [user('i1', { userName: 'a@x.com' }), user('i2', { userName: 'b@x.com' })], groups: [group('ig', 'Sales', ['i2'])] },
        app: { users: [scim('a1', { userName: 'a@x.com' }), scim('a2', { userName: 'b@x.com' })], groups: [scimGroup('ag', 'SALES', ['a1'])] },
        config: { groups: { match: 'displayName' } },
      },
      ['missing_membership:b@x.com', 'stale_membership:a@x.com'],
    ],
    [
      'a duplicate account is not "missing" from a group its person is already in',
      {
        idp: { users: [user('i1', { userName: 'gary@x.com', email: 'gary@x.com' })], groups: [group('ig', 'Sales', ['i1'])] },
        app: {
          users: [scim('a1', { userName: 'gary@x.com', externalId: 'i1' }), scim('a2', { userName: 'gary.2@x.com', emails: [{ value: 'gary@x.com' }] })],
          groups: [scimGroup('ag', 'Sales', ['a1'])],
        },
        config: { match: [{ app: 'externalId', idp: 'id' }, { app: 'emails', idp: 'email' }], groups: { match: 'displayName' } },
      },
      ['duplicate_account:gary@x.com'],
    ],
    [
      'unreadable app group members → no membership findings',
      {
        idp: { users: [user('i1', { userName: 'a@x.com' })], groups: [group('ig', 'Sales', [])] },
        app: { users: [scim('a1', { userName: 'a@x.com' })], groups: [scimGroup('ag', 'Sales', null)] },
        config: { groups: { match: 'displayName' } },
      },
      [],
    ],
    [
      'app group with no IdP counterpart → orphaned_group',
      {
        idp: { users: [], groups: [group('ig', 'Sales', [])] },
        app: { users: [], groups: [scimGroup('ag', 'Sales', []), scimGroup('legacy', 'Legacy Admins', [])] },
        config: { groups: { match: 'displayName' } },
      },
      ['orphaned_group:Legacy Admins'],
    ],
    [
      'groups matched by externalId = IdP group id',
      {
        idp: { users: [user('i1', { userName: 'a@x.com' })], groups: [group('00g1', 'Sales', ['i1'])] },
        app: { users: [scim('a1', { userName: 'a@x.com' })], groups: [{ ...scimGroup('ag', 'Renamed', []), externalId: '00g1' }] },
        config: { groups: { match: 'externalId' } },
      },
      ['missing_membership:a@x.com'],
    ],
  ];

  it.each(cases)('%s', async (_name, c, expected) => {
    expect(await types(c)).toEqual(expected.sort());
  });
});

describe('attribute drift', () => {
  const idpUser = user('i1', {
    userName: 'ann@x.com',
    email: 'ann@x.com',
    familyName: 'Lee',
    attributes: { Department: 'Sales', title: 'Manager' },
  });
  const config = {
    attributes: [
      { app: 'name.familyName', idp: 'familyName' },
      { app: `${ENT}:department`, idp: 'department' },
      { app: 'emails[type eq "work"].value', idp: 'email', caseSensitive: false },
      { app: 'title', idp: 'title' },
    ],
  };

  it('reports one finding per differing mapped attribute, with both values', async () => {
    const { findings } = await analyze({
      idp: { users: [idpUser] },
      app: {
        users: [
          scim('a1', {
            userName: 'ann@x.com',
            name: { familyName: 'Lee' },
            [ENT]: { department: 'Marketing' },
            emails: [{ value: 'old@x.com', type: 'home' }, { value: 'ANN@X.COM', type: 'work' }],
          }),
        ],
      },
      config,
    });
    expect(findings.map((f) => [f.type, f.attribute, f.idpValue, f.appValue])).toEqual(
      expect.arrayContaining([
        ['attribute_drift', `${ENT}:department`, 'Sales', 'Marketing'],
        ['attribute_drift', 'title', 'Manager', null],
      ]),
    );
    expect(findings).toHaveLength(2);
    expect(findings[0]?.matchRule).toBe('userName ↔ userName (case-insensitive)');
  });

  it('does not compare attributes of accounts that should not exist', async () => {
    const { findings } = await analyze({
      idp: { users: [{ ...idpUser, active: false, status: 'SUSPENDED' }] },
      app: { users: [scim('a1', { userName: 'ann@x.com' })] },
      config,
    });
    expect(findings.map((f) => f.type)).toEqual(['deprovision_missed']);
    expect(findings[0]?.message).toBe('"ann@x.com" is suspended in HR but still active in CRM.');
  });
});

describe('attribute pre-comparison in SQL', () => {
  // Accounts as ingested (mapped values extracted, so SQL rules out the pairs that are certainly
  // equal) and without extraction (every value read from the raw JSON in code) must give the same
  // findings: SQL may only ever skip pairs the code would also find equal.
  const mapping = [
    { app: 'title', idp: 'title' },
    { app: `${ENT}:department`, idp: 'department', caseSensitive: false },
    { app: 'name.givenName', idp: 'givenName' },
    { app: 'externalId', idp: 'id' },
    { app: 'nickName', idp: 'active' },
  ];
  const hints = { mappedPaths: mapping.map((m) => parseScimPath(m.app)) };
  const people: Array<[string, Record<string, unknown>, Partial<Omit<UserRecord, 'id' | 'raw'>>]> = [
    ['same', { title: 'Engineer', [ENT]: { department: 'Sales' }, name: { givenName: 'Zoë' } }, { givenName: 'Zoë', attributes: { title: 'Engineer', department: 'Sales' } }],
    ['idp-spaces', { title: 'Engineer' }, { attributes: { title: '  Engineer ' } }],
    ['idp-nbsp', { title: 'Engineer' }, { attributes: { title: 'Engineer\u00a0' } }],
    ['idp-tab', { title: 'Engineer' }, { attributes: { title: '\tEngineer\u2028' } }],
    ['idp-blank', {}, { attributes: { title: ' ' } }],
    ['case-folded', { [ENT]: { department: 'SALES' } }, { attributes: { department: 'sales' } }],
    ['case-sensitive', { title: 'engineer' }, { attributes: { title: 'Engineer' } }],
    ['unicode-case', { [ENT]: { department: 'STRASSE' } }, { attributes: { department: 'Straße' } }],
    ['differs', { title: 'Manager' }, { attributes: { title: 'Engineer' } }],
    ['missing-app', {}, { attributes: { title: 'Engineer' } }],
    ['by-id', { externalId: 'someone-else' }, {}],
    ['active-text', { nickName: 'false' }, {}],
  ];
  const idpUsers = people.map(([name, , fields]) => user(`i-${name}`, { userName: `${name}@x.com`, ...fields }));
  const appUsers = (withHints: boolean): UserRecord[] =>
    people.map(([name, json]) =>
      normalizeScimUser({ id: `a-${name}`, userName: `${name}@x.com`, active: true, externalId: `i-${name}`, nickName: 'true', ...json }, withHints ? hints : {}),
    );
  const drift = async (withHints: boolean): Promise<string[]> =>
    (await analyze({ idp: { users: idpUsers }, app: { users: appUsers(withHints) }, config: { attributes: mapping } })).findings
      .map((f) => `${f.userName ?? ''} ${f.attribute ?? f.type}: ${f.idpValue ?? '∅'} | ${f.appValue ?? '∅'}`)
      .sort();

  it('finds exactly what the comparison in code finds', async () => {
    const expected = await drift(false);
    expect(await drift(true)).toEqual(expected);
    expect(expected.filter((f) => f.includes(' title:'))).toEqual([
      'case-sensitive@x.com title: Engineer | engineer',
      'differs@x.com title: Engineer | Manager',
      'missing-app@x.com title: Engineer | ∅',
    ]);
    expect(expected.filter((f) => f.includes(':department:'))).toEqual([`unicode-case@x.com ${ENT}:department: Straße | STRASSE`]);
    expect(expected.filter((f) => f.startsWith('by-id@') || f.startsWith('active-text@'))).toEqual([
      'active-text@x.com nickName: true | false',
      'by-id@x.com externalId: i-by-id | someone-else',
    ]);
    expect(expected.some((f) => f.startsWith('same@') || f.startsWith('idp-') || f.startsWith('case-folded@'))).toBe(false);
  });

  it('leaves to the code only the pairs that are not exactly equal once the IdP value is trimmed of spaces', async () => {
    const { db } = await analyze({ idp: { users: idpUsers }, app: { users: appUsers(true) }, config: { attributes: mapping } });
    const ref = (name: string): { connectionId: number; runId: number } => {
      const connectionId = db.prepare('SELECT id FROM connections WHERE name = ?').pluck().get(name) as number;
      return { connectionId, runId: latestCompleteRun(db, connectionId)?.id ?? -1 };
    };
    const res = (remoteId: string): number => db.prepare('SELECT id FROM resources WHERE remote_id = ?').pluck().get(remoteId) as number;
    const pairs = JSON.stringify(people.map(([name]) => [res(`a-${name}`), res(`i-${name}`)]));
    const candidates = driftCandidates(db, ref('CRM'), ref('HR'), pairs, compileMappings(appConfig({ attributes: mapping })));
    const names = (set: Set<number> | null): Array<string | undefined> => [...(set ?? [])].map((r) => people.find(([name]) => res(`a-${name}`) === r)?.[0]).sort();
    // Other whitespace around an IdP value (tab, no-break space, line separator) is left to the
    // code, which finds those pairs equal (the test above).
    const inCode = ['active-text', 'by-id', 'case-folded', 'case-sensitive', 'differs', 'idp-nbsp', 'idp-tab', 'missing-app', 'unicode-case'];
    expect(names(candidates)).toEqual(inCode);
    // A mapping removed since ingest leaves its values stored: the rest are compared one by one.
    const fewer = compileMappings(appConfig({ attributes: mapping.filter((m) => m.app !== 'nickName') }));
    expect(names(driftCandidates(db, ref('CRM'), ref('HR'), pairs, fewer))).toEqual(inCode.filter((n) => n !== 'active-text'));
  });
});

describe('finding lifecycle', () => {
  it('keeps a stable key, resolves drift that is gone and reopens drift that returns', async () => {
    const db = openTestDb(tempDir());
    const idp = connection(db, 'HR', 'idp');
    const app = connection(db, 'CRM', 'app');
    const cfg = appConfig();
    const run = async (appUsers: UserRecord[]) => {
      await completeSnapshot(db, idp, { users: [user('i1', { userName: 'ann@x.com' })] });
      await completeSnapshot(db, app, { users: appUsers });
      return analyzeApp(db, { connectionId: app, name: 'CRM', config: cfg }, { connectionId: idp, name: 'HR' });
    };
    const ghost = scim('ghost', { userName: 'ghost@x.com' });
    const ann = scim('a1', { userName: 'ann@x.com' });
    await run([ann, ghost]);
    const [first] = listFindings(db, { types: ['orphaned_account'] });
    await run([ann, ghost]);
    expect(listFindings(db, { types: ['orphaned_account'] })).toEqual([expect.objectContaining({ key: first?.key, status: 'open', firstSeen: first?.firstSeen })]);
    const gone = await run([ann]);
    expect(gone.analyzed && gone.counts.resolved).toBe(1);
    expect(listFindings(db, { types: ['orphaned_account'] })[0]).toMatchObject({ key: first?.key, status: 'resolved' });
    const back = await run([ann, ghost]);
    expect(back.analyzed && back.counts.reopened).toBe(1);
    expect(listFindings(db, { types: ['orphaned_account'] })[0]).toMatchObject({ key: first?.key, status: 'open', resolvedAt: null });
    const history = db.prepare('SELECT e.status, e.note FROM finding_events e JOIN findings f ON f.id = e.finding_id WHERE f.key = ? ORDER BY e.id').all(first?.key);
    expect(history).toEqual([
      { status: 'open', note: 'first seen' },
      { status: 'resolved', note: 'drift no longer present' },
      { status: 'open', note: 'drift is back' },
    ]);
  });

  it('says why it cannot analyze before both sides have a complete snapshot', async () => {
    const db = openTestDb(tempDir());
    const idp = connection(db, 'HR', 'idp');
    const app = connection(db, 'CRM', 'app');
    await completeSnapshot(db, app, { users: [] });
    const outcome = await analyzeApp(db, { connectionId: app, name: 'CRM', config: appConfig() }, { connectionId: idp, name: 'HR' });
    expect(outcome).toEqual({ app: 'CRM', analyzed: false, reason: 'HR has no complete sync yet.' });
  });
});
