import type { Coverage, GroupRecord, MemberRef, UserRecord } from '../model';
import { attributeEncoder } from './attribute-names';
import type { Db } from './database';
import { rawTextOf, writeChunk, type RawLocation, type RawText, type Writable } from './raw-chunks';

/** How a complete run changed the snapshot compared with the previous one. */
export interface SnapshotChanges {
  usersAdded: number;
  usersChanged: number;
  usersRemoved: number;
  groupsAdded: number;
  groupsChanged: number;
  groupsRemoved: number;
  membershipsAdded: number;
  membershipsRemoved: number;
  /** Resources listed more than once in the run (index paging under concurrent changes). */
  duplicatesSkipped: number;
}

export interface SnapshotTotals {
  users: number;
  groups: number;
  memberships: number;
}

/** The synchronous writer behind a sink; stores wrap it (batched transactions, a worker thread). */
export interface SnapshotWriter {
  /** Each returns how many of the page's records were new or changed. */
  users(batch: ReadonlyArray<Writable<UserRecord>>): number;
  groups(batch: ReadonlyArray<Writable<GroupRecord>>): number;
  members(groupId: string, members: readonly MemberRef[] | null): void;
  /**
   * Writes what is still buffered, closes what the run did not see (only where coverage says the
   * listing was complete) and returns the totals. Must run inside the caller's commit transaction.
   */
  finish(coverage: Coverage): { totals: SnapshotTotals; changes: SnapshotChanges };
}

interface OpenVersion {
  resourceId: number;
  versionId: number;
  contentHash: Uint8Array;
}

/** Rows read per step while loading state at the start of a run; the event loop runs in between. */
const LOAD_STEP = 20_000;
/** Member lists buffered before they are written in one transaction. */
const MEMBER_FLUSH = 256;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Streams one run's pages into the versioned snapshot tables. New and changed resources get a
 * version row with from_run = this run (raw JSON in one deflated chunk per page); replaced versions
 * get to_run = this run. Until the run is marked complete, readers of earlier complete runs see
 * none of it (see 0001-initial). Group member lists arriving one by one are written in batches.
 */
