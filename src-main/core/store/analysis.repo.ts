import type { CandidatePairs } from '../analysis/correlate';
import type { KeyField, SnapshotGroup, SnapshotUser } from '../analysis/types';
import type { Db } from './database';
import { createRawReader, type RawLocation } from './raw-chunks';

/** One complete run of one connection: the snapshot analysis reads. */
export interface SnapshotRef {
  connectionId: number;
  runId: number;
}


const VALID = (alias: string, c: string, r: string): string =>
  `${alias}.connection_id = @${c} AND ${alias}.from_run <= @${r} AND (${alias}.to_run IS NULL OR ${alias}.to_run > @${r})`;

type UserRow = [
  res: number,
  remoteId: string,
  userName: string | null,
  externalId: string | null,
  email: string | null,
  active: number | null,
  status: string | null,
  givenName: string | null,
  familyName: string | null,
  displayName: string | null,
  attributesJson: string | null,
];

/** The user_versions columns of a SnapshotUser after its resource id and remote id (UserRow order). */
const USER_COLUMNS = 'v.user_name, v.external_id, v.email, v.active, v.status, v.given_name, v.family_name, v.display_name, v.attributes_json';

function toSnapshotUser(r: UserRow): SnapshotUser {
  return {
    res: r[0],
    remoteId: r[1],
    userName: r[2],
    externalId: r[3],
    email: r[4],
    active: r[5] === null ? null : r[5] === 1,
    status: r[6],
    givenName: r[7],
    familyName: r[8],
    displayName: r[9],
    attributes: r[10] ? (JSON.parse(r[10]) as Record<string, string | null>) : {},
  };
}

export function snapshotUsers(db: Db, ref: SnapshotRef): SnapshotUser[] {
  const rows = db
    .prepare(
      `SELECT v.resource_id, r.remote_id, ${USER_COLUMNS}
       FROM user_versions v INDEXED BY user_versions_by_run JOIN resources r ON r.id = v.resource_id
       WHERE ${VALID('v', 'c', 'r')}`,
    )
    .raw()
    .iterate({ c: ref.connectionId, r: ref.runId }) as IterableIterator<UserRow>;
  // Rows are iterated, not collected first, so each row array dies young: this runs for every
  // account of a tenant, and a retained array per row doubles the garbage collector's work.
  const users: SnapshotUser[] = [];
  for (const r of rows) users.push(toSnapshotUser(r));
  return users;
}

export function snapshotGroups(db: Db, ref: SnapshotRef): SnapshotGroup[] {
  return db
    .prepare(
      `SELECT v.resource_id AS res, r.remote_id AS remoteId, v.display_name AS displayName, v.external_id AS externalId
       FROM group_versions v JOIN resources r ON r.id = v.resource_id
       WHERE ${VALID('v', 'c', 'r')}`,
    )
    .all({ c: ref.connectionId, r: ref.runId }) as SnapshotGroup[];
}

/** Groups whose member list the run could not read. */
export function unreadGroups(db: Db, runId: number): Set<number> {
  return new Set(db.prepare('SELECT group_id FROM run_unread_groups WHERE run_id = ?').pluck().all(runId) as number[]);
}

export function groupMembers(db: Db, ref: SnapshotRef, groupRes: number): number[] {
  return db
    .prepare(`SELECT m.member_id FROM memberships m WHERE m.group_id = @g AND ${VALID('m', 'c', 'r')}`)
    .pluck()
    .all({ g: groupRes, c: ref.connectionId, r: ref.runId }) as number[];
}

/** The column (or, for ids, the resource's remote id) a key reads, and the index that serves it. */
function keyColumn(alias: string, resAlias: string, key: KeyField, fold: boolean): { expr: string; index: string | null } {
  switch (key) {
    case 'id':
      return { expr: fold ? `lower(${resAlias}.remote_id)` : `${resAlias}.remote_id`, index: null };
    case 'externalId':
      return { expr: fold ? `lower(${alias}.external_id)` : `${alias}.external_id`, index: fold ? null : 'user_versions_external_id' };
    case 'userName':
      return { expr: fold ? `${alias}.user_name_lc` : `${alias}.user_name`, index: fold ? 'user_versions_user_name' : null };
    case 'email':
      return { expr: fold ? `${alias}.email_lc` : `${alias}.email`, index: fold ? 'user_versions_email' : null };
  }
}

