// The benchmark tenant: people and groups generated from a seed, identical in every process and run.
// One model feeds both sides: the app's SCIM seed (scim-server-child.ts) and the IdP's HR export
// (idp-export.ts), so the drift between them is exactly what idp-export.ts puts there.
import type { ScimGroupSeed, ScimUserSeed } from '../../src-main/demo/scim-app';
import { createRng, sampleDistinct, type Rng } from './rng';

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const TENANT_SEED = 20_260_101;
export const MAIL_DOMAIN = 'bench.example';

export interface TenantSize {
  users: number;
  groups: number;
  memberships: number;
}

/** The size the issue asks for. */
export const FULL_SIZE: TenantSize = { users: 100_000, groups: 10_000, memberships: 500_000 };

/** `--scale 0.1` shrinks every count alike, for a quick run while working on the bench itself. */
export function scaledSize(scale: number): TenantSize {
  const of = (n: number): number => Math.max(1, Math.round(n * scale));
  return { users: Math.max(50, of(FULL_SIZE.users)), groups: Math.max(5, of(FULL_SIZE.groups)), memberships: Math.max(100, of(FULL_SIZE.memberships)) };
}

export interface Person {
  appId: string;
  idpId: string;
  userName: string;
  givenName: string;
  familyName: string;
  title: string;
  department: string;
  costCenter: string;
  employeeNumber: string;
  /** Index of the manager in `people`. */
  manager: number | null;
  active: boolean;
  /** False for accounts created by hand in the app (no externalId, userName in other case): matched by userName. */
  provisioned: boolean;
}

export interface Group {
  appId: string;
  displayName: string;
  /** Indexes into `people`. */
  members: number[];
}

export interface Tenant {
  size: TenantSize;
  people: Person[];
  groups: Group[];
}

export const DEPARTMENTS = [
  'Engineering', 'Sales', 'Marketing', 'Finance', 'Legal', 'Support', 'Operations', 'People', 'Product', 'Design',
  'Security', 'IT', 'Research', 'Procurement', 'Facilities', 'Customer Success', 'Data', 'Partnerships', 'Compliance', 'Communications',
] as const;

export const TITLES = [
  'Engineer', 'Senior Engineer', 'Staff Engineer', 'Engineering Manager', 'Account Executive', 'Sales Manager', 'Sales Engineer',
  'Marketing Specialist', 'Product Manager', 'Designer', 'Analyst', 'Senior Analyst', 'Accountant', 'Controller', 'Counsel',
  'Paralegal', 'Support Agent', 'Support Lead', 'Operations Manager', 'Recruiter', 'HR Partner', 'Director', 'Vice President',
  'Data Scientist', 'Security Analyst', 'IT Administrator', 'Researcher', 'Buyer', 'Office Manager', 'Customer Success Manager',
] as const;

const GIVEN = [
  'Aaron', 'Abigail', 'Adam', 'Aisha', 'Alex', 'Alice', 'Amir', 'Ana', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe', 'Daniel', 'Dana',
  'David', 'Elena', 'Emma', 'Eric', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Ivan', 'Jack', 'Jana', 'Javier',
  'Julia', 'Kai', 'Karin', 'Kenji', 'Lara', 'Leo', 'Lina', 'Luca', 'Maria', 'Mateo', 'Maya', 'Mei', 'Nadia', 'Noah', 'Nora', 'Omar',
  'Olivia', 'Paul', 'Priya', 'Rafael', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tariq', 'Tom', 'Uma', 'Victor', 'Yara', 'Zoe',
] as const;

const FAMILY = [
  'Adams', 'Ahmed', 'Alvarez', 'Andersen', 'Baker', 'Bauer', 'Becker', 'Brown', 'Castro', 'Chen', 'Clark', 'Costa', 'Davis', 'Dubois',
  'Evans', 'Fischer', 'Garcia', 'Gomez', 'Gupta', 'Hall', 'Hansen', 'Hoffmann', 'Ito', 'Jansen', 'Johnson', 'Kim', 'Klein', 'Kowalski',
  'Kumar', 'Larsen', 'Lee', 'Lopez', 'Martin', 'Meyer', 'Miller', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen',
  'Patel', 'Perez', 'Petrov', 'Rossi', 'Santos', 'Sato', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor', 'Torres',
  'Wagner', 'Walker', 'Wang', 'Weber', 'White', 'Wilson', 'Wong', 'Yilmaz', 'Young', 'Zhang', 'Ziegler', 'Moretti', 'Eriksson', 'Haddad',
] as const;

const GROUP_KINDS = ['Team', 'Project', 'Role', 'Access', 'Committee', 'Guild', 'Squad', 'Region', 'Program', 'Workspace'] as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An Okta-looking user id (20 characters), unique through its index suffix. */
function idpIdOf(rng: Rng, index: number): string {
  let random = '';
  for (let i = 0; i < 9; i++) random += BASE62[rng.int(62)];
  return `00u${random}${index.toString(36).padStart(8, '0')}`;
}

/** first.last, first.last2, … as a mail-style userName. */
export function userNameFactory(): (given: string, family: string) => string {
  const taken = new Map<string, number>();
  return (given, family) => {
    const base = `${given}.${family}`.toLowerCase();
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    return `${base}${n > 1 ? n : ''}@${MAIL_DOMAIN}`;
  };
}

