import type { OktaGroupSeed, OktaUserSeed } from './okta-simulator';
import type { ScimGroupSeed, ScimUserSeed } from './scim-store';

// The demo tenant: an Okta org (the source of truth) and "Acme CRM", a SCIM app provisioned from it,
// seeded so that one sync shows at least one case of every finding type. Each drifted person is
// named for the finding they produce.

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const DOMAIN = 'acme.example';

interface Person {
  key: string;
  first: string;
  last: string;
  title: string;
  department: string;
  status?: string;
  /** Member of the CRM Users group in Okta (the app's scope). */
  crm?: boolean;
  groups?: string[];
  email?: string;
}

const PEOPLE: Person[] = [
  { key: 'alice.admin', first: 'Alice', last: 'Admin', title: 'IT Director', department: 'IT', crm: true, groups: ['Engineering'] },
  { key: 'bob.builder', first: 'Bob', last: 'Builder', title: 'Engineer', department: 'Engineering', crm: true, groups: ['Engineering'] },
  { key: 'carol.closer', first: 'Carol', last: 'Closer', title: 'Account Executive', department: 'Sales', crm: true, groups: ['Sales'] },
  { key: 'dan.deals', first: 'Dan', last: 'Deals', title: 'Account Executive', department: 'Sales', crm: true, groups: ['Sales'] },
  { key: 'erin.engineer', first: 'Erin', last: 'Engineer', title: 'Engineer', department: 'Engineering', crm: true, groups: ['Engineering'] },
  { key: 'fiona.field', first: 'Fiona', last: 'Field', title: 'Sales Engineer', department: 'Sales', crm: true, groups: ['Sales'] },
  { key: 'henry.case', first: 'Henry', last: 'Case', title: 'Support Lead', department: 'Support', crm: true, groups: ['Support'] },
  // deprovision_missed: left the company (deprovisioned in Okta), still active in the CRM.
  { key: 'dana.leaver', first: 'Dana', last: 'Leaver', title: 'Account Executive', department: 'Sales', status: 'DEPROVISIONED', crm: true, groups: ['Sales'] },
  // deprovision_missed: suspended in Okta, still active in the CRM.
  { key: 'sam.suspended', first: 'Sam', last: 'Suspended', title: 'Engineer', department: 'Engineering', status: 'SUSPENDED', crm: true, groups: ['Engineering'] },
  // unassigned_access: active in Okta but not in CRM Users, yet active in the CRM.
  { key: 'olivia.outside', first: 'Olivia', last: 'Outside', title: 'Recruiter', department: 'People', groups: [] },
  // missing_account: in scope, never provisioned.
  { key: 'nina.newhire', first: 'Nina', last: 'Newhire', title: 'Account Executive', department: 'Sales', crm: true, groups: ['Sales'] },
  // attribute_drift: promoted in Okta, the title never reached the CRM; department changed too.
  { key: 'tom.title', first: 'Tom', last: 'Title', title: 'Sales Manager', department: 'Sales Leadership', crm: true, groups: ['Sales'] },
  // stale_membership: moved from Sales to Engineering in Okta; the CRM still has him in Sales.
  { key: 'eve.mover', first: 'Eve', last: 'Mover', title: 'Engineer', department: 'Engineering', crm: true, groups: ['Engineering'] },
  // missing_membership: joined Support in Okta; the CRM never added her.
  { key: 'frank.joiner', first: 'Frank', last: 'Joiner', title: 'Support Agent', department: 'Support', crm: true, groups: ['Support'] },
  // duplicate_account: two CRM accounts resolve to the same person.
  { key: 'gary.dupe', first: 'Gary', last: 'Dupe', title: 'Engineer', department: 'Engineering', crm: true, groups: ['Engineering'] },
  // ambiguous_match: two Okta identities share the support mailbox the CRM's helpdesk account uses.
  { key: 'iris.shared', first: 'Iris', last: 'Shared', title: 'Support Agent', department: 'Support', crm: true, groups: ['Support'], email: `support@${DOMAIN}` },
  { key: 'jack.shared', first: 'Jack', last: 'Shared', title: 'Support Agent', department: 'Support', crm: true, groups: ['Support'], email: `support@${DOMAIN}` },
];

export function oktaId(index: number): string {
  return `00udemo${String(index + 1).padStart(13, '0')}`;
}

function login(p: Person): string {
  return `${p.key}@${DOMAIN}`;
}

