import { hash } from 'node:crypto';
import type { FindingDto, FindingStatus, FindingType, Severity } from '../../contract/findings';
import type { FindingDraft } from '../analysis/types';
import { withoutCheckpoint, type Db } from './database';

export interface AnalysisRecord extends AnalysisRuns {
  /** Consumed once, inside the transaction. */
  drafts: Iterable<PreparedDraft>;
  notes: readonly string[];
}

export interface AnalysisCounts {
  opened: number;
  reopened: number;
  stillOpen: number;
  resolved: number;
  byType: Partial<Record<FindingType, number>>;
}

interface ExistingFinding {
  id: number;
  key: string;
  status: FindingStatus;
  appRunId: number | null;
  /** Hex of the stored 16-byte hash. */
  contentHash: string | null;
}

/**
 * What analysis derived for a finding, hashed: an unchanged finding is only touched, not
 * rewritten. Hex, because a string digest is several times cheaper than a Buffer on 25k findings;
 * stored as its first 16 bytes. JSON text never contains a raw newline, so the join is unambiguous.
 */
function draftHash(d: FindingDraft, details: string): string {
  const fields = [d.type, d.severity, d.message, d.userName, d.groupName, d.attribute, d.idpValue, d.appValue, d.appRemoteId, d.idpRemoteId, d.matchRule];
  return hash('sha256', `${JSON.stringify(fields)}\n${details}`, 'hex').slice(0, 32);
}

/**
 * A draft as recording stores and compares it: its columns, details as JSON, and its content hash.
 * The draft's own objects are not kept: tens of thousands of them alive until the recording made
 * every young-generation collection copy them.
 */
export interface PreparedDraft {
  key: string;
  type: FindingType;
  /** The CONTENT_COLUMNS values, in that order. */
  content: Array<string | null>;
  contentHash: string;
}

/** A draft's columns, details JSON and content hash, worked out as the analysis hands each draft to its recording. */
export function prepareDraft(d: FindingDraft): PreparedDraft {
  const details = JSON.stringify(d.details);
  const contentHash = draftHash(d, details);
  return { key: d.key, type: d.type, content: content(d, details, contentHash), contentHash };
}

/** The columns a finding's content fills, in the order content() lists them. */
const CONTENT_COLUMNS = [
  'severity',
  'message',
  'user_name',
  'group_name',
  'attribute',
  'idp_value',
  'app_value',
  'app_remote_id',
  'idp_remote_id',
  'match_rule',
  'details_json',
  'content_hash',
] as const;

function content(d: FindingDraft, details: string, contentHash: string): Array<string | null> {
  return [d.severity, d.message, d.userName, d.groupName, d.attribute, d.idpValue, d.appValue, d.appRemoteId, d.idpRemoteId, d.matchRule, details, contentHash];
}

/** The runs one analysis compared. */
export interface AnalysisRuns {
  appConnectionId: number;
  idpRunId: number;
  appRunId: number;
}

/** One analysis being recorded: its findings go in as the analysis derives them, in one transaction. */
export interface AnalysisRecording {
  /** Records drafts; of drafts with the same key, the first recorded wins. */
  add(drafts: Iterable<PreparedDraft>): void;
  /** Resolves the findings not seen, records the analysis itself, and commits. */
  finish(notes: readonly string[]): { analysisId: number; counts: AnalysisCounts };
  /** Rolls back everything this recording wrote. */
  abort(): void;
}

/**
 * Opens the transaction that records one analysis and moves every finding of the app through its
 * lifecycle: new drift opens a finding, drift that is gone resolves it, drift that comes back
 * reopens it. A finding fixed by Driftline stays `fixed` until a newer app snapshot confirms
 * (resolved) or contradicts (reopened) the fix. Accepted findings stay accepted while the drift lasts.
 *
 * The analysis records each part of its findings as soon as it has it, while its helper thread
 * works out the next, so only the last part and finish() follow the helper's last answer. Between
 * calls the connection must serve nothing else (the store's thread takes one request at a time).
 * BEGIN IMMEDIATE takes the write lock at once: a deferred transaction that read first could not
 * upgrade if another connection wrote in between. The commit leaves the WAL checkpoint to after
 * the analysis (withoutCheckpoint).
 */