function person(rng: Rng, index: number, userName: (g: string, f: string) => string): Person {
  const givenName = rng.pick(GIVEN);
  const familyName = rng.pick(FAMILY);
  const department = rng.pick(DEPARTMENTS);
  return {
    appId: rng.uuid(),
    idpId: idpIdOf(rng, index),
    userName: userName(givenName, familyName),
    givenName,
    familyName,
    title: rng.pick(TITLES),
    department,
    costCenter: `CC-${1000 + DEPARTMENTS.indexOf(department) * 10 + rng.int(10)}`,
    employeeNumber: String(100_000 + index),
    // Managers come from the first tenth of the people seen so far: a hierarchy with wide spans.
    manager: index === 0 ? null : rng.int(Math.max(1, Math.floor(index / 10))),
    active: rng.chance(0.97),
    provisioned: !rng.chance(0.005),
  };
}

/**
 * Group sizes summing to exactly `size.memberships`: a few big groups of several thousand (0.15% of the
 * groups, 2–6% of the people each), the rest log-normally skewed around the remaining average.
 */
function groupSizes(rng: Rng, size: TenantSize): number[] {
  const bigCount = Math.max(1, Math.round(size.groups * 0.0015));
  const big = Array.from({ length: bigCount }, () => Math.round(size.users * (0.02 + rng.next() * 0.04)));
  const remaining = Math.max(size.groups - bigCount, 0, size.memberships - big.reduce((a, b) => a + b, 0));
  const raw = Array.from({ length: size.groups - bigCount }, () => Math.exp(rng.normal() * 0.9));
  const scale = remaining / raw.reduce((a, b) => a + b, 0);
  const sizes = [...big, ...raw.map((r) => Math.min(size.users, Math.max(1, Math.round(r * scale))))];
  // Rounding leaves the total a little off; nudge random small groups until it is exact.
  let diff = size.memberships - sizes.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const g = bigCount + rng.int(sizes.length - bigCount);
    const current = sizes[g] ?? 1;
    if (diff > 0 && current < size.users) {
      sizes[g] = current + 1;
      diff--;
    } else if (diff < 0 && current > 1) {
      sizes[g] = current - 1;
      diff++;
    }
  }
  return sizes;
}

export function generateTenant(size: TenantSize, seed = TENANT_SEED): Tenant {
  const rng = createRng(seed);
  const userName = userNameFactory();
  const people = Array.from({ length: size.users }, (_, i) => person(rng, i, userName));
  const sizes = groupSizes(rng, size);
  const bigCount = Math.max(1, Math.round(size.groups * 0.0015));
  const groups = sizes.map((n, g): Group => ({
    appId: rng.uuid(),
    // Plain ASCII without ';' or ',': the HR export lists group names separated by ';'.
    displayName: g < bigCount ? `All ${DEPARTMENTS[g % DEPARTMENTS.length] ?? 'Staff'} ${g + 1}` : `${rng.pick(DEPARTMENTS)} ${rng.pick(GROUP_KINDS)} ${String(g).padStart(5, '0')}`,
    members: sampleDistinct(rng, size.users, n),
  }));
  return { size, people, groups };
}

/** Each person's groups (indexes), inverted from the member lists. */
export function groupsOfPeople(tenant: Tenant): number[][] {
  const of: number[][] = tenant.people.map(() => []);
  tenant.groups.forEach((g, gi) => {
    for (const p of g.members) of[p]?.push(gi);
  });
  return of;
}

/** A random entry of `list` other than `current`. */
export function another(list: readonly string[], current: string, rng: Rng): string {
  const at = list.indexOf(current);
  return list[(at + 1 + rng.int(list.length - 1)) % list.length] ?? current;
}

function capitalized(userName: string): string {
  return userName.replace(/(^|\.)([a-z])/g, (_m, dot: string, ch: string) => dot + ch.toUpperCase());
}

/** The app's account for a person: a full SCIM User with the enterprise extension. */
export function scimUser(tenant: Tenant, p: Person): ScimUserSeed {
  const manager = p.manager === null ? undefined : tenant.people[p.manager];
  const displayName = `${p.givenName} ${p.familyName}`;
  return {
    id: p.appId,
    // Accounts made by hand carry no externalId and a userName typed with capitals.
    userName: p.provisioned ? p.userName : capitalized(p.userName),
    ...(p.provisioned ? { externalId: p.idpId } : {}),
    name: { givenName: p.givenName, familyName: p.familyName, formatted: displayName },
    displayName,
    title: p.title,
    active: p.active,
    emails: [{ value: p.userName, type: 'work', primary: true }],
    [ENTERPRISE]: {
      employeeNumber: p.employeeNumber,
      department: p.department,
      costCenter: p.costCenter,
      ...(manager ? { manager: { value: manager.appId, displayName: `${manager.givenName} ${manager.familyName}` } } : {}),
    },
  };
}

export function scimSeed(tenant: Tenant): { users: ScimUserSeed[]; groups: ScimGroupSeed[] } {
  return {
    users: tenant.people.map((p) => scimUser(tenant, p)),
    groups: tenant.groups.map((g) => ({
      id: g.appId,
      displayName: g.displayName,
      members: g.members.map((p) => ({ value: tenant.people[p]?.appId ?? '', type: 'User' as const })),
    })),
  };
}
