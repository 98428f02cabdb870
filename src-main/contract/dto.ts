import type { ErrorInfo } from './errors';
import type { FindingDto, FindingStatus, FindingType, Severity } from './findings';

/** Where secrets live in this session, and whether they survive a restart. */
export interface SecretStorageDto {
  backend: 'safeStorage' | 'passphrase-file' | 'memory';
  persistent: boolean;
  /** Shown to the admin when secrets are not kept safely on disk. */
  warning: string | null;
}

/** Facts about the running app the UI shows. */
export interface AppInfoDto {
  version: string;
  dataDir: string;
  secretStorage: SecretStorageDto;
  demoRunning: boolean;
}

/** One secret field of a connection: never its value, only whether it is set and from where. */
export interface SecretFieldDto {
  /** Field path in the config, e.g. `auth.token`, `auth.password`, `token`. */
  field: string;
  set: boolean;
  source: 'env' | 'store' | null;
  /** The environment variable name for `env` secrets. */
  env: string | null;
}

/** Summary of one sync run. */
export interface RunDto {
  id: number;
  connection: string;
  state: 'running' | 'complete' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  error: ErrorInfo | null;
  users: number | null;
  groups: number | null;
  memberships: number | null;
  coverageNotes: string[];
  warnings: string[];
}

/** A configured connection as the UI sees it. `config` holds secret references, never values. */
export interface ConnectionDto {
  name: string;
  role: 'idp' | 'app';
  type: 'scim' | 'okta' | 'csv';
  config: Record<string, unknown>;
  secrets: SecretFieldDto[];
  lastRun: RunDto | null;
  lastCompleteRun: RunDto | null;
  capabilities: Record<string, unknown> | null;
}

/** Result of "Test connection": what the system says about itself, and problems in words. */
export interface ConnectionTestDto {
  ok: boolean;
  error: ErrorInfo | null;
  /** Human-readable facts: paging, filter, PATCH, ETag, bulk, max results, users found… */
  facts: Array<{ label: string; value: string }>;
  problems: string[];
  capabilities: Record<string, unknown>;
}

export type SyncPhaseDto = 'discovery' | 'users' | 'groups' | 'members' | 'commit';

/** Live progress of one connection's sync. */
export interface SyncProgressDto {
  connection: string;
  runId: number;
  phase: SyncPhaseDto;
  pages: number;
  resources: number;
  total: number | null;
  waitMs: number;
  waits: number;
  message: string | null;
  elapsedMs: number;
}

/** How a sync ended. */
export interface SyncFinishedDto {
  connection: string;
  runId: number;
  state: 'complete' | 'failed' | 'cancelled';
  error: ErrorInfo | null;
  elapsedMs: number;
}

export interface SyncStatusDto {
  active: SyncProgressDto[];
}

/** Per-app dashboard numbers. */
export interface AppSummaryDto {
  app: string;
  open: number;
  byType: Partial<Record<FindingType, number>>;
  bySeverity: Partial<Record<Severity, number>>;
  lastSuccessfulSync: string | null;
  lastRunState: RunDto['state'] | null;
  /** Coverage limits and analysis notes worth a warning. */
  warnings: string[];
  analyzedAt: string | null;
}

export interface DashboardDto {
  idp: { name: string; lastSuccessfulSync: string | null; lastRunState: RunDto['state'] | null; warnings: string[] } | null;
  apps: AppSummaryDto[];
}

/** Filters for listing findings; all optional. */
export interface FindingQuery {
  app?: string;
  types?: FindingType[];
  statuses?: FindingStatus[];
  severities?: Severity[];
}

/** One side of a finding's subject, normalized and raw. */
export interface RecordSideDto {
  id: string;
  userName: string | null;
  displayName: string | null;
  email: string | null;
  active: boolean | null;
  status: string | null;
  /** Attributes compared, by name/path, for the side-by-side view. */
  attributes: Record<string, string | null>;
  raw: unknown;
}

export interface FindingEventDto {
  at: string;
  status: string;
  note: string | null;
}

/** Everything the detail panel shows. */
export interface FindingDetailDto {
  finding: FindingDto;
  idp: RecordSideDto | null;
  app: RecordSideDto | null;
  /** Attribute names/paths whose values differ between the two sides. */
  differing: string[];
  history: FindingEventDto[];
  details: Record<string, unknown>;
}

/** A file the UI should save: an export. */
export interface ExportFileDto {
  fileName: string;
  mimeType: string;
  content: string;
}