/**
 * Candidate pairs for one correlation rule, as a join of the two snapshots on the rule's key: the
 * app snapshot is scanned once, and each key is looked up in the IdP snapshot through the index
 * built at ingest (named explicitly, so the plan never depends on planner statistics).
 * `fold` compares case-insensitively (the lower-cased columns are written at ingest).
 */
export function matchCandidates(
  db: Db,
  app: SnapshotRef,
  appKey: KeyField,
  idp: SnapshotRef,
  idpKey: KeyField,
  fold: boolean,
): CandidatePairs {
  const a = keyColumn('a', 'ra', appKey, fold);
  const i = keyColumn('i', 'ri', idpKey, fold);
  const appResources = appKey === 'id' ? 'JOIN resources ra ON ra.id = a.resource_id' : '';
  const idpSide =
    idpKey === 'id'
      ? `JOIN resources ri ON ri.connection_id = @ic AND ri.kind = 'user' AND ${i.expr} = ${a.expr}
         JOIN user_versions i INDEXED BY user_versions_by_resource ON i.resource_id = ri.id AND i.from_run <= @ir AND (i.to_run IS NULL OR i.to_run > @ir)`
      : `JOIN user_versions i ${i.index ? `INDEXED BY ${i.index}` : ''} ON ${VALID('i', 'ic', 'ir')} AND ${i.expr} = ${a.expr}`;
  const sql = `SELECT a.resource_id, i.resource_id
    FROM user_versions a INDEXED BY user_versions_by_run ${appResources}
    ${idpSide}
    WHERE ${VALID('a', 'ac', 'ar')} AND ${a.expr} IS NOT NULL`;
  const pairs: CandidatePairs = { app: [], idp: [] };
  for (const [appRes, idpRes] of db
    .prepare(sql)
    .raw()
    .iterate({ ac: app.connectionId, ar: app.runId, ic: idp.connectionId, ir: idp.runId }) as IterableIterator<[number, number]>) {
    pairs.app.push(appRes);
    pairs.idp.push(idpRes);
  }
  return pairs;
}

/** Where the raw JSON of each of a snapshot's users is stored, by resource. */
export function userRawLocations(db: Db, ref: SnapshotRef): Map<number, RawLocation> {
  const rows = db
    .prepare(`SELECT v.resource_id, v.raw_chunk, v.raw_offset, v.raw_length FROM user_versions v WHERE ${VALID('v', 'c', 'r')}`)
    .raw()
    .all({ c: ref.connectionId, r: ref.runId }) as Array<[number, number, number, number]>;
  return new Map(rows.map(([res, chunk, offset, length]) => [res, { chunk, offset, length }]));
}

/**
 * Group membership drift as set differences over the snapshots, in SQL:
 * actual = the app's memberships of mapped groups; expected = the IdP's memberships of the
 * mapped groups carried to app accounts through correlation;
 * stale = actual − expected;
 * missing = IdP members (with an app account) for whom none of their accounts is in the app group,
 * counted per person so a second (duplicate) account is never "missing" from a group the person is in.
 */