export function beginAnalysisRecording(db: Db, runs: AnalysisRuns): AnalysisRecording {
  const end = withoutCheckpoint(db);
  db.exec('BEGIN IMMEDIATE');
  let open = true;
  const close = (sql: 'COMMIT' | 'ROLLBACK'): void => {
    if (!open) return;
    open = false;
    try {
      db.exec(sql);
    } finally {
      end();
    }
  };
  try {
    const now = new Date().toISOString();
    const existing = new Map(
      (
        db
          .prepare('SELECT id, key, status, app_run_id AS appRunId, lower(hex(content_hash)) AS contentHash FROM findings WHERE app_connection_id = ?')
          .all(runs.appConnectionId) as ExistingFinding[]
      ).map((f) => [f.key, f]),
    );
    // Parameters are positional: named ones cost an object per finding on a 25k-finding analysis.
    const insert = db.prepare(
      `INSERT INTO findings (key, app_connection_id, type, status, first_seen_at, last_seen_at, idp_run_id, app_run_id, ${CONTENT_COLUMNS.join(', ')})
       VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ${CONTENT_COLUMNS.map((c) => (c === 'content_hash' ? 'unhex(?)' : '?')).join(', ')})`,
    );
    // New findings get their "first seen" events in one statement at the end: they are the rows
    // after the highest id that existed before.
    const lastIdBefore = db.prepare('SELECT coalesce(max(id), 0) FROM findings').pluck().get() as number;
    const update = db.prepare(
      `UPDATE findings SET status = ?, last_seen_at = ?, resolved_at = NULL, idp_run_id = ?, app_run_id = ?,
         ${CONTENT_COLUMNS.map((c) => (c === 'content_hash' ? `${c} = unhex(?)` : `${c} = ?`)).join(', ')}
       WHERE id = ?`,
    );
    // Most findings of a re-analysis are the same as last time: one statement per add() touches
    // them, so finish() is left with the last part's.
    const touchStatement = db.prepare(
      'UPDATE findings SET last_seen_at = ?, idp_run_id = ?, app_run_id = ? WHERE id IN (SELECT value FROM json_each(?))',
    );
    let unchanged: number[] = [];
    const touch = (): void => {
      if (unchanged.length > 0) touchStatement.run(now, runs.idpRunId, runs.appRunId, JSON.stringify(unchanged));
      unchanged = [];
    };
    const resolve = db.prepare(`UPDATE findings SET status = 'resolved', resolved_at = ? WHERE id = ?`);
    const event = db.prepare('INSERT INTO finding_events (finding_id, at, status, note) VALUES (?, ?, ?, ?)');

    // Accepted findings stay accepted only while an exception covers them; expired ones reopen.
    const excepted = new Set(
      db
        .prepare('SELECT finding_key FROM exceptions WHERE app_connection_id = ? AND revoked_at IS NULL AND expires_at > ?')
        .pluck()
        .all(runs.appConnectionId, now) as string[],
    );
    const counts: AnalysisCounts = { opened: 0, reopened: 0, stillOpen: 0, resolved: 0, byType: {} };
    const present = new Set<string>();

    const add = (d: PreparedDraft): void => {
      if (present.has(d.key)) return;
      present.add(d.key);
      counts.byType[d.type] = (counts.byType[d.type] ?? 0) + 1;
      const old = existing.get(d.key);
      if (!old) {
        insert.run(d.key, runs.appConnectionId, d.type, now, now, runs.idpRunId, runs.appRunId, ...d.content);
        counts.opened++;
        return;
      }
      let status: FindingStatus = old.status;
      if (old.status === 'resolved') {
        status = 'open';
        event.run(old.id, now, 'open', 'drift is back');
        counts.reopened++;
      } else if (old.status === 'fixed' && old.appRunId !== null && runs.appRunId > old.appRunId) {
        status = 'open';
        event.run(old.id, now, 'open', 'still present after the fix');
        counts.reopened++;
      } else if (old.status === 'accepted' && !excepted.has(d.key)) {
        status = 'open';
        event.run(old.id, now, 'open', 'exception expired');
        counts.reopened++;
      } else if (old.status === 'open') {
        counts.stillOpen++;
        if (old.contentHash === d.contentHash) {
          unchanged.push(old.id);
          return;
        }
      }
      update.run(status, now, runs.idpRunId, status === 'fixed' ? old.appRunId : runs.appRunId, ...d.content, old.id);
    };

    const finish = (notes: readonly string[]): { analysisId: number; counts: AnalysisCounts } => {
      db.prepare(`INSERT INTO finding_events (finding_id, at, status, note) SELECT id, ?, 'open', 'first seen' FROM findings WHERE id > ? ORDER BY id`).run(
        now,
        lastIdBefore,
      );
      for (const old of existing.values()) {
        if (present.has(old.key) || old.status === 'resolved') continue;
        if (old.status === 'fixed' && old.appRunId !== null && runs.appRunId <= old.appRunId) continue;
        resolve.run(now, old.id);
        event.run(old.id, now, 'resolved', old.status === 'fixed' ? 'fix confirmed by a new snapshot' : 'drift no longer present');
        counts.resolved++;
      }
    const analysisId = Number(
        db
          .prepare('INSERT INTO analyses (app_connection_id, idp_run_id, app_run_id, at, counts_json, notes_json) VALUES (?, ?, ?, ?, ?, ?)')
          .run(runs.appConnectionId, runs.idpRunId, runs.appRunId, now, JSON.stringify(counts), JSON.stringify(notes)).lastInsertRowid,
      );
      return { analysisId, counts };
    };

    // A statement that fails inside the transaction ends the recording: what it wrote is rolled back.
    const guarded =
      <A extends unknown[], R>(work: (...args: A) => R) =>
      (...args: A): R => {
        if (!open) throw new Error('this analysis recording has ended');
        try {
          return work(...args);
        } catch (err) {
          close('ROLLBACK');
          throw err;
        }
      };
    return {
      add: guarded((drafts: Iterable<PreparedDraft>) => {
        for (const d of drafts) add(d);
        touch();
      }),
      finish: guarded((notes: readonly string[]) => {
        const outcome = finish(notes);
        close('COMMIT');
        return outcome;
      }),
      abort: () => close('ROLLBACK'),
    };
  } catch (err) {
    close('ROLLBACK');
    throw err;
  }
}

