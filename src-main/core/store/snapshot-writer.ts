import type { Coverage, GroupRecord, MemberRef, SnapshotSink, UserRecord } from '../model';
import type { Db } from './database';
import { rawText } from './raw-json';

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

export interface SnapshotWriter extends SnapshotSink {
  /**
   * Closes what the run did not see (only where coverage says the listing was complete) and
   * returns the totals. Must run inside the caller's commit transaction.
   */
  finish(coverage: Coverage): { totals: SnapshotTotals; changes: SnapshotChanges };
}

interface OpenVersion {
  resourceId: number;
  versionId: number;
  sha256: Buffer;
}

/**
 * Streams one run's pages into the versioned snapshot tables. New and changed resources get a
 * version row with from_run = this run; replaced versions get to_run = this run. Until the run is
 * marked complete, readers of earlier complete runs see none of it (see 0001-initial.sql).
 */
export function createSnapshotWriter(db: Db, runId: number, connectionId: number): SnapshotWriter {
  const resourceIds = { user: new Map<string, number>(), group: new Map<string, number>() };
  for (const r of db.prepare('SELECT id, kind, remote_id FROM resources WHERE connection_id = ?').iterate(connectionId) as IterableIterator<{
    id: number;
    kind: 'user' | 'group';
    remote_id: string;
  }>) {
    resourceIds[r.kind].set(r.remote_id, r.id);
  }
  const openUsers = loadOpen(db, 'user_versions', connectionId);
  const openGroups = loadOpen(db, 'group_versions', connectionId);
  let openMemberships = (
    db.prepare('SELECT count(*) AS n FROM memberships WHERE connection_id = ? AND to_run IS NULL').get(connectionId) as { n: number }
  ).n;

  const seenUsers = new Set<string>();
  const seenGroups = new Set<string>();
  const groupsWithMembers = new Set<string>();
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

  const insertResource = db.prepare('INSERT INTO resources (connection_id, kind, remote_id) VALUES (?, ?, ?)');
  const upsertRaw = db.prepare(
    `INSERT INTO raw_objects (connection_id, first_run, sha256, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (connection_id, sha256) DO UPDATE SET sha256 = excluded.sha256 RETURNING id`,
  );
  const closeUser = db.prepare('UPDATE user_versions SET to_run = ? WHERE id = ?');
  const closeGroup = db.prepare('UPDATE group_versions SET to_run = ? WHERE id = ?');
  const insertUser = db.prepare(
    `INSERT INTO user_versions (resource_id, connection_id, from_run, raw_id, user_name, user_name_lc, external_id,
       email, email_lc, active, status, given_name, family_name, display_name, attributes_json)
     VALUES (@resourceId, @connectionId, @runId, @rawId, @userName, @userNameLc, @externalId,
       @email, @emailLc, @active, @status, @givenName, @familyName, @displayName, @attributesJson)`,
  );
  const insertGroup = db.prepare(
    `INSERT INTO group_versions (resource_id, connection_id, from_run, raw_id, display_name, display_name_lc, external_id)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
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

  function storeRaw(text: string, sha256: Buffer): number {
    return (upsertRaw.get(connectionId, runId, sha256, text) as { id: number }).id;
  }

  const writeUsers = db.transaction((batch: readonly UserRecord[]) => {
    for (const u of batch) {
      if (seenUsers.has(u.id)) {
        changes.duplicatesSkipped++;
        continue;
      }
      seenUsers.add(u.id);
      const { text, sha256 } = rawText(u.raw);
      const open = openUsers.get(u.id);
      if (open && open.sha256.equals(sha256)) continue;
      const rid = open?.resourceId ?? resourceId('user', u.id);
      const rawId = storeRaw(text, sha256);
      if (open) {
        closeUser.run(runId, open.versionId);
        changes.usersChanged++;
      } else {
        changes.usersAdded++;
      }
      const versionId = Number(
        insertUser.run({
          resourceId: rid,
          connectionId,
          runId,
          rawId,
          userName: u.userName,
          userNameLc: u.userName?.toLowerCase() ?? null,
          externalId: u.externalId,
          email: u.email,
          emailLc: u.email?.toLowerCase() ?? null,
          active: u.active === null ? null : u.active ? 1 : 0,
          status: u.status,
          givenName: u.givenName,
          familyName: u.familyName,
          displayName: u.displayName,
          attributesJson: Object.keys(u.attributes).length > 0 ? JSON.stringify(u.attributes) : null,
        }).lastInsertRowid,
      );
      openUsers.set(u.id, { resourceId: rid, versionId, sha256 });
    }
  });

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

  const writeGroups = db.transaction((batch: readonly GroupRecord[]) => {
    for (const g of batch) {
      if (seenGroups.has(g.id)) {
        changes.duplicatesSkipped++;
        continue;
      }
      seenGroups.add(g.id);
      const { text, sha256 } = rawText(g.raw);
      const open = openGroups.get(g.id);
      if (!open || !open.sha256.equals(sha256)) {
        const rid = open?.resourceId ?? resourceId('group', g.id);
        if (open) {
          closeGroup.run(runId, open.versionId);
          changes.groupsChanged++;
        } else {
          changes.groupsAdded++;
        }
        const versionId = Number(
          insertGroup.run(rid, connectionId, runId, storeRaw(text, sha256), g.displayName, g.displayName?.toLowerCase() ?? null, g.externalId).lastInsertRowid,
        );
        openGroups.set(g.id, { resourceId: rid, versionId, sha256 });
      }
      if (g.members !== undefined) writeMembers(g.id, g.members);
    }
  });

  const writeMembersTx = db.transaction(writeMembers);

  return {
    users: (batch) => writeUsers(batch),
    groups: (batch) => writeGroups(batch),
    members: (groupId, members) => writeMembersTx(groupId, members),
    finish(coverage) {
      if (coverage.users) {
        for (const [remoteId, open] of openUsers) {
          if (seenUsers.has(remoteId)) continue;
          closeUser.run(runId, open.versionId);
          openUsers.delete(remoteId);
          changes.usersRemoved++;
        }
      }
      for (const remoteId of seenGroups) {
        // A group listed without a member list ever arriving: its members were not read.
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

function loadOpen(db: Db, table: 'user_versions' | 'group_versions', connectionId: number): Map<string, OpenVersion> {
  const rows = db
    .prepare(
      `SELECT r.remote_id AS remoteId, v.resource_id AS resourceId, v.id AS versionId, o.sha256 AS sha256
       FROM ${table} v JOIN resources r ON r.id = v.resource_id JOIN raw_objects o ON o.id = v.raw_id
       WHERE v.connection_id = ? AND v.to_run IS NULL`,
    )
    .iterate(connectionId) as IterableIterator<OpenVersion & { remoteId: string }>;
  const map = new Map<string, OpenVersion>();
  for (const row of rows) map.set(row.remoteId, { resourceId: row.resourceId, versionId: row.versionId, sha256: row.sha256 });
  return map;
}
