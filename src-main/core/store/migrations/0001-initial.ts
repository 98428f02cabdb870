// Migration 0001. Applied migrations are immutable: the store refuses a database whose recorded hash differs.
export default `
-- Connections: one configured remote system. Never holds a secret, only references.
CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('idp', 'app')),
  type TEXT NOT NULL,
  config_json TEXT NOT NULL,
  capabilities_json TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- One poll of one connection. Readers only ever look at complete runs.
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'cancelled')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  owner_pid INTEGER,
  error_code TEXT,
  error_message TEXT,
  user_count INTEGER,
  group_count INTEGER,
  membership_count INTEGER,
  changes_json TEXT,
  coverage_json TEXT,
  capabilities_json TEXT,
  warnings_json TEXT
) STRICT;
CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, state, id);

-- Stable identity of a remote object within a connection; versions and memberships refer to it.
CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
  remote_id TEXT NOT NULL,
  UNIQUE (connection_id, kind, remote_id)
) STRICT;

-- Raw resource JSON as received, stored once per version: the new and changed resources of one page
-- are concatenated and deflated together (similar documents compress about 8:1 that way), and each
-- version row points at its bytes. Unchanged resources write nothing, so history stays cheap.
-- first_run lets a failed run drop exactly the chunks it wrote.
CREATE TABLE raw_chunks (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  first_run INTEGER NOT NULL,
  body BLOB NOT NULL
) STRICT;
CREATE INDEX raw_chunks_by_run ON raw_chunks (first_run);

-- The high-volume tables below carry no foreign keys on purpose: SQLite checks a parent delete by
-- scanning the child table, which turns rollback of a 100k-user run quadratic. The snapshot
-- repository keeps these references consistent and deletes by connection explicitly.

-- A user as seen from run from_run up to (not including) run to_run; to_run NULL = still current.
-- A snapshot at complete run R is every row with from_run <= R AND (to_run IS NULL OR to_run > R),
-- so a running run's rows (from_run = its id) stay invisible until it is marked complete.
CREATE TABLE user_versions (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL,
  connection_id INTEGER NOT NULL,
  from_run INTEGER NOT NULL,
  to_run INTEGER,
  raw_chunk INTEGER NOT NULL,
  raw_offset INTEGER NOT NULL,
  raw_length INTEGER NOT NULL,
  -- First 16 bytes of the SHA-256 of the raw JSON: tells an unchanged resource from a changed one.
  content_hash BLOB NOT NULL,
  user_name TEXT,
  user_name_lc TEXT,
  external_id TEXT,
  email TEXT,
  email_lc TEXT,
  active INTEGER CHECK (active IN (0, 1)),
  status TEXT,
  given_name TEXT,
  family_name TEXT,
  display_name TEXT,
  attributes_json TEXT
) STRICT;
CREATE INDEX user_versions_by_resource ON user_versions (resource_id, from_run);
CREATE INDEX user_versions_by_run ON user_versions (connection_id, from_run);
CREATE INDEX user_versions_closed ON user_versions (to_run) WHERE to_run IS NOT NULL;
-- Correlation keys, indexed at ingest.
CREATE INDEX user_versions_user_name ON user_versions (connection_id, user_name_lc);
CREATE INDEX user_versions_email ON user_versions (connection_id, email_lc);
CREATE INDEX user_versions_external_id ON user_versions (connection_id, external_id);

CREATE TABLE group_versions (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL,
  connection_id INTEGER NOT NULL,
  from_run INTEGER NOT NULL,
  to_run INTEGER,
  raw_chunk INTEGER NOT NULL,
  raw_offset INTEGER NOT NULL,
  raw_length INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  display_name TEXT,
  display_name_lc TEXT,
  external_id TEXT
) STRICT;
CREATE INDEX group_versions_by_resource ON group_versions (resource_id, from_run);
CREATE INDEX group_versions_by_run ON group_versions (connection_id, from_run);
CREATE INDEX group_versions_closed ON group_versions (to_run) WHERE to_run IS NOT NULL;

-- Group membership, versioned per row like the users: a 2% churn costs 2% of the rows.
CREATE TABLE memberships (
  connection_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  from_run INTEGER NOT NULL,
  to_run INTEGER,
  PRIMARY KEY (connection_id, group_id, member_id, from_run)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_closed ON memberships (to_run) WHERE to_run IS NOT NULL;

-- Groups whose member list a run could not read: no membership conclusions for them in that run.
CREATE TABLE run_unread_groups (
  run_id INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL,
  PRIMARY KEY (run_id, group_id)
) STRICT, WITHOUT ROWID;

-- Findings keep their identity across analyses through a stable key.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  app_connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'fixed', 'accepted')),
  message TEXT NOT NULL,
  user_name TEXT,
  group_name TEXT,
  attribute TEXT,
  idp_value TEXT,
  app_value TEXT,
  app_remote_id TEXT,
  idp_remote_id TEXT,
  match_rule TEXT,
  details_json TEXT,
  -- Hash of everything above that analysis derives: unchanged findings are only touched, not rewritten.
  content_hash BLOB,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  resolved_at TEXT,
  idp_run_id INTEGER,
  app_run_id INTEGER
) STRICT;
CREATE INDEX findings_by_app ON findings (app_connection_id, status, type);

-- Lifecycle history of each finding (opened, resolved, reopened, fixed, accepted).
CREATE TABLE finding_events (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT
) STRICT;
CREATE INDEX finding_events_by_finding ON finding_events (finding_id, id);

-- One analysis of one app against the IdP: which complete runs it compared.
CREATE TABLE analyses (
  id INTEGER PRIMARY KEY,
  app_connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  idp_run_id INTEGER NOT NULL,
  app_run_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  counts_json TEXT NOT NULL,
  notes_json TEXT NOT NULL
) STRICT;
`;
