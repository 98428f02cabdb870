import type { Db } from './database';
import { VALID, withTempPairs, type PairsJson, type SnapshotRef } from './snapshot-sql';

/** Membership differences of one analysis: [app group, app member] (stale) or [app group, IdP user] (missing). */
export type MembershipPairs = Array<[group: number, user: number]>;

/**
 * What both differences read: the mapped groups (a JSON array of [app group, IdP group]) and the
 * correlated pairs. The two are separate calls so the analysis can turn the first into findings
 * while the helper thread computes the second.
 */
export interface MembershipDiffInput {
  app: SnapshotRef;
  idp: SnapshotRef;
  pairs: PairsJson;
  groupPairs: string;
}

/**
 * Each difference comes in this many parts, each for a range of the mapped groups: the analysis
 * turns one part into findings while the helper thread works out the next, instead of waiting for
 * all of them at the end of its critical path.
 */
const PARTS = 8;

// CROSS JOIN fixes the loop order in both queries: one pass over one side's memberships of the
// mapped groups, with a primary-key probe of the other side per membership (there are no planner
// statistics).

/**
 * Stale memberships, in SQL on the membership primary keys: app memberships (g, u) where no
 * identity correlated with u is in g's IdP group. Members that are groups (nesting) come out as
 * stale too; callers keep only the app's users.
 */
export function staleMemberships(db: Db, input: MembershipDiffInput, onPart: (pairs: MembershipPairs) => void): void {
  withTempPairs(db, 'gmap', input.groupPairs, () =>
    withTempPairs(db, 'pairs_by_app', input.pairs, () =>
      inParts(
        db,
        `SELECT m.group_id, m.member_id FROM temp.gmap gm
         CROSS JOIN memberships m ON ${VALID('m', 'ac', 'ar')} AND m.group_id = gm.app_group
         WHERE gm.app_group BETWEEN @lo AND @hi AND NOT EXISTS (SELECT 1 FROM temp.pairs_by_app c
           CROSS JOIN memberships im ON ${VALID('im', 'ic', 'ir')} AND im.group_id = gm.idp_group AND im.member_id = c.idp_res
           WHERE c.app_res = m.member_id)`,
        input,
        onPart,
      ),
    ),
  );
}

/**
 * Missing memberships: IdP memberships (g, i) of identities with an app account where none of
 * their accounts is in the app group (counted per person, so a second, duplicate account is never
 * "missing" from a group the person is in). Pairs are [app group, IdP user].
 */
export function missingMemberships(db: Db, input: MembershipDiffInput, onPart: (pairs: MembershipPairs) => void): void {
  // The pairs keyed by the IdP side: each IdP membership is looked up from its own side.
  withTempPairs(db, 'gmap', input.groupPairs, () =>
    withTempPairs(db, 'pairs_by_idp', input.pairs, () =>
      inParts(
        db,
        `SELECT DISTINCT gm.app_group, im.member_id FROM temp.gmap gm
         CROSS JOIN memberships im ON ${VALID('im', 'ic', 'ir')} AND im.group_id = gm.idp_group
         WHERE gm.app_group BETWEEN @lo AND @hi AND EXISTS (SELECT 1 FROM temp.pairs_by_idp c WHERE c.idp_res = im.member_id)
           AND NOT EXISTS (SELECT 1 FROM temp.pairs_by_idp c
             CROSS JOIN memberships m ON ${VALID('m', 'ac', 'ar')} AND m.group_id = gm.app_group AND m.member_id = c.app_res
             WHERE c.idp_res = im.member_id)`,
        input,
        onPart,
      ),
    ),
  );
}

/** Runs a difference query once per range of the mapped groups (temp.gmap), in app group order. */
function inParts(db: Db, sql: string, input: MembershipDiffInput, onPart: (pairs: MembershipPairs) => void): void {
  const groups = db.prepare('SELECT app_group FROM temp.gmap ORDER BY app_group').pluck().all() as number[];
  const query = db.prepare(sql).raw();
  const size = Math.ceil(groups.length / PARTS);
  for (let from = 0; from < groups.length; from += size) {
    const range = { lo: groups[from], hi: groups[Math.min(from + size, groups.length) - 1] };
    onPart(query.all({ ...params(input), ...range }) as MembershipPairs);
  }
}

function params(input: MembershipDiffInput): Record<string, number> {
  return { ac: input.app.connectionId, ar: input.app.runId, ic: input.idp.connectionId, ir: input.idp.runId };
}