export async function createSnapshotWriter(db: Db, runId: number, connectionId: number): Promise<SnapshotWriter> {
  const resourceIds = { user: new Map<string, number>(), group: new Map<string, number>() };
  const resourcePage = db.prepare('SELECT id, kind, remote_id AS remoteId FROM resources WHERE connection_id = ? AND id > ? ORDER BY id LIMIT ?');
  for (let after = 0; ; ) {
    const rows = resourcePage.all(connectionId, after, LOAD_STEP) as Array<{ id: number; kind: 'user' | 'group'; remoteId: string }>;
    for (const r of rows) resourceIds[r.kind].set(r.remoteId, r.id);
    if (rows.length < LOAD_STEP) break;
    after = rows[rows.length - 1]?.id ?? after;
    await yieldToEventLoop();
  }
  const openUsers = await loadOpen(db, 'user_versions', connectionId);
  const openGroups = await loadOpen(db, 'group_versions', connectionId);
  let openMemberships = db.prepare('SELECT count(*) FROM memberships WHERE connection_id = ? AND to_run IS NULL').pluck().get(connectionId) as number;

  const seenUsers = new Set<string>();
  const seenGroups = new Set<string>();
  const groupsWithMembers = new Set<string>();
  const pendingMembers: Array<[string, readonly MemberRef[] | null]> = [];
  const changes: SnapshotChanges = {
    usersAdded: 0,
    usersChanged: 0,
    usersRemoved: 0,
    groupsAdded: 0,
    groupsChanged: 0,
    groupsRemoved: 0,
    membershipsAdded: 0,
    membershipsRemoved: 0,
    duplicatesSkipped: 0,
  };

  const encodeAttributes = attributeEncoder(db, connectionId);
  const insertResource = db.prepare('INSERT INTO resources (connection_id, kind, remote_id) VALUES (?, ?, ?)');
  const closeUser = db.prepare('UPDATE user_versions SET to_run = ? WHERE id = ?');
  const closeGroup = db.prepare('UPDATE group_versions SET to_run = ? WHERE id = ?');
  // Positional parameters: binding eighteen named ones costs ~1.5 µs a row on a 100k-user sync.
  const insertUser = db.prepare(
    `INSERT INTO user_versions (resource_id, connection_id, from_run, raw_chunk, raw_offset, raw_length, content_hash, user_name,
       user_name_lc, external_id, email, email_lc, active, status, given_name, family_name, display_name, attributes_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGroup = db.prepare(
    `INSERT INTO group_versions (resource_id, connection_id, from_run, raw_chunk, raw_offset, raw_length, content_hash, display_name,
       display_name_lc, external_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const openMembersOf = db.prepare('SELECT member_id FROM memberships WHERE connection_id = ? AND group_id = ? AND to_run IS NULL').pluck();
  const closeMembership = db.prepare(
    'UPDATE memberships SET to_run = ? WHERE connection_id = ? AND group_id = ? AND member_id = ? AND to_run IS NULL',
  );
  const closeAllMemberships = db.prepare('UPDATE memberships SET to_run = ? WHERE connection_id = ? AND group_id = ? AND to_run IS NULL');
  const insertMembership = db.prepare('INSERT INTO memberships (connection_id, group_id, member_id, from_run) VALUES (?, ?, ?, ?)');
  const markUnread = db.prepare('INSERT OR IGNORE INTO run_unread_groups (run_id, group_id) VALUES (?, ?)');

  function resourceId(kind: 'user' | 'group', remoteId: string): number {
    const map = resourceIds[kind];
    let id = map.get(remoteId);
    if (id === undefined) {
      id = Number(insertResource.run(connectionId, kind, remoteId).lastInsertRowid);
      map.set(remoteId, id);
    }
    return id;
  }

  /** The records of a page that are new or changed, with where their raw JSON landed (one chunk per page). */
  function changedOf<T extends { id: string; raw: unknown }>(
    batch: ReadonlyArray<Writable<T>>,
    seen: Set<string>,
    open: Map<string, OpenVersion>,
  ): Array<{ record: Writable<T>; open: OpenVersion | undefined; contentHash: Uint8Array } & RawLocation> {
    const changed: Array<{ record: Writable<T>; open: OpenVersion | undefined; raw: RawText }> = [];
    for (const record of batch) {
      if (seen.has(record.id)) {
        changes.duplicatesSkipped++;
        continue;
      }
      seen.add(record.id);
      const raw = rawTextOf(record);
      const current = open.get(record.id);
      if (current && Buffer.compare(current.contentHash, raw.contentHash) === 0) continue;
      changed.push({ record, open: current, raw });
    }
    if (changed.length === 0) return [];
    const locations = writeChunk(
      db,
      connectionId,
      runId,
      changed.map((c) => c.raw),
    );
    return changed.map((c, i) => ({ record: c.record, open: c.open, contentHash: c.raw.contentHash, ...(locations[i] as RawLocation) }));
  }

  function writeMembers(groupRemoteId: string, members: readonly MemberRef[] | null): void {
    if (groupsWithMembers.has(groupRemoteId)) return;
    groupsWithMembers.add(groupRemoteId);
    const gid = resourceId('group', groupRemoteId);
    if (members === null) {
      // Unreadable: keep the last known memberships, and tell analysis not to trust them this run.
      markUnread.run(runId, gid);
      return;
    }
    const wanted = new Set<number>();
    for (const m of members) {
      const kind = m.type === 'Group' || (m.type === null && !resourceIds.user.has(m.value) && resourceIds.group.has(m.value)) ? 'group' : 'user';
      wanted.add(resourceId(kind, m.value));
    }
    const current = new Set(openMembersOf.all(connectionId, gid) as number[]);
    for (const memberId of current) {
      if (!wanted.has(memberId)) {
        closeMembership.run(runId, connectionId, gid, memberId);
        changes.membershipsRemoved++;
        openMemberships--;
      }
    }
    for (const memberId of wanted) {
      if (!current.has(memberId)) {
        insertMembership.run(connectionId, gid, memberId, runId);
        changes.membershipsAdded++;
        openMemberships++;
      }
    }
  }

  const flushMembers = (): void => {
    for (const [gid, list] of pendingMembers.splice(0)) writeMembers(gid, list);
  };

  const writeUsers = withinTransaction(db, (batch: ReadonlyArray<Writable<UserRecord>>) => {
    flushMembers();
    const changed = changedOf(batch, seenUsers, openUsers);
    for (const c of changed) {
      const u = c.record;
      const rid = c.open?.resourceId ?? resourceId('user', u.id);
      if (c.open) {
        closeUser.run(runId, c.open.versionId);
        changes.usersChanged++;
      } else {
        changes.usersAdded++;
      }
      const versionId = Number(
        insertUser.run(
          rid,
          connectionId,
          runId,
          c.chunk,
          c.offset,
          c.length,
          c.contentHash,
          u.userName,
          folded(u.userName),
          u.externalId,
          u.email,
          folded(u.email),
          u.active === null ? null : u.active ? 1 : 0,
          u.status,
          u.givenName,
          u.familyName,
          u.displayName,
          encodeAttributes(u.attributes),
        ).lastInsertRowid,
      );
      openUsers.set(u.id, { resourceId: rid, versionId, contentHash: c.contentHash });
    }
    return changed.length;
  });

  const writeGroups = withinTransaction(db, (batch: ReadonlyArray<Writable<GroupRecord>>) => {
    flushMembers();
    const changed = changedOf(batch, seenGroups, openGroups);
    for (const c of changed) {
      const g = c.record;
      const rid = c.open?.resourceId ?? resourceId('group', g.id);
      if (c.open) {
        closeGroup.run(runId, c.open.versionId);
        changes.groupsChanged++;
      } else {
        changes.groupsAdded++;
      }
      const versionId = Number(
        insertGroup.run(rid, connectionId, runId, c.chunk, c.offset, c.length, c.contentHash, g.displayName, g.displayName?.toLowerCase() ?? null, g.externalId)
          .lastInsertRowid,
      );
      openGroups.set(g.id, { resourceId: rid, versionId, contentHash: c.contentHash });
    }
    // Member lists that came with the page are written in the page's transaction.
    for (const g of batch) if (g.members !== undefined) writeMembers(g.id, g.members);
    return changed.length;
  });

  const flushMembersTx = withinTransaction(db, flushMembers);

  return {
    users: (batch) => writeUsers(batch),
    groups: (batch) => writeGroups(batch),
    members: (groupId, members) => {
      pendingMembers.push([groupId, members]);
      if (pendingMembers.length >= MEMBER_FLUSH) flushMembersTx();
    },
    finish(coverage) {
      flushMembers();
      if (coverage.users) {
        for (const [remoteId, open] of openUsers) {
          if (seenUsers.has(remoteId)) continue;
          closeUser.run(runId, open.versionId);
          openUsers.delete(remoteId);
          changes.usersRemoved++;
        }
      }
      for (const remoteId of seenGroups) {
        // A group listed but whose member list never arrived: its members were not read.
        if (!groupsWithMembers.has(remoteId)) writeMembers(remoteId, null);
      }
      if (coverage.groups) {
        for (const [remoteId, open] of openGroups) {
          if (seenGroups.has(remoteId)) continue;
          closeGroup.run(runId, open.versionId);
          const closed = closeAllMemberships.run(runId, connectionId, open.resourceId).changes;
          openMemberships -= closed;
          changes.membershipsRemoved += closed;
          openGroups.delete(remoteId);
          changes.groupsRemoved++;
        }
      }
      return { totals: { users: openUsers.size, groups: openGroups.size, memberships: openMemberships }, changes };
    },
  };
}

/**
 * Runs a page write in the caller's transaction when there is one (the store's batch), else in its
 * own. Nested, better-sqlite3 would open a savepoint per page, which copies every index page the
 * page touches into the statement journal first (~10% of the store thread on a first sync). A
 * page that fails halfway fails its run, and failing a run removes every row the run wrote.
 */
function withinTransaction<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args) => (db.inTransaction ? fn(...args) : tx(...args));
}

