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
  versionId: number;
  contentHash: Uint8Array;
}

/**
 * What the writer knows of one remote resource: one map entry per remote id, so a record costs one
 * lookup (random lookups in maps of 100k strings cost ~0.5 µs each on a small VM).
 */
interface Known {
  /** The id the remote system gives it (the map key). */
  remoteId: string;
  resourceId: number;
  /** The current version; null when the resource has none (new, or removed earlier). */
  open: OpenVersion | null;
  /** Listed by this run already. */
  seen: boolean;
  /** Groups: this run wrote (or marked unread) the member list already. */
  membersDone: boolean;
}

type Kind = 'user' | 'group';

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
  const known = { user: new Map<string, Known>(), group: new Map<string, Known>() };
  const resourcePage = db.prepare('SELECT id, kind, remote_id AS remoteId FROM resources WHERE connection_id = ? AND id > ? ORDER BY id LIMIT ?');
  for (let after = 0; ; ) {
    const rows = resourcePage.all(connectionId, after, LOAD_STEP) as Array<{ id: number; kind: Kind; remoteId: string }>;
    for (const r of rows) known[r.kind].set(r.remoteId, { remoteId: r.remoteId, resourceId: r.id, open: null, seen: false, membersDone: false });
    if (rows.length < LOAD_STEP) break;
    after = rows[rows.length - 1]?.id ?? after;
    await yieldToEventLoop();
  }
  const openCount = {
    user: await loadOpen(db, 'user_versions', connectionId, known.user),
    group: await loadOpen(db, 'group_versions', connectionId, known.group),
  };
  let openMemberships = db.prepare('SELECT count(*) FROM memberships WHERE connection_id = ? AND to_run IS NULL').pluck().get(connectionId) as number;
  const pendingMembers: Array<[string, readonly MemberRef[] | null]> = [];
  /** The entry of every user record this run received, in order: what a member's userIndex points at. */
  const usersReceived: Known[] = [];

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
  const openMembersOf = db
    .prepare('SELECT member_id FROM memberships WHERE connection_id = ? AND group_id = ? AND to_run IS NULL ORDER BY member_id')
    .pluck();
  const closeMembership = db.prepare(
    'UPDATE memberships SET to_run = ? WHERE connection_id = ? AND group_id = ? AND member_id = ? AND to_run IS NULL',
  );
  const closeAllMemberships = db.prepare('UPDATE memberships SET to_run = ? WHERE connection_id = ? AND group_id = ? AND to_run IS NULL');
  // A group's new members in one statement: a row at a time, binding and stepping cost more than
  // the insert itself (~1.0 against ~0.6 µs a membership; a first sync writes 500k per side).
  const insertMemberships = db.prepare(
    'INSERT INTO memberships (connection_id, group_id, member_id, from_run) SELECT ?, ?, value, ? FROM json_each(?)',
  );
  const markUnread = db.prepare('INSERT OR IGNORE INTO run_unread_groups (run_id, group_id) VALUES (?, ?)');

  /** The entry of a remote id, creating its resource row the first time the connection mentions it. */
  function entryOf(kind: Kind, remoteId: string): Known {
    const map = known[kind];
    let entry = map.get(remoteId);
    if (entry === undefined) {
      const resourceId = Number(insertResource.run(connectionId, kind, remoteId).lastInsertRowid);
      entry = { remoteId, resourceId, open: null, seen: false, membersDone: false };
      map.set(remoteId, entry);
    }
    return entry;
  }

  /**
   * A member's entry: a group by its id; else the user its userIndex points at when that user has
   * the member's id (one array read instead of a lookup among every resource of the connection,
   * ~0.7 µs on a 100k-entry map here); else, when the server gave no type, a known user, else a
   * known group, else a new user.
   */
  function memberEntry(m: MemberRef): Known {
    if (m.type === 'Group') return entryOf('group', m.value);
    if (m.userIndex !== undefined) {
      const hinted = usersReceived[m.userIndex];
      if (hinted?.remoteId === m.value) return hinted;
    }
    if (m.type === null) {
      const entry = known.user.get(m.value) ?? known.group.get(m.value);
      if (entry) return entry;
    }
    return entryOf('user', m.value);
  }

  /** The records of a page that are new or changed, with where their raw JSON landed (one chunk per page). */
  function changedOf<T extends { id: string; raw: unknown }>(
    kind: Kind,
    batch: ReadonlyArray<Writable<T>>,
  ): Array<{ record: Writable<T>; entry: Known; contentHash: Uint8Array } & RawLocation> {
    const changed: Array<{ record: Writable<T>; entry: Known; raw: RawText }> = [];
    for (const record of batch) {
      const entry = entryOf(kind, record.id);
      if (kind === 'user') usersReceived.push(entry);
      if (entry.seen) {
        changes.duplicatesSkipped++;
        continue;
      }
      entry.seen = true;
      const raw = rawTextOf(record);
      if (entry.open && Buffer.compare(entry.open.contentHash, raw.contentHash) === 0) continue;
      changed.push({ record, entry, raw });
    }
    if (changed.length === 0) return [];
    const locations = writeChunk(
      db,
      connectionId,
      runId,
      changed.map((c) => c.raw),
    );
    return changed.map((c, i) => ({ record: c.record, entry: c.entry, contentHash: c.raw.contentHash, ...(locations[i] as RawLocation) }));
  }

  function writeMembers(group: Known, members: readonly MemberRef[] | null): void {
    if (group.membersDone) return;
    group.membersDone = true;
    const gid = group.resourceId;
    if (members === null) {
      // Unreadable: keep the last known memberships, and tell analysis not to trust them this run.
      markUnread.run(runId, gid);
      return;
    }
    // Both lists sorted, then merged: no per-member set lookups, and new rows go into the primary
    // key in order.
    const wanted = new Float64Array(members.length);
    members.forEach((m, i) => {
      wanted[i] = memberEntry(m).resourceId;
    });
    wanted.sort();
    const current = openMembersOf.all(connectionId, gid) as number[];
    const added: number[] = [];
    let w = 0;
    let c = 0;
    while (w < wanted.length || c < current.length) {
      const next = w < wanted.length ? (wanted[w] as number) : Infinity;
      const open = c < current.length ? (current[c] as number) : Infinity;
      if (next === open) {
        c++;
      } else if (open < next) {
        closeMembership.run(runId, connectionId, gid, open);
        changes.membershipsRemoved++;
        openMemberships--;
        c++;
        continue;
      } else {
        added.push(next);
      }
      // Skip repeats of the member just handled (a list may name a member twice).
      while (w < wanted.length && wanted[w] === next) w++;
    }
    if (added.length === 0) return;
    insertMemberships.run(connectionId, gid, runId, JSON.stringify(added));
    changes.membershipsAdded += added.length;
    openMemberships += added.length;
  }

  const flushMembers = (): void => {
    for (const [groupId, list] of pendingMembers.splice(0)) writeMembers(entryOf('group', groupId), list);
  };

  const writeUsers = withinTransaction(db, (batch: ReadonlyArray<Writable<UserRecord>>) => {
    flushMembers();
    const changed = changedOf('user', batch);
    for (const c of changed) {
      const u = c.record;
      const rid = c.entry.resourceId;
      if (c.entry.open) {
        closeUser.run(runId, c.entry.open.versionId);
        changes.usersChanged++;
      } else {
        changes.usersAdded++;
        openCount.user++;
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
      c.entry.open = { versionId, contentHash: c.contentHash };
    }
    return changed.length;
  });

  const writeGroups = withinTransaction(db, (batch: ReadonlyArray<Writable<GroupRecord>>) => {
    flushMembers();
    const changed = changedOf('group', batch);
    for (const c of changed) {
      const g = c.record;
      const rid = c.entry.resourceId;
      if (c.entry.open) {
        closeGroup.run(runId, c.entry.open.versionId);
        changes.groupsChanged++;
      } else {
        changes.groupsAdded++;
        openCount.group++;
      }
      const versionId = Number(
        insertGroup.run(rid, connectionId, runId, c.chunk, c.offset, c.length, c.contentHash, g.displayName, g.displayName?.toLowerCase() ?? null, g.externalId)
          .lastInsertRowid,
      );
      c.entry.open = { versionId, contentHash: c.contentHash };
    }
    // Member lists that came with the page are written in the page's transaction.
    for (const g of batch) if (g.members !== undefined) writeMembers(entryOf('group', g.id), g.members);
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
        for (const entry of known.user.values()) {
          if (entry.seen || !entry.open) continue;
          closeUser.run(runId, entry.open.versionId);
          entry.open = null;
          openCount.user--;
          changes.usersRemoved++;
        }
      }
      for (const entry of known.group.values()) {
        // A group listed but whose member list never arrived: its members were not read.
        if (entry.seen && !entry.membersDone) writeMembers(entry, null);
      }
      if (coverage.groups) {
        for (const entry of known.group.values()) {
          if (entry.seen || !entry.open) continue;
          closeGroup.run(runId, entry.open.versionId);
          const closed = closeAllMemberships.run(runId, connectionId, entry.resourceId).changes;
          openMemberships -= closed;
          changes.membershipsRemoved += closed;
          entry.open = null;
          openCount.group--;
          changes.groupsRemoved++;
        }
      }
      return { totals: { users: openCount.user, groups: openCount.group, memberships: openMemberships }, changes };
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

/**
 * Records the current version of every resource of the connection in its entry, read in steps so
 * the event loop keeps running; returns how many there are.
 */
async function loadOpen(db: Db, table: 'user_versions' | 'group_versions', connectionId: number, known: Map<string, Known>): Promise<number> {
  const page = db.prepare(
    `SELECT v.id AS versionId, r.remote_id AS remoteId, v.content_hash AS contentHash
     FROM ${table} v JOIN resources r ON r.id = v.resource_id
     WHERE v.connection_id = ? AND v.to_run IS NULL AND v.id > ? ORDER BY v.id LIMIT ?`,
  );
  let count = 0;
  for (let after = 0; ; ) {
    const rows = page.all(connectionId, after, LOAD_STEP) as Array<OpenVersion & { remoteId: string }>;
    for (const row of rows) {
      const entry = known.get(row.remoteId);
      if (entry === undefined) continue;
      entry.open = { versionId: row.versionId, contentHash: row.contentHash };
      count++;
    }
    if (rows.length < LOAD_STEP) break;
    after = rows[rows.length - 1]?.versionId ?? after;
    await yieldToEventLoop();
  }
  return count;
}
