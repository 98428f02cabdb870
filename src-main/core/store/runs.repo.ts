import type { ErrorInfo } from '../../contract/errors';
import { DriftlineError } from '../errors';
import type { Coverage } from '../model';
import { durably, type Db } from './database';
import type { SnapshotChanges, SnapshotTotals, SnapshotWriter } from './snapshot-writer';

export type RunState = 'running' | 'complete' | 'failed' | 'cancelled';

export interface RunRow {
  id: number;
  connectionId: number;
  connectionName: string;
  state: RunState;
  startedAt: string;
  finishedAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  userCount: number | null;
  groupCount: number | null;
  membershipCount: number | null;
  changes: SnapshotChanges | null;
  coverage: Coverage | null;
  capabilities: Record<string, unknown> | null;
  warnings: string[];
}

const RUN_COLUMNS = `r.id, r.connection_id AS connectionId, c.name AS connectionName, r.state, r.started_at AS startedAt,
  r.finished_at AS finishedAt, r.error_code AS errorCode, r.error_message AS errorMessage, r.user_count AS userCount,
  r.group_count AS groupCount, r.membership_count AS membershipCount, r.changes_json AS changesJson,
  r.coverage_json AS coverageJson, r.capabilities_json AS capabilitiesJson, r.warnings_json AS warningsJson`;

interface RunDbRow extends Omit<RunRow, 'changes' | 'coverage' | 'capabilities' | 'warnings'> {
  changesJson: string | null;
  coverageJson: string | null;
  capabilitiesJson: string | null;
  warningsJson: string | null;
}

function toRun(row: RunDbRow): RunRow {
  const { changesJson, coverageJson, capabilitiesJson, warningsJson, ...rest } = row;
  return {
    ...rest,
    changes: changesJson ? (JSON.parse(changesJson) as SnapshotChanges) : null,
    coverage: coverageJson ? (JSON.parse(coverageJson) as Coverage) : null,
    capabilities: capabilitiesJson ? (JSON.parse(capabilitiesJson) as Record<string, unknown>) : null,
    warnings: warningsJson ? (JSON.parse(warningsJson) as string[]) : [],
  };
}

/** Starts a run, refusing when a live process is already polling the same connection. */
export function beginRun(db: Db, connectionId: number, pid = process.pid): number {
  return db.transaction(() => {
    const running = db
      .prepare(`SELECT id, owner_pid AS pid FROM sync_runs WHERE connection_id = ? AND state = 'running'`)
      .all(connectionId) as { id: number; pid: number | null }[];
    for (const r of running) {
      if (r.pid !== null && r.pid !== pid && isAlive(r.pid)) {
        throw new DriftlineError('run_in_progress', `A sync of this connection is already running (process ${r.pid}).`);
      }
      if (r.pid === pid) throw new DriftlineError('run_in_progress', 'A sync of this connection is already running.');
      discardRun(db, r.id, 'failed', interruptedError());
    }
    const info = db
      .prepare(
        `INSERT INTO sync_runs (connection_id, state, started_at, owner_pid, resource_floor)
         VALUES (?, 'running', ?, ?, (SELECT coalesce(max(id), 0) FROM resources))`,
      )
      .run(connectionId, new Date().toISOString(), pid);
    return Number(info.lastInsertRowid);
  })();
}

/** The single transaction that makes a run visible. */
export function completeRun(
  db: Db,
  runId: number,
  writer: SnapshotWriter,
  result: { coverage: Coverage; capabilities: Record<string, unknown>; warnings: string[] },
): { totals: SnapshotTotals; changes: SnapshotChanges } {
  // Durable even on a bulk connection: this commit is what makes every page of the run count.
  return durably(db, () => {
    const out = writer.finish(result.coverage);
    db.prepare(
      `UPDATE sync_runs SET state = 'complete', finished_at = ?, user_count = ?, group_count = ?, membership_count = ?,
         changes_json = ?, coverage_json = ?, capabilities_json = ?, warnings_json = ?
       WHERE id = ? AND state = 'running'`,
    ).run(
      new Date().toISOString(),
      out.totals.users,
      out.totals.groups,
      out.totals.memberships,
      JSON.stringify(out.changes),
      JSON.stringify(result.coverage),
      JSON.stringify(result.capabilities),
      JSON.stringify(result.warnings),
      runId,
    );
    db.prepare(
      'UPDATE connections SET capabilities_json = ? WHERE id = (SELECT connection_id FROM sync_runs WHERE id = ?)',
    ).run(JSON.stringify(result.capabilities), runId);
    return out;
  });
}