export function demoOktaSeed(): { users: OktaUserSeed[]; groups: OktaGroupSeed[] } {
  const users: OktaUserSeed[] = PEOPLE.map((p, i) => ({
    id: oktaId(i),
    status: p.status ?? 'ACTIVE',
    login: login(p),
    email: p.email ?? login(p),
    firstName: p.first,
    lastName: p.last,
    displayName: `${p.first} ${p.last}`,
    title: p.title,
    department: p.department,
    employeeNumber: String(1001 + i),
  }));
  const groupNames = ['CRM Users', 'Sales', 'Engineering', 'Support'];
  const groups: OktaGroupSeed[] = groupNames.map((name, g) => ({
    id: `00gdemo${String(g + 1).padStart(13, '0')}`,
    name,
    description: name === 'CRM Users' ? 'People who get an Acme CRM account' : `${name} team`,
    members: PEOPLE.map((p, i) => ({ p, id: oktaId(i) }))
      .filter(({ p }) => (name === 'CRM Users' ? p.crm === true : (p.groups ?? []).includes(name)))
      .map(({ id }) => id),
  }));
  return { users, groups };
}

function crmUser(p: Person, i: number, overrides: Partial<{ userName: string; externalId: string | null; active: boolean; title: string; department: string; id: string }> = {}): ScimUserSeed {
  const userName = overrides.userName ?? login(p);
  const externalId = overrides.externalId === undefined ? oktaId(i) : overrides.externalId;
  return {
    id: overrides.id ?? `crm-${p.key}`,
    userName,
    ...(externalId === null ? {} : { externalId }),
    name: { givenName: p.first, familyName: p.last, formatted: `${p.first} ${p.last}` },
    displayName: `${p.first} ${p.last}`,
    title: overrides.title ?? p.title,
    active: overrides.active ?? true,
    emails: [{ value: p.email ?? login(p), type: 'work', primary: true }],
    [ENTERPRISE]: { employeeNumber: String(1001 + i), department: overrides.department ?? p.department },
  };
}

export function demoScimSeed(): { users: ScimUserSeed[]; groups: ScimGroupSeed[] } {
  const index = new Map(PEOPLE.map((p, i) => [p.key, { p, i }]));
  const at = (key: string): { p: Person; i: number } => {
    const entry = index.get(key);
    if (!entry) throw new Error(`demo seed: unknown person ${key}`);
    return entry;
  };
  const provisioned = ['alice.admin', 'bob.builder', 'carol.closer', 'dan.deals', 'erin.engineer', 'fiona.field', 'dana.leaver', 'sam.suspended', 'olivia.outside', 'eve.mover', 'frank.joiner', 'gary.dupe'];
  const users: ScimUserSeed[] = provisioned.map((key) => {
    const { p, i } = at(key);
    return crmUser(p, i);
  });
  const tom = at('tom.title');
  users.push(crmUser(tom.p, tom.i, { title: 'Account Executive', department: 'Sales' }));
  // Created by hand in the CRM: no externalId, userName in different case — matched case-insensitively.
  const henry = at('henry.case');
  users.push(crmUser(henry.p, henry.i, { userName: 'Henry.Case@Acme.Example', externalId: null }));
  // A second, hand-made account for Gary, found through his e-mail address.
  const gary = at('gary.dupe');
  users.push(crmUser(gary.p, gary.i, { id: 'crm-gary.dupe-2', userName: `gary.dupe.2@${DOMAIN}`, externalId: null }));
  // The helpdesk account: matches two Okta people by e-mail only.
  users.push({
    id: 'crm-helpdesk',
    userName: `helpdesk@${DOMAIN}`,
    name: { givenName: 'Help', familyName: 'Desk' },
    displayName: 'Help Desk',
    active: true,
    emails: [{ value: `support@${DOMAIN}`, type: 'work', primary: true }],
  });
  // orphaned_account: a contractor created directly in the CRM, unknown to Okta.
  users.push({
    id: 'crm-contractor',
    userName: `old.contractor@${DOMAIN}`,
    name: { givenName: 'Old', familyName: 'Contractor' },
    displayName: 'Old Contractor',
    title: 'Contractor',
    active: true,
    emails: [{ value: `old.contractor@${DOMAIN}`, type: 'work', primary: true }],
  });
  // A deactivated leftover: inactive in the app, so not a finding.
  users.push({ id: 'crm-former-intern', userName: `former.intern@${DOMAIN}`, displayName: 'Former Intern', active: false });

  const members = (...keys: string[]): { value: string; type: 'User' }[] => keys.map((k) => ({ value: `crm-${k}`, type: 'User' }));
  const groups: ScimGroupSeed[] = [
    { id: 'crm-grp-sales', displayName: 'Sales', members: members('carol.closer', 'dan.deals', 'fiona.field', 'dana.leaver', 'tom.title', 'eve.mover') },
    // dan.deals was added to Engineering by hand in the CRM: a second stale membership.
    { id: 'crm-grp-engineering', displayName: 'Engineering', members: members('alice.admin', 'bob.builder', 'erin.engineer', 'sam.suspended', 'eve.mover', 'gary.dupe', 'dan.deals') },
    { id: 'crm-grp-support', displayName: 'Support', members: members('henry.case') },
    // orphaned_group: no such group in Okta.
    { id: 'crm-grp-legacy-admins', displayName: 'Legacy Admins', members: members('alice.admin') },
  ];
  return { users, groups };
}
