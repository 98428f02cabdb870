import { ActivityTable } from '../analysis/activity-table';
import type { CandidatePairs } from '../analysis/correlate';
import type { KeyField, SnapshotGroup, SnapshotUser } from '../analysis/types';
import { attributeDecoder } from './attribute-names';
import type { Db } from './database';
import { createRawReader, type RawLocation } from './raw-chunks';
import { AT_RUN, VALID, type SnapshotRef } from './snapshot-sql';

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

/**
 * A stored user whose attributes are decoded on first use: most records analysis reads are for
 * messages, not attributes. A class rather than an object literal with a getter: tens of thousands
 * of literals with an accessor each fall into V8's dictionary layout (~1 KB apiece).
 */
class StoredUser implements SnapshotUser {
  readonly res: number;
  readonly remoteId: string;
  readonly userName: string | null;
  readonly externalId: string | null;
  readonly email: string | null;
  readonly active: boolean | null;
  readonly status: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly displayName: string | null;
  #json: string | null;
  #decoded: Record<string, string | null> | undefined;
  readonly #decode: (json: string | null) => Record<string, string | null>;

  constructor(r: UserRow, decode: (json: string | null) => Record<string, string | null>) {
    this.#decode = decode;
    this.res = r[0];
    this.remoteId = r[1];
    this.userName = r[2];
    this.externalId = r[3];
    this.email = r[4];
    this.active = r[5] === null ? null : r[5] === 1;
    this.status = r[6];
    this.givenName = r[7];
    this.familyName = r[8];
    this.displayName = r[9];
    this.#json = r[10];
  }

  get attributes(): Record<string, string | null> {
    this.#decoded ??= this.#decode(this.#json);
    this.#json = null;
    return this.#decoded;
  }
}

/**
 * Every user's resource and `active` in the snapshot of connection @c at run @r, as two JSON arrays:
 * read from the index alone (0005-activity-index), and one aggregated row parses several times
 * faster than stepping through 100k rows.
 */
export const ACTIVE_BY_RES_SQL = `SELECT json_group_array(v.resource_id), json_group_array(v.active) FROM user_versions v INDEXED BY user_versions_by_run WHERE ${VALID('v', 'c', 'r')}`;

/** Every user of a snapshot, reduced to what lifecycle decisions read: `active` by resource. */
export function activeByRes(db: Db, ref: SnapshotRef): ActivityTable {
  const [res, active] = db.prepare(ACTIVE_BY_RES_SQL).raw().get({ c: ref.connectionId, r: ref.runId }) as [string, string];
  return ActivityTable.fromColumns(JSON.parse(res) as number[], JSON.parse(active) as Array<number | null>);
}

/** Whole user records of one snapshot, read in batches (preload) or one at a time, and kept. */
export interface UserDirectory {
  preload(res: Iterable<number>): void;
  get(res: number): SnapshotUser;
  /** The user's raw resource as received. */
  raw(res: number): unknown;
}

