import type { KeyField, SnapshotGroup, SnapshotUser } from '../analysis/types';
import type { Db } from './database';

/** One complete run of one connection: the snapshot analysis reads. */
export interface SnapshotRef {
  connectionId: number;
  runId: number;
}


const VALID = (alias: string, c: string, r: string): string =>
  `${alias}.connection_id = @${c} AND ${alias}.from_run <= @${r} AND (${alias}.to_run IS NULL OR ${alias}.to_run > @${r})`;

interface UserRow {
  res: number;
  remoteId: string;
  userName: string | null;
  externalId: string | null;
  email: string | null;
  active: number | null;
  status: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  attributesJson: string | null;
}

export function snapshotUsers(db: Db, ref: SnapshotRef): SnapshotUser[] {
  const rows = db
    .prepare(
      `SELECT v.resource_id AS res, r.remote_id AS remoteId, v.user_name AS userName, v.external_id AS externalId,
         v.email, v.active, v.status, v.given_name AS givenName, v.family_name AS familyName,
         v.display_name AS displayName, v.attributes_json AS attributesJson
       FROM user_versions v JOIN resources r ON r.id = v.resource_id
       WHERE ${VALID('v', 'c', 'r')}`,
    )
    .all({ c: ref.connectionId, r: ref.runId }) as UserRow[];
  return rows.map(({ active, attributesJson, ...u }) => ({
    ...u,
    active: active === null ? null : active === 1,
    attributes: attributesJson ? (JSON.parse(attributesJson) as Record<string, string | null>) : {},
  }));
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

function keyExpr(alias: string, resAlias: string, key: KeyField, fold: boolean): string {
  switch (key) {
    case 'id':
      return fold ? `lower(${resAlias}.remote_id)` : `${resAlias}.remote_id`;
    case 'externalId':
      return fold ? `lower(${alias}.external_id)` : `${alias}.external_id`;
    case 'userName':
      return fold ? `${alias}.user_name_lc` : `${alias}.user_name`;
    case 'email':
      return fold ? `${alias}.email_lc` : `${alias}.email`;
  }
}

/**
 * Candidate pairs for one correlation rule, as a join of the two snapshots on the rule's key.
 * `fold` compares case-insensitively (the lower-cased columns are written at ingest and indexed).
 */
export function matchCandidates(
  db: Db,
  app: SnapshotRef,
  appKey: KeyField,
  idp: SnapshotRef,
  idpKey: KeyField,
  fold: boolean,
): Array<[number, number]> {
  const appExpr = keyExpr('a', 'ra', appKey, fold);
  const idpExpr = keyExpr('i', 'ri', idpKey, fold);
  const sql =
    idpKey === 'id'
      ? `SELECT a.resource_id, i.resource_id
         FROM user_versions a JOIN resources ra ON ra.id = a.resource_id
         JOIN resources ri ON ri.connection_id = @ic AND ri.kind = 'user' AND ${idpExpr} = ${appExpr}
         JOIN user_versions i ON i.resource_id = ri.id AND i.from_run <= @ir AND (i.to_run IS NULL OR i.to_run > @ir)
         WHERE ${VALID('a', 'ac', 'ar')} AND ${appExpr} IS NOT NULL`
      : `SELECT a.resource_id, i.resource_id
         FROM user_versions a JOIN resources ra ON ra.id = a.resource_id
         JOIN user_versions i ON ${VALID('i', 'ic', 'ir')} AND ${idpExpr} = ${appExpr}
         JOIN resources ri ON ri.id = i.resource_id
         WHERE ${VALID('a', 'ac', 'ar')} AND ${appExpr} IS NOT NULL`;
  return db
    .prepare(sql)
    .raw()
    .all({ ac: app.connectionId, ar: app.runId, ic: idp.connectionId, ir: idp.runId }) as Array<[number, number]>;
}

/** Raw JSON bodies of a snapshot's users, by resource. */
export function userRawBodies(db: Db, ref: SnapshotRef): Map<number, string> {
  const rows = db
    .prepare(
      `SELECT v.resource_id, o.body FROM user_versions v JOIN raw_objects o ON o.id = v.raw_id WHERE ${VALID('v', 'c', 'r')}`,
    )
    .raw()
    .all({ c: ref.connectionId, r: ref.runId }) as Array<[number, string]>;
  return new Map(rows);
}

/**
 * Group membership drift as two set differences over the snapshots:
 * stale = actual app memberships of mapped groups − memberships expected from the IdP;
 * missing = IdP members of mapped groups (with an app account) − people with at least one of their
 * app accounts in the app group; counted per person, so a second (duplicate) account is never
 * "missing" from a group the person is already in.
 */
export function membershipDiff(
  db: Db,
  app: SnapshotRef,
  idp: SnapshotRef,
  correlated: ReadonlyArray<readonly [appRes: number, idpRes: number]>,
  groupPairs: ReadonlyMap<number, number>,
): { stale: Array<[number, number]>; missing: Array<[group: number, idpUser: number]> } {
  return db.transaction(() => {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS corr (app_res INTEGER NOT NULL, idp_res INTEGER NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS gmap (app_group INTEGER PRIMARY KEY, idp_group INTEGER NOT NULL);
      DELETE FROM temp.corr; DELETE FROM temp.gmap;`);
    const insCorr = db.prepare('INSERT INTO temp.corr VALUES (?, ?)');
    for (const [a, i] of correlated) insCorr.run(a, i);
    const insMap = db.prepare('INSERT INTO temp.gmap VALUES (?, ?)');
    for (const [a, i] of groupPairs) insMap.run(a, i);
    db.exec('CREATE INDEX IF NOT EXISTS temp.corr_idp ON corr (idp_res)');
    const params = { ac: app.connectionId, ar: app.runId, ic: idp.connectionId, ir: idp.runId };
    const ctes = `WITH
      actual AS (
        SELECT m.group_id AS g, m.member_id AS u FROM memberships m
        JOIN temp.gmap gm ON gm.app_group = m.group_id
        JOIN resources r ON r.id = m.member_id AND r.kind = 'user'
        WHERE ${VALID('m', 'ac', 'ar')}),
      expected AS (
        SELECT gm.app_group AS g, c.app_res AS u FROM temp.gmap gm
        JOIN memberships im ON im.group_id = gm.idp_group AND ${VALID('im', 'ic', 'ir')}
        JOIN temp.corr c ON c.idp_res = im.member_id),
      expected_people AS (
        SELECT DISTINCT gm.app_group AS g, im.member_id AS i FROM temp.gmap gm
        JOIN memberships im ON im.group_id = gm.idp_group AND ${VALID('im', 'ic', 'ir')}
        WHERE EXISTS (SELECT 1 FROM temp.corr c WHERE c.idp_res = im.member_id)),
      actual_people AS (
        SELECT DISTINCT a.g, c.idp_res AS i FROM actual a JOIN temp.corr c ON c.app_res = a.u)`;
    const stale = db
      .prepare(`${ctes} SELECT g, u FROM actual EXCEPT SELECT g, u FROM expected`)
      .raw()
      .all(params) as Array<[number, number]>;
    const missing = db
      .prepare(`${ctes} SELECT g, i FROM expected_people EXCEPT SELECT g, i FROM actual_people`)
      .raw()
      .all(params) as Array<[number, number]>;
    db.exec('DELETE FROM temp.corr; DELETE FROM temp.gmap;');
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
  for (const r of res) {
    const table = r.kind === 'user' ? 'user_versions' : 'group_versions';
    const row = db
      .prepare(
        `SELECT v.*, o.body FROM ${table} v JOIN raw_objects o ON o.id = v.raw_id
         WHERE v.resource_id = ? AND v.from_run <= ? AND (v.to_run IS NULL OR v.to_run > ?)`,
      )
      .get(r.id, ref.runId, ref.runId) as Record<string, unknown> | undefined;
    if (!row) continue;
    const raw: unknown = JSON.parse(String(row.body));
    if (r.kind === 'group') {
      return {
        kind: 'group',
        user: null,
        group: { res: r.id, remoteId, displayName: (row.display_name as string | null) ?? null, externalId: (row.external_id as string | null) ?? null },
        raw,
      };
    }
    return {
      kind: 'user',
      group: null,
      user: {
        res: r.id,
        remoteId,
        userName: (row.user_name as string | null) ?? null,
        externalId: (row.external_id as string | null) ?? null,
        email: (row.email as string | null) ?? null,
        active: row.active === null ? null : row.active === 1,
        status: (row.status as string | null) ?? null,
        givenName: (row.given_name as string | null) ?? null,
        familyName: (row.family_name as string | null) ?? null,
        displayName: (row.display_name as string | null) ?? null,
        attributes: row.attributes_json ? (JSON.parse(String(row.attributes_json)) as Record<string, string | null>) : {},
      },
      raw,
    };
  }
  return undefined;
}