/** The lower-cased value where it differs; correlation indexes read coalesce(folded, original). */
function folded(value: string | null): string | null {
  const lower = value?.toLowerCase() ?? null;
  return lower === value ? null : lower;
}

/** The current version of every resource of the connection, read in steps so the event loop keeps running. */
async function loadOpen(db: Db, table: 'user_versions' | 'group_versions', connectionId: number): Promise<Map<string, OpenVersion>> {
  const page = db.prepare(
    `SELECT v.id AS versionId, v.resource_id AS resourceId, r.remote_id AS remoteId, v.content_hash AS contentHash
     FROM ${table} v JOIN resources r ON r.id = v.resource_id
     WHERE v.connection_id = ? AND v.to_run IS NULL AND v.id > ? ORDER BY v.id LIMIT ?`,
  );
  const map = new Map<string, OpenVersion>();
  for (let after = 0; ; ) {
    const rows = page.all(connectionId, after, LOAD_STEP) as Array<OpenVersion & { remoteId: string }>;
    for (const row of rows) map.set(row.remoteId, { resourceId: row.resourceId, versionId: row.versionId, contentHash: row.contentHash });
    if (rows.length < LOAD_STEP) break;
    after = rows[rows.length - 1]?.versionId ?? after;
    await yieldToEventLoop();
  }
  return map;
}
