// The IdP side: an HR export (the csv connector's format) of the same people, with about 2% drift
// from the app so analysis has real work: leavers, orphans, new hires, changed titles and
// departments, and memberships added or removed on one side only.
import { writeFileSync } from 'node:fs';
import { createRng, sampleDistinct } from './rng';
import { another, DEPARTMENTS, groupsOfPeople, TITLES, userNameFactory, type Tenant } from './tenant';

/** How many of each kind of drift the export carries. */
export interface DriftCounts {
  /** People with an app account but no row (orphaned accounts when active). */
  missing: number;
  /** Rows for people without an app account (missing accounts). */
  extra: number;
  titleChanged: number;
  departmentChanged: number;
  /** Inactive in the export, active in the app (missed deprovisioning). */
  deactivated: number;
  /** Memberships the app has and the export does not (stale memberships). */
  membershipsRemoved: number;
  /** Memberships the export has and the app does not (missing memberships). */
  membershipsAdded: number;
}

export interface IdpExportSummary extends DriftCounts {
  rows: number;
  bytes: number;
  memberships: number;
}

/** ~2% drift in all: counts proportional to the tenant. */
export function driftCounts(tenant: Tenant): DriftCounts {
  const users = tenant.people.length;
  const memberships = tenant.groups.reduce((n, g) => n + g.members.length, 0);
  return {
    missing: Math.round(users * 0.003),
    extra: Math.round(users * 0.003),
    titleChanged: Math.round(users * 0.008),
    departmentChanged: Math.round(users * 0.005),
    deactivated: Math.round(users * 0.004),
    membershipsRemoved: Math.round(memberships * 0.01),
    membershipsAdded: Math.round(memberships * 0.01),
  };
}

export const CSV_COLUMNS = [
  'id', 'userName', 'email', 'givenName', 'familyName', 'displayName', 'active', 'groups', 'title', 'department', 'employeeNumber', 'costCenter',
] as const;

/** RFC 4180 quoting, only where a value needs it. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes the export to `path` and returns what drift it holds. */
export function writeIdpExport(tenant: Tenant, path: string, seed: number): IdpExportSummary {
  const rng = createRng(seed);
  const drift = driftCounts(tenant);
  const n = tenant.people.length;

  // Disjoint sets of people for each kind of per-person drift.
  const chosen = sampleDistinct(rng, n, Math.min(n, drift.missing + drift.titleChanged + drift.departmentChanged + drift.deactivated));
  let at = 0;
  const take = (k: number): Set<number> => new Set(chosen.slice(at, (at += k)));
  const missing = take(drift.missing);
  const titleChanged = take(drift.titleChanged);
  const departmentChanged = take(drift.departmentChanged);
  const deactivated = take(drift.deactivated);

  // Membership drift, as person → set of group indexes.
  const groupsOf = groupsOfPeople(tenant).map((gs) => new Set(gs));
  let removed = 0;
  for (let tries = 0; removed < drift.membershipsRemoved && tries < drift.membershipsRemoved * 20; tries++) {
    const gs = groupsOf[rng.int(n)];
    if (!gs || gs.size === 0) continue;
    const g = [...gs][rng.int(gs.size)];
    if (g !== undefined && gs.delete(g)) removed++;
  }
  let added = 0;
  for (let tries = 0; added < drift.membershipsAdded && tries < drift.membershipsAdded * 20; tries++) {
    const gs = groupsOf[rng.int(n)];
    const g = rng.int(tenant.groups.length);
    if (gs && !gs.has(g)) {
      gs.add(g);
      added++;
    }
  }

  const lines: string[] = [CSV_COLUMNS.join(',')];
  const groupNames = (gs: Iterable<number>): string => [...gs].map((g) => tenant.groups[g]?.displayName ?? '').join(';');
  const row = (values: readonly string[]): void => {
    lines.push(values.map(cell).join(','));
  };
  let memberships = 0;
  tenant.people.forEach((p, i) => {
    if (missing.has(i)) return;
    const gs = groupsOf[i] ?? new Set<number>();
    memberships += gs.size;
    row([
      p.idpId,
      p.userName,
      p.userName,
      p.givenName,
      p.familyName,
      `${p.givenName} ${p.familyName}`,
      p.active && !deactivated.has(i) ? 'true' : 'false',
      groupNames(gs),
      titleChanged.has(i) ? another(TITLES, p.title, rng) : p.title,
      departmentChanged.has(i) ? another(DEPARTMENTS, p.department, rng) : p.department,
      p.employeeNumber,
      p.costCenter,
    ]);
  });
  // New hires the app has not seen yet: a fresh id space and userNames that cannot collide.
  const userName = userNameFactory();
  for (let k = 0; k < drift.extra; k++) {
    const given = `New${k}`;
    const family = 'Hire';
    const name = userName(given, family);
    const gs = new Set(sampleDistinct(rng, tenant.groups.length, Math.min(tenant.groups.length, 1 + rng.int(5))));
    memberships += gs.size;
    row([
      `00unew${String(k).padStart(14, '0')}`,
      name,
      name,
      given,
      family,
      `${given} ${family}`,
      'true',
      groupNames(gs),
      rng.pick(TITLES),
      rng.pick(DEPARTMENTS),
      String(900_000 + k),
      'CC-9999',
    ]);
  }
  const text = `${lines.join('\n')}\n`;
  writeFileSync(path, text, { mode: 0o600 });
  return { ...drift, membershipsRemoved: removed, membershipsAdded: added, rows: lines.length - 1, bytes: Buffer.byteLength(text), memberships };
}
