import { join } from 'node:path';
import type { Coverage, GroupRecord, UserRecord } from '../../src-main/core/model';
import { upsertConnection } from '../../src-main/core/store/connections.repo';
import type { SnapshotUser } from '../../src-main/core/analysis/types';
import { activeByRes, userDirectory } from '../../src-main/core/store/analysis.repo';
import { openDatabase, type Db } from '../../src-main/core/store/database';
import type { SnapshotRef } from '../../src-main/core/store/snapshot-sql';
import { beginRun, completeRun } from '../../src-main/core/store/runs.repo';
import { createSnapshotWriter } from '../../src-main/core/store/snapshot-writer';

export const FULL_COVERAGE: Coverage = { users: true, inactiveUsers: true, groups: true, memberships: 'all', notes: [] };

export function openTestDb(dir: string): Db {
  return openDatabase(join(dir, 'driftline.db'));
}

export function connection(db: Db, name: string, role: 'idp' | 'app' = 'app'): number {
  return upsertConnection(db, { name, role, type: role === 'idp' ? 'csv' : 'scim', configJson: '{}' });
}

/** Every user of a snapshot, whole, in storage order: read the way analysis reads records. */
export function snapshotUsers(db: Db, ref: SnapshotRef): SnapshotUser[] {
  const ids = activeByRes(db, ref).ids();
  const directory = userDirectory(db, ref);
  directory.preload(ids);
  return ids.map((id) => directory.get(id));
}

/** Writes one complete run from in-memory records, as a connector would. Returns the run id. */
export async function completeSnapshot(
  db: Db,
  connectionId: number,
  data: { users: UserRecord[]; groups?: GroupRecord[] },
  coverage: Coverage = FULL_COVERAGE,
): Promise<number> {
  const runId = beginRun(db, connectionId);
  const writer = await createSnapshotWriter(db, runId, connectionId);
  writer.users(data.users);
  writer.groups(data.groups ?? []);
  completeRun(db, runId, writer, { coverage, capabilities: {}, warnings: [] });
  return runId;
}
