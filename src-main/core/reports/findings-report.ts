import { stringify } from 'csv-stringify/sync';
import type { FindingDto } from '../../contract/findings';
import type { Coverage } from '../model';
import type { Db } from '../store/database';
import { latestAnalyses, listFindings, type FindingFilter } from '../store/findings.repo';
import { getRun } from '../store/runs.repo';

export const GENERATOR = 'Driftline 0.1.0';

export interface SnapshotMeta {
  connection: string;
  runId: number;
  /** When the snapshot's sync finished. */
  takenAt: string | null;
  users: number | null;
  groups: number | null;
  coverage: Coverage | null;
}

export interface AppReportMeta {
  app: string;
  analyzedAt: string;
  appSnapshot: SnapshotMeta;
  idpSnapshot: SnapshotMeta;
  notes: string[];
}

export interface FindingsReport {
  generatedAt: string;
  generator: string;
  filter: FindingFilter;
  apps: AppReportMeta[];
  findings: FindingDto[];
}

function snapshotMeta(db: Db, runId: number): SnapshotMeta {
  const run = getRun(db, runId);
  return {
    connection: run?.connectionName ?? '(deleted)',
    runId,
    takenAt: run?.finishedAt ?? null,
    users: run?.userCount ?? null,
    groups: run?.groupCount ?? null,
    coverage: run?.coverage ?? null,
  };
}

/** The findings matching `filter`, with the snapshots each app's findings were computed from. */
export function buildFindingsReport(db: Db, filter: FindingFilter, now = new Date()): FindingsReport {
  const apps = latestAnalyses(db)
    .filter((a) => filter.app === undefined || a.app.toLowerCase() === filter.app.toLowerCase())
    .map((a) => ({
      app: a.app,
      analyzedAt: a.at,
      appSnapshot: snapshotMeta(db, a.appRunId),
      idpSnapshot: snapshotMeta(db, a.idpRunId),
      notes: a.notes,
    }));
  return { generatedAt: now.toISOString(), generator: GENERATOR, filter, apps, findings: listFindings(db, filter) };
}

export function reportToJson(report: FindingsReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Spreadsheet apps execute cells starting with these; an app's display name must never become a formula. */
function neutralize(value: string | number | null): string | number | null {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const CSV_COLUMNS = [
  'key',
  'type',
  'severity',
  'status',
  'app',
  'user_name',
  'group',
  'attribute',
  'idp_value',
  'app_value',
  'app_id',
  'idp_id',
  'match_rule',
  'message',
  'first_seen',
  'last_seen',
  'resolved_at',
  'app_snapshot_run',
  'app_snapshot_at',
  'idp_snapshot_run',
  'idp_snapshot_at',
  'generated_at',
];

/** One row per finding; every row carries the snapshots it was computed from, so rows stand alone as evidence. */
export function reportToCsv(report: FindingsReport): string {
  const byApp = new Map(report.apps.map((a) => [a.app.toLowerCase(), a]));
  const rows = report.findings.map((f) => {
    const meta = byApp.get(f.app.toLowerCase());
    return [
      f.key,
      f.type,
      f.severity,
      f.status,
      f.app,
      f.userName,
      f.group,
      f.attribute,
      f.idpValue,
      f.appValue,
      f.appId,
      f.idpId,
      f.matchRule,
      f.message,
      f.firstSeen,
      f.lastSeen,
      f.resolvedAt,
      meta?.appSnapshot.runId ?? null,
      meta?.appSnapshot.takenAt ?? null,
      meta?.idpSnapshot.runId ?? null,
      meta?.idpSnapshot.takenAt ?? null,
      report.generatedAt,
    ].map(neutralize);
  });
  return stringify([CSV_COLUMNS, ...rows], { record_delimiter: 'windows' });
}