export function userDirectory(db: Db, ref: SnapshotRef): UserDirectory {
  const decode = attributeDecoder(db, ref.connectionId);
  const byId = db
    .prepare(
      `SELECT v.resource_id, r.remote_id, ${USER_COLUMNS}
       FROM user_versions v INDEXED BY user_versions_by_resource JOIN resources r ON r.id = v.resource_id
       WHERE v.resource_id IN (SELECT value FROM json_each(@ids)) AND ${VALID('v', 'c', 'r')}`,
    )
    .raw();
  const cache = new Map<number, SnapshotUser>();
  const load = (ids: readonly number[]): void => {
    for (const r of byId.iterate({ ids: JSON.stringify(ids), c: ref.connectionId, r: ref.runId }) as IterableIterator<UserRow>) {
      cache.set(r[0], new StoredUser(r, decode));
    }
  };
  const location = db.prepare(
    `SELECT v.raw_chunk AS chunk, v.raw_offset AS offset, v.raw_length AS length FROM user_versions v WHERE v.resource_id = @res AND ${AT_RUN('v', 'r')}`,
  );
  const readRaw = createRawReader(db);
  return {
    preload(res) {
      // In resource order, the order of the index the query probes: on a cold cache, several
      // times faster than the order findings come in.
      const missing = [...res].filter((r) => !cache.has(r)).sort((x, y) => x - y);
      if (missing.length > 0) load(missing);
    },
    get(res) {
      if (!cache.has(res)) load([res]);
      const user = cache.get(res);
      if (!user) throw new Error(`user ${res} is not in run ${ref.runId}`);
      return user;
    },
    raw(res) {
      const loc = location.get({ res, r: ref.runId }) as RawLocation | undefined;
      if (!loc) throw new Error(`user ${res} is not in run ${ref.runId}`);
      return readRaw(loc);
    },
  };
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

/**
 * The email correlation index, as migration 0003 defined it. Migration 0006 dropped it so that syncs
 * do not maintain it for configurations that never match on email; the first analysis with such a
 * rule creates it (one sort of the table), and ingest maintains it from then on.
 */
const EMAIL_INDEX = 'CREATE INDEX IF NOT EXISTS user_versions_email ON user_versions (connection_id, coalesce(email_lc, email), from_run, to_run, resource_id)';

/** The column (or, for ids, the resource's remote id) a key reads, and the index that serves it. */
function keyColumn(alias: string, resAlias: string, key: KeyField, fold: boolean): { expr: string; index: string | null } {
  switch (key) {
    case 'id':
      return { expr: fold ? `lower(${resAlias}.remote_id)` : `${resAlias}.remote_id`, index: null };
    case 'externalId':
      return { expr: fold ? `lower(${alias}.external_id)` : `${alias}.external_id`, index: fold ? null : 'user_versions_external_id' };
    case 'userName':
      return { expr: fold ? `coalesce(${alias}.user_name_lc, ${alias}.user_name)` : `${alias}.user_name`, index: fold ? 'user_versions_user_name' : null };
    case 'email':
      return { expr: fold ? `coalesce(${alias}.email_lc, ${alias}.email)` : `${alias}.email`, index: fold ? 'user_versions_email' : null };
  }
}

/** A correlation rule's keys, as compileRule gives them. */
export interface RuleKeys {
  appKey: KeyField;
  idpKey: KeyField;
  /** Compare case-insensitively (lower-cased values are written at ingest where they differ). */
  fold: boolean;
}

/**
 * Creates what a rule's join reads that ingest does not keep until some rule needs it (the email
 * index), on the write connection: before any connection joins on the rules.
 */
export function ensureRuleIndexes(db: Db, rules: readonly RuleKeys[]): void {
  if (rules.some((r) => r.fold && (r.appKey === 'email' || r.idpKey === 'email'))) db.exec(EMAIL_INDEX);
}

/**
 * Candidate pairs for each correlation rule, as joins of the two snapshots on the rule's keys: the
 * app snapshot is scanned once per rule, and each key is looked up in the IdP snapshot through the
 * index built at ingest (named explicitly, so the plan never depends on planner statistics). The
 * key indexes cover the run range and the resource, so neither side reads table rows. Each rule
 * covers every account, so rules can be joined on different threads: the first rule with a
 * candidate for an account decides it (see correlate), and skipping decided accounts in SQL cost
 * as much as it saved.
 */
export function ruleCandidates(db: Db, app: SnapshotRef, idp: SnapshotRef, rules: readonly RuleKeys[]): CandidatePairs[] {
  ensureRuleIndexes(db, rules);
  return rules.map((rule) => parseRuleJoin(ruleJoin(db, app, idp, rule)));
}

/** One rule's candidate pairs as ruleJoin gives them. */
export function parseRuleJoin([app, idp]: RuleJoin): CandidatePairs {
  return { app: JSON.parse(app) as number[], idp: JSON.parse(idp) as number[] };
}

/** One rule's candidate pairs as two JSON arrays (app resources, IdP resources, in step). */
export type RuleJoin = [app: string, idp: string];

/**
 * One rule's candidate pairs, on a connection where ensureRuleIndexes has run: on 100k pairs, two
 * aggregated strings parse in a few milliseconds where stepping through the rows took about 80 ms
 * more, and cross threads as two copies.
 */
export function ruleJoin(db: Db, app: SnapshotRef, idp: SnapshotRef, rule: RuleKeys): RuleJoin {
  const a = keyColumn('a', 'ra', rule.appKey, rule.fold);
  const i = keyColumn('i', 'ri', rule.idpKey, rule.fold);
  const appResources = rule.appKey === 'id' ? 'JOIN resources ra ON ra.id = a.resource_id' : '';
  const idpSide =
    rule.idpKey === 'id'
      ? `JOIN resources ri ON ri.connection_id = @ic AND ri.kind = 'user' AND ${i.expr} = ${a.expr}
         JOIN user_versions i INDEXED BY user_versions_by_resource ON i.resource_id = ri.id AND ${AT_RUN('i', 'ir')}`
      : `JOIN user_versions i ${i.index ? `INDEXED BY ${i.index}` : ''} ON ${VALID('i', 'ic', 'ir')} AND ${i.expr} = ${a.expr}`;
  const sql = `SELECT json_group_array(app_res), json_group_array(idp_res) FROM (
    SELECT a.resource_id AS app_res, i.resource_id AS idp_res
    FROM user_versions a INDEXED BY ${a.index ?? 'user_versions_by_run'} ${appResources}
    ${idpSide}
    WHERE ${VALID('a', 'ac', 'ar')} AND ${a.expr} IS NOT NULL)`;
  return db
    .prepare(sql)
    .raw()
    .get({ ac: app.connectionId, ar: app.runId, ic: idp.connectionId, ir: idp.runId }) as RuleJoin;
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
  const atRun = `v.resource_id = @res AND ${AT_RUN('v', 'run')}`;
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
    const stored = new StoredUser(row.slice(0, 11) as UserRow, attributeDecoder(db, ref.connectionId));
    // A plain object for callers that serialize it.
    const user: SnapshotUser = { ...stored, attributes: stored.attributes };
    return { kind: 'user', group: null, user, raw: readRaw({ chunk: row[11], offset: row[12], length: row[13] }) };
  }
  return undefined;
}
