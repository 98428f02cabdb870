// Migration 0002: remediation. Applied migrations are immutable: the store refuses a database whose recorded hash differs.
export default `
-- A bulk fix: several planned actions confirmed together.
CREATE TABLE action_batches (
  id INTEGER PRIMARY KEY,
  app_connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  operator TEXT NOT NULL,
  item_count INTEGER NOT NULL,
  threshold INTEGER NOT NULL,
  confirmed_by_name INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The action journal: a row is written (and committed) before its request goes out, so a crash
-- or timeout leaves "sent" or "unknown" to be resolved by a read, never by a replay.
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  app_connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  batch_id INTEGER REFERENCES action_batches(id),
  finding_key TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('deactivate', 'reactivate', 'patch_attributes', 'remove_member', 'add_member', 'delete_account')),
  target_type TEXT NOT NULL CHECK (target_type IN ('User', 'Group')),
  target_id TEXT NOT NULL,
  target_label TEXT NOT NULL,
  member_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('planned', 'sent', 'confirmed', 'failed', 'unknown', 'stale', 'cancelled')),
  plan_json TEXT NOT NULL,
  pre_image_json TEXT,
  pre_version TEXT,
  request_json TEXT,
  response_status INTEGER,
  outcome TEXT,
  error_code TEXT,
  error_message TEXT,
  undo_of INTEGER REFERENCES actions(id),
  operator TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  finished_at TEXT
) STRICT;
CREATE INDEX actions_by_state ON actions (state);
CREATE INDEX actions_by_finding ON actions (finding_key);
CREATE INDEX actions_by_batch ON actions (batch_id);
CREATE INDEX actions_by_undo ON actions (undo_of);

-- Append-only, hash-chained record of every action and decision:
-- hash = SHA-256(prev_hash || canonical JSON of the entry).
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  operator TEXT NOT NULL,
  kind TEXT NOT NULL,
  entry_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Accepted risks (break-glass and service accounts): who, why, until when.
CREATE TABLE exceptions (
  id INTEGER PRIMARY KEY,
  finding_key TEXT NOT NULL,
  app_connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  owner TEXT NOT NULL,
  reason TEXT NOT NULL,
  ticket TEXT,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT
) STRICT;
CREATE INDEX exceptions_by_finding ON exceptions (finding_key);
`;
