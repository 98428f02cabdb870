import type { Db } from './database';
import { VALID, withPairsByApp, type PairsJson, type SnapshotRef } from './snapshot-sql';

export interface MembershipDiff {
  stale: Array<[group: number, member: number]>;
  missing: Array<[group: number, idpUser: number]>;
}

/**
 * Group membership drift as set differences over the mapped groups (a JSON array of [app group,
 * IdP group]), in SQL on the membership primary keys: stale = app memberships (g, u) where no
 * identity correlated with u is in g's IdP group; missing = IdP memberships (g, i) of identities
 * with an app account where none of their accounts is in the app group (counted per person, so a
 * second, duplicate account is never "missing" from a group the person is in).
 */
export function membershipDiff(db: Db, app: SnapshotRef, idp: SnapshotRef, pairs: PairsJson, groupPairs: string): MembershipDiff {
  const clear = 'DELETE FROM temp.pairs_by_idp; DELETE FROM temp.gmap;';
  // The pairs keyed both ways (temp.pairs_by_app below): each membership is looked up from its own side.
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS pairs_by_idp (app_res INTEGER NOT NULL, idp_res INTEGER NOT NULL, PRIMARY KEY (idp_res, app_res)) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS gmap (app_group INTEGER PRIMARY KEY, idp_group INTEGER NOT NULL);
    ${clear}`);
  try {
    // One statement per table: a JSON array parameter instead of a round trip per row.
    db.prepare('INSERT OR IGNORE INTO temp.pairs_by_idp SELECT value ->> 0, value ->> 1 FROM json_each(?)').run(pairs);
    db.prepare('INSERT INTO temp.gmap SELECT value ->> 0, value ->> 1 FROM json_each(?)').run(groupPairs);
    const params = { ac: app.connectionId, ar: app.runId, ic: idp.connectionId, ir: idp.runId };
    // CROSS JOIN fixes the loop order: one pass over each side's memberships of the mapped groups,
    // with a primary-key probe of the other side per membership (there are no planner statistics).
    // Members that are groups (nesting) come out as stale too; callers keep only the app's users.
    const stale = withPairsByApp(
      db,
      pairs,
      () =>
        db
          .prepare(
            `SELECT m.group_id, m.member_id FROM temp.gmap gm
             CROSS JOIN memberships m ON ${VALID('m', 'ac', 'ar')} AND m.group_id = gm.app_group
             WHERE NOT EXISTS (SELECT 1 FROM temp.pairs_by_app c
               CROSS JOIN memberships im ON ${VALID('im', 'ic', 'ir')} AND im.group_id = gm.idp_group AND im.member_id = c.idp_res
               WHERE c.app_res = m.member_id)`,
          )
          .raw()
          .all(params) as Array<[number, number]>,
    );
    const missing = db
      .prepare(
        `SELECT DISTINCT gm.app_group, im.member_id FROM temp.gmap gm
         CROSS JOIN memberships im ON ${VALID('im', 'ic', 'ir')} AND im.group_id = gm.idp_group
         WHERE EXISTS (SELECT 1 FROM temp.pairs_by_idp c WHERE c.idp_res = im.member_id)
           AND NOT EXISTS (SELECT 1 FROM temp.pairs_by_idp c
             CROSS JOIN memberships m ON ${VALID('m', 'ac', 'ar')} AND m.group_id = gm.app_group AND m.member_id = c.app_res
             WHERE c.idp_res = im.member_id)`,
      )
      .raw()
      .all(params) as Array<[number, number]>;
    return { stale, missing };
  } finally {
    db.exec(clear);
  }
}