/** Ends a run as failed or cancelled and removes every row it wrote; earlier runs are untouched. */
export function failRun(db: Db, runId: number, state: 'failed' | 'cancelled', error: ErrorInfo): void {
  db.transaction(() => discardRun(db, runId, state, error))();
}

function discardRun(db: Db, runId: number, state: 'failed' | 'cancelled', error: ErrorInfo): void {
  const run = db.prepare('SELECT connection_id AS connectionId, resource_floor AS resourceFloor FROM sync_runs WHERE id = ?').get(runId) as
    | { connectionId: number; resourceFloor: number | null }
    | undefined;
  if (!run) return;
  const c = run.connectionId;
  // New rows first: the open-version unique indexes must never see two open rows for one resource.
  db.prepare('DELETE FROM user_versions WHERE connection_id = ? AND from_run = ?').run(c, runId);
  db.prepare('UPDATE user_versions SET to_run = NULL WHERE to_run = ?').run(runId);
  db.prepare('DELETE FROM group_versions WHERE connection_id = ? AND from_run = ?').run(c, runId);
  db.prepare('UPDATE group_versions SET to_run = NULL WHERE to_run = ?').run(runId);
  db.prepare('DELETE FROM memberships WHERE connection_id = ? AND from_run = ?').run(c, runId);
  db.prepare('UPDATE memberships SET to_run = NULL WHERE to_run = ?').run(runId);
  if (run.resourceFloor !== null) {
    db.prepare('DELETE FROM resources WHERE connection_id = ? AND id > ?').run(c, run.resourceFloor);
  } else {
    // Begun before migration 0004 recorded floors: the connection's resources nothing refers to.
    db.prepare(
      `DELETE FROM resources WHERE connection_id = @c AND id NOT IN (
         SELECT resource_id FROM user_versions WHERE connection_id = @c UNION SELECT resource_id FROM group_versions WHERE connection_id = @c
         UNION SELECT group_id FROM memberships WHERE connection_id = @c UNION SELECT member_id FROM memberships WHERE connection_id = @c)`,
    ).run({ c });
  }
  db.prepare('DELETE FROM raw_chunks WHERE first_run = ?').run(runId);
  db.prepare('DELETE FROM run_unread_groups WHERE run_id = ?').run(runId);
  db.prepare(
    `UPDATE sync_runs SET state = ?, finished_at = ?, error_code = ?, error_message = ? WHERE id = ?`,
  ).run(state, new Date().toISOString(), error.code, error.message, runId);
}

function interruptedError(): ErrorInfo {
  return {
    code: 'run_interrupted',
    message: 'The sync was interrupted (the program quit or crashed) before it finished; its partial data was discarded.',
  };
}

/**
 * Cleans up runs left `running` by a process that no longer exists (killed, crashed, power loss).
 * Called at start-up; runs owned by live processes are left alone.
 */
export function recoverInterruptedRuns(db: Db, pid = process.pid): number[] {
  const stale = (
    db.prepare(`SELECT id, owner_pid AS ownerPid FROM sync_runs WHERE state = 'running'`).all() as { id: number; ownerPid: number | null }[]
  ).filter((r) => r.ownerPid === null || r.ownerPid === pid || !isAlive(r.ownerPid));
  for (const r of stale) failRun(db, r.id, 'failed', interruptedError());
  return stale.map((r) => r.id);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function latestCompleteRun(db: Db, connectionId: number): RunRow | undefined {
  const row = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM sync_runs r JOIN connections c ON c.id = r.connection_id
       WHERE r.connection_id = ? AND r.state = 'complete' ORDER BY r.id DESC LIMIT 1`,
    )
    .get(connectionId) as RunDbRow | undefined;
  return row ? toRun(row) : undefined;
}

export function getRun(db: Db, runId: number): RunRow | undefined {
  const row = db
    .prepare(`SELECT ${RUN_COLUMNS} FROM sync_runs r JOIN connections c ON c.id = r.connection_id WHERE r.id = ?`)
    .get(runId) as RunDbRow | undefined;
  return row ? toRun(row) : undefined;
}

export function listRuns(db: Db, options: { connectionId?: number; limit?: number } = {}): RunRow[] {
  const rows = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM sync_runs r JOIN connections c ON c.id = r.connection_id
       WHERE (@connectionId IS NULL OR r.connection_id = @connectionId) ORDER BY r.id DESC LIMIT @limit`,
    )
    .all({ connectionId: options.connectionId ?? null, limit: options.limit ?? 50 }) as RunDbRow[];
  return rows.map(toRun);
}