/** Records one analysis whose findings are all at hand (beginAnalysisRecording, in one go). */
export function recordAnalysis(db: Db, rec: AnalysisRecord): { analysisId: number; counts: AnalysisCounts } {
  const recording = beginAnalysisRecording(db, rec);
  recording.add(rec.drafts);
  return recording.finish(rec.notes);
}

export interface FindingFilter {
  app?: string;
  types?: readonly FindingType[];
  statuses?: readonly FindingStatus[];
  severities?: readonly Severity[];
}

/** A finding's DTO columns, with its app's name; callers add WHERE and ORDER BY. */
const SELECT_FINDING_DTO = `SELECT f.key, f.type, f.severity, f.status, c.name AS app, f.message, f.user_name AS userName, f.group_name AS "group",
    f.attribute, f.idp_value AS idpValue, f.app_value AS appValue, f.app_remote_id AS appId, f.idp_remote_id AS idpId,
    f.match_rule AS matchRule, f.first_seen_at AS firstSeen, f.last_seen_at AS lastSeen, f.resolved_at AS resolvedAt`;
const FROM_FINDINGS = 'FROM findings f JOIN connections c ON c.id = f.app_connection_id';

interface FindingRow extends Omit<FindingDto, 'type' | 'severity' | 'status'> {
  type: string;
  severity: string;
  status: string;
}

export function listFindings(db: Db, filter: FindingFilter = {}): FindingDto[] {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (filter.app !== undefined) {
    where.push('c.name = @app');
    params.app = filter.app;
  }
  const inList = (column: string, prefix: string, values: readonly string[] | undefined): void => {
    if (!values) return;
    const names = values.map((v, i) => {
      params[`${prefix}${i}`] = v;
      return `@${prefix}${i}`;
    });
    where.push(names.length === 0 ? '0' : `${column} IN (${names.join(', ')})`);
  };
  inList('f.type', 't', filter.types);
  inList('f.status', 's', filter.statuses);
  inList('f.severity', 'v', filter.severities);
  const rows = db
    .prepare(
      `${SELECT_FINDING_DTO}
       ${FROM_FINDINGS}
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, c.name, f.type, f.user_name, f.key`,
    )
    .all(params) as FindingRow[];
  return rows as FindingDto[];
}

