// The 2% churn between the two syncs, applied to the running demo server through real SCIM writes
// (PUT for users, PATCH for group members), so versions, lastModified and ETags move as they would
// in a real app. PUT rather than PATCH for users: scimmy's PATCH costs about twice as much per user.
import { createRng, sampleDistinct } from './rng';
import { another, DEPARTMENTS, scimUser, TITLES, type Tenant } from './tenant';

export interface ChurnSummary {
  usersChanged: number;
  titles: number;
  departments: number;
  deactivated: number;
  groupsChanged: number;
  membershipsAdded: number;
  membershipsRemoved: number;
  requests: number;
  ms: number;
}

interface ChurnRequest {
  method: 'PUT' | 'PATCH';
  path: string;
  body: unknown;
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Membership changes per patched group. scimmy re-validates every member of a patched group, so fewer, busier groups cost less. */
const CHANGES_PER_GROUP = 20;

/**
 * Picks `rate` of the users (new title, new department or deactivated) and `rate` of the memberships
 * (half removed, half added, in mid-sized groups), updates `tenant` to match, and returns the requests.
 */
export function planChurn(tenant: Tenant, rate: number, seed: number): { requests: ChurnRequest[]; summary: Omit<ChurnSummary, 'requests' | 'ms'> } {
  const rng = createRng(seed);
  const requests: ChurnRequest[] = [];
  const summary = { usersChanged: 0, titles: 0, departments: 0, deactivated: 0, groupsChanged: 0, membershipsAdded: 0, membershipsRemoved: 0 };

  for (const i of sampleDistinct(rng, tenant.people.length, Math.round(tenant.people.length * rate))) {
    const p = tenant.people[i];
    if (!p) continue;
    const r = rng.next();
    if (r < 0.15 && p.active) {
      p.active = false;
      summary.deactivated++;
    } else if (r < 0.5) {
      p.department = another(DEPARTMENTS, p.department, rng);
      summary.departments++;
    } else {
      p.title = another(TITLES, p.title, rng);
      summary.titles++;
    }
    summary.usersChanged++;
    requests.push({ method: 'PUT', path: `/Users/${p.appId}`, body: scimUser(tenant, p) });
  }

  const memberships = tenant.groups.reduce((n, g) => n + g.members.length, 0);
  const wanted = Math.round(memberships * rate);
  const eligible = tenant.groups.filter((g) => g.members.length >= CHANGES_PER_GROUP && g.members.length <= 4 * CHANGES_PER_GROUP);
  const pool = eligible.length > 0 ? eligible : tenant.groups.filter((g) => g.members.length >= 2);
  const chosen = sampleDistinct(rng, pool.length, Math.min(pool.length, Math.ceil(wanted / CHANGES_PER_GROUP)));
  for (const gi of chosen) {
    const g = pool[gi];
    if (!g) continue;
    const removeCount = Math.min(CHANGES_PER_GROUP / 2, g.members.length - 1);
    const removed = g.members.splice(0, removeCount);
    const present = new Set(g.members);
    const added: number[] = [];
    while (added.length < CHANGES_PER_GROUP / 2) {
      const p = rng.int(tenant.people.length);
      if (!present.has(p) && !removed.includes(p)) {
        present.add(p);
        added.push(p);
      }
    }
    g.members.push(...added);
    const id = (p: number): string => tenant.people[p]?.appId ?? '';
    requests.push({
      method: 'PATCH',
      path: `/Groups/${g.appId}`,
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'remove', path: `members[${removed.map((p) => `value eq "${id(p)}"`).join(' or ')}]` },
          { op: 'add', path: 'members', value: added.map((p) => ({ value: id(p), type: 'User' })) },
        ],
      },
    });
    summary.groupsChanged++;
    summary.membershipsRemoved += removed.length;
    summary.membershipsAdded += added.length;
  }
  return { requests, summary };
}

/** Sends the churn with a few requests in flight (the server applies writes one at a time anyway). */
export async function applyChurn(baseUrl: string, token: string, requests: readonly ChurnRequest[], inFlight = 4): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const req = requests[next++];
      if (!req) continue;
      const res = await fetch(`${baseUrl}${req.path}`, {
        method: req.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(req.body),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`churn ${req.method} ${req.path} → ${res.status}: ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