export function membershipDiff(
  db: Db,
  app: SnapshotRef,
  idp: SnapshotRef,
  correlated: ReadonlyArray<readonly [appRes: number, idpRes: number]>,
  groupPairs: ReadonlyMap<number, number>,
): { stale: Array<[number, number]>; missing: Array<[group: number, idpUser: number]> } {
  return db.transaction(() => {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS corr (app_res INTEGER NOT NULL, idp_res INTEGER NOT NULL, PRIMARY KEY (idp_res, app_res)) WITHOUT ROWID;
      CREATE TEMP TABLE IF NOT EXISTS gmap (app_group INTEGER PRIMARY KEY, idp_group INTEGER NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS actual (g INTEGER NOT NULL, u INTEGER NOT NULL, PRIMARY KEY (g, u)) WITHOUT ROWID;
      CREATE TEMP TABLE IF NOT EXISTS expected (g INTEGER NOT NULL, u INTEGER NOT NULL, i INTEGER NOT NULL, PRIMARY KEY (g, u, i)) WITHOUT ROWID;
      DELETE FROM temp.corr; DELETE FROM temp.gmap; DELETE FROM temp.actual; DELETE FROM temp.expected;`);
    // One statement per table: a JSON array parameter instead of a round trip per row.
    db.prepare('INSERT OR IGNORE INTO temp.corr SELECT value ->> 0, value ->> 1 FROM json_each(?)').run(JSON.stringify(correlated));
    db.prepare('INSERT INTO temp.gmap SELECT value ->> 0, value ->> 1 FROM json_each(?)').run(JSON.stringify([...groupPairs]));
    const params = { ac: app.connectionId, ar: app.runId, ic: idp.connectionId, ir: idp.runId };
    // Members that are groups (nesting) land in `actual` too; callers keep only pairs whose member
    // is one of the app's users, which is cheaper than a resource lookup per membership here.
    db.prepare(
      `INSERT OR IGNORE INTO temp.actual
       SELECT m.group_id, m.member_id FROM temp.gmap gm
       JOIN memberships m ON m.connection_id = @ac AND m.group_id = gm.app_group AND m.from_run <= @ar AND (m.to_run IS NULL OR m.to_run > @ar)`,
    ).run(params);
    const idpMembers = `temp.gmap gm JOIN memberships im ON im.connection_id = @ic AND im.group_id = gm.idp_group
      AND im.from_run <= @ir AND (im.to_run IS NULL OR im.to_run > @ir)`;
    // Each expected account keeps the IdP person it comes from, so `missing` below reads this table
    // instead of joining the IdP memberships a second time.
    db.prepare(`INSERT OR IGNORE INTO temp.expected SELECT gm.app_group, c.app_res, im.member_id FROM ${idpMembers} JOIN temp.corr c ON c.idp_res = im.member_id`).run(params);
    const stale = db
      .prepare('SELECT g, u FROM temp.actual a WHERE NOT EXISTS (SELECT 1 FROM temp.expected e WHERE e.g = a.g AND e.u = a.u)')
      .raw()
      .all() as Array<[number, number]>;
    const missing = db
      .prepare(
        `SELECT DISTINCT e.g, e.i FROM temp.expected e
         WHERE NOT EXISTS (SELECT 1 FROM temp.corr c JOIN temp.actual a ON a.g = e.g AND a.u = c.app_res WHERE c.idp_res = e.i)`,
      )
      .raw()
      .all() as Array<[number, number]>;
    db.exec('DELETE FROM temp.corr; DELETE FROM temp.gmap; DELETE FROM temp.actual; DELETE FROM temp.expected;');
    return { stale, missing };
  })();
}

/** One user or group of a connection as a given run saw it, with its raw JSON. */
export interface RecordAtRun {
  kind: 'user' | 'group';
  user: SnapshotUser | null;
  group: SnapshotGroup | null;
  raw: unknown;
}

export function recordAtRun(db: Db, ref: SnapshotRef, remoteId: string): RecordAtRun | undefined {
  const res = db
    .prepare('SELECT id, kind FROM resources WHERE connection_id = ? AND remote_id = ? ORDER BY kind DESC')
    .all(ref.connectionId, remoteId) as Array<{ id: number; kind: 'user' | 'group' }>;
  const readRaw = createRawReader(db);
  const atRun = 'v.resource_id = @res AND v.from_run <= @run AND (v.to_run IS NULL OR v.to_run > @run)';
  for (const r of res) {
    const params = { res: r.id, run: ref.runId, remoteId };
    if (r.kind === 'group') {
      const row = db
        .prepare(`SELECT v.display_name, v.external_id, v.raw_chunk, v.raw_offset, v.raw_length FROM group_versions v WHERE ${atRun}`)
        .raw()
        .get(params) as [string | null, string | null, number, number, number] | undefined;
      if (!row) continue;
      return {
        kind: 'group',
        user: null,
        group: { res: r.id, remoteId, displayName: row[0], externalId: row[1] },
        raw: readRaw({ chunk: row[2], offset: row[3], length: row[4] }),
      };
    }
    const row = db
      .prepare(`SELECT v.resource_id, @remoteId, ${USER_COLUMNS}, v.raw_chunk, v.raw_offset, v.raw_length FROM user_versions v WHERE ${atRun}`)
      .raw()
      .get(params) as [...UserRow, number, number, number] | undefined;
    if (!row) continue;
    return { kind: 'user', group: null, user: toSnapshotUser(row.slice(0, 11) as UserRow), raw: readRaw({ chunk: row[11], offset: row[12], length: row[13] }) };
  }
  return undefined;
}