export interface AnalysisRow {
  id: number;
  app: string;
  appConnectionId: number;
  idpRunId: number;
  appRunId: number;
  at: string;
  notes: string[];
}

/** The most recent analysis of each app. */
export function latestAnalyses(db: Db): AnalysisRow[] {
  const rows = db
    .prepare(
      `SELECT a.id, c.name AS app, a.app_connection_id AS appConnectionId, a.idp_run_id AS idpRunId, a.app_run_id AS appRunId,
         a.at, a.notes_json AS notesJson
       FROM analyses a JOIN connections c ON c.id = a.app_connection_id
       WHERE a.id = (SELECT max(id) FROM analyses b WHERE b.app_connection_id = a.app_connection_id)
       ORDER BY c.name`,
    )
    .all() as Array<Omit<AnalysisRow, 'notes'> & { notesJson: string }>;
  return rows.map(({ notesJson, ...r }) => ({ ...r, notes: JSON.parse(notesJson) as string[] }));
}

export interface FindingRecord {
  id: number;
  dto: FindingDto;
  appConnectionId: number;
  appRunId: number | null;
  idpRunId: number | null;
  details: Record<string, unknown>;
}

export function getFinding(db: Db, key: string): FindingRecord | undefined {
  const row = db
    .prepare(
      `${SELECT_FINDING_DTO}, f.id AS _id, f.app_connection_id AS _appConnectionId, f.app_run_id AS _appRunId, f.idp_run_id AS _idpRunId,
         f.details_json AS _detailsJson
       ${FROM_FINDINGS} WHERE f.key = ?`,
    )
    .get(key) as
    | (FindingDto & { _id: number; _appConnectionId: number; _appRunId: number | null; _idpRunId: number | null; _detailsJson: string | null })
    | undefined;
  if (!row) return undefined;
  const { _id, _appConnectionId, _appRunId, _idpRunId, _detailsJson, ...dto } = row;
  return {
    id: _id,
    dto,
    appConnectionId: _appConnectionId,
    appRunId: _appRunId,
    idpRunId: _idpRunId,
    details: _detailsJson ? (JSON.parse(_detailsJson) as Record<string, unknown>) : {},
  };
}

export function findingEvents(db: Db, findingId: number): Array<{ at: string; status: string; note: string | null }> {
  return db.prepare('SELECT at, status, note FROM finding_events WHERE finding_id = ? ORDER BY id').all(findingId) as Array<{
    at: string;
    status: string;
    note: string | null;
  }>;
}

/** Open findings per app, by type and by severity. */
export function openFindingCounts(db: Db): Array<{ appConnectionId: number; type: FindingType; severity: Severity; n: number }> {
  return db
    .prepare(
      `SELECT app_connection_id AS appConnectionId, type, severity, count(*) AS n FROM findings
       WHERE status = 'open' GROUP BY app_connection_id, type, severity`,
    )
    .all() as Array<{ appConnectionId: number; type: FindingType; severity: Severity; n: number }>;
}

/** Moves a finding to a status and records the move in its history. */
function changeStatus(db: Db, id: number, status: FindingStatus, note: string): void {
  db.prepare('UPDATE findings SET status = ? WHERE id = ?').run(status, id);
  db.prepare('INSERT INTO finding_events (finding_id, at, status, note) VALUES (?, ?, ?, ?)').run(id, new Date().toISOString(), status, note);
}

/** Records that a confirmed Driftline write fixed a finding; the next sync confirms it (resolved) or reopens it. */
export function markFindingFixed(db: Db, key: string, note: string): void {
  const row = db.prepare(`SELECT id FROM findings WHERE key = ? AND status IN ('open', 'accepted')`).get(key) as { id: number } | undefined;
  if (row) changeStatus(db, row.id, 'fixed', note);
}

/** Sets an open/accepted finding's status with a history entry (exceptions). */
export function setFindingStatus(db: Db, key: string, status: 'open' | 'accepted', note: string): boolean {
  const row = db.prepare('SELECT id, status FROM findings WHERE key = ?').get(key) as { id: number; status: FindingStatus } | undefined;
  if (!row || row.status === 'resolved') return false;
  changeStatus(db, row.id, status, note);
  return true;
}
