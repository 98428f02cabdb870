import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FindingDraft } from '../../src-main/core/analysis/types';
import { checkpoint, type Db } from '../../src-main/core/store/database';
import { markFindingFixed, prepareDraft, recordAnalysis, setFindingStatus } from '../../src-main/core/store/findings.repo';
import { connection, openTestDb } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

// The lifecycle recording gives every finding across analyses, with every status a finding can be
// in when it is seen again or no longer seen.
const tempDir = useTempDir();

function draft(key: string, message: string, type: FindingDraft['type'] = 'orphaned_account'): FindingDraft {
  return {
    key,
    type,
    severity: 'high',
    message,
    userName: `${key}@x.com`,
    groupName: null,
    attribute: null,
    idpValue: null,
    appValue: null,
    appRemoteId: `id-${key}`,
    idpRemoteId: null,
    matchRule: null,
    details: { app: { id: `id-${key}` } },
  };
}

function record(db: Db, app: number, runs: { idp: number; app: number }, drafts: FindingDraft[]) {
  return recordAnalysis(db, { appConnectionId: app, idpRunId: runs.idp, appRunId: runs.app, drafts: drafts.map(prepareDraft), notes: [] }).counts;
}

interface Row {
  key: string;
  status: string;
  message: string;
  appRunId: number | null;
  idpRunId: number | null;
  resolvedAt: string | null;
}

function rows(db: Db): Record<string, Omit<Row, 'key'>> {
  const all = db
    .prepare('SELECT key, status, message, app_run_id AS appRunId, idp_run_id AS idpRunId, resolved_at AS resolvedAt FROM findings ORDER BY key')
    .all() as Row[];
  return Object.fromEntries(all.map(({ key, ...rest }) => [key, rest]));
}

function history(db: Db, key: string): string[] {
  return (
    db
      .prepare('SELECT e.status, e.note FROM finding_events e JOIN findings f ON f.id = e.finding_id WHERE f.key = ? ORDER BY e.id')
      .all(key) as Array<{ status: string; note: string }>
  ).map((e) => `${e.status}: ${e.note}`);
}

function exception(db: Db, app: number, key: string, expiresAt: string): void {
  db.prepare(
    `INSERT INTO exceptions (finding_key, app_connection_id, owner, reason, expires_at, created_at, created_by) VALUES (?, ?, 'it', 'service account', ?, ?, 'test')`,
  ).run(key, app, expiresAt, new Date().toISOString());
  setFindingStatus(db, key, 'accepted', 'accepted');
}

describe('recording an analysis', () => {
  it('opens, touches, updates, reopens and resolves findings by their status and the app snapshot they were fixed in', () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM', 'app');
    const other = connection(db, 'Wiki', 'app');

    // A second draft with a key already seen in the same analysis is ignored: the first one wins.
    const first = record(db, app, { idp: 10, app: 1 }, [
      draft('a', 'A'),
      draft('b', 'B'),
      draft('c', 'C'),
      draft('d', 'D'),
      draft('e', 'E'),
      draft('f', 'F'),
      draft('a', 'A again', 'duplicate_account'),
    ]);
    expect(first).toEqual({ opened: 6, reopened: 0, stillOpen: 0, resolved: 0, byType: { orphaned_account: 6 } });
    // Another app's findings are never touched by this app's analyses.
    record(db, other, { idp: 10, app: 5 }, [draft('w', 'W')]);
    markFindingFixed(db, 'c', 'fixed by Driftline');
    markFindingFixed(db, 'f', 'fixed by Driftline');
    exception(db, app, 'd', new Date(Date.now() + 86_400_000).toISOString());
    exception(db, app, 'e', new Date(Date.now() + 86_400_000).toISOString());
    db.prepare(`UPDATE exceptions SET expires_at = ? WHERE finding_key = 'e'`).run(new Date(Date.now() - 1000).toISOString());

    // Same app snapshot (only the IdP was synced again): fixes are not judged yet.
    const second = record(db, app, { idp: 11, app: 1 }, [
      draft('a', 'A'),
      draft('b', 'B changed'),
      draft('c', 'C'),
      draft('d', 'D'),
      draft('e', 'E'),
      draft('g', 'G', 'missing_account'),
    ]);
    expect(second).toEqual({ opened: 1, reopened: 1, stillOpen: 2, resolved: 0, byType: { orphaned_account: 5, missing_account: 1 } });
    expect(rows(db)).toEqual({
      a: { status: 'open', message: 'A', appRunId: 1, idpRunId: 11, resolvedAt: null },
      b: { status: 'open', message: 'B changed', appRunId: 1, idpRunId: 11, resolvedAt: null },
      c: { status: 'fixed', message: 'C', appRunId: 1, idpRunId: 11, resolvedAt: null },
      d: { status: 'accepted', message: 'D', appRunId: 1, idpRunId: 11, resolvedAt: null },
      e: { status: 'open', message: 'E', appRunId: 1, idpRunId: 11, resolvedAt: null },
      f: { status: 'fixed', message: 'F', appRunId: 1, idpRunId: 10, resolvedAt: null },
      g: { status: 'open', message: 'G', appRunId: 1, idpRunId: 11, resolvedAt: null },
      w: { status: 'open', message: 'W', appRunId: 5, idpRunId: 10, resolvedAt: null },
    });
    expect(history(db, 'e')).toEqual(['open: first seen', 'accepted: accepted', 'open: exception expired']);

    // A newer app snapshot: a fix it still shows reopens, a fix it confirms resolves.
    const third = record(db, app, { idp: 11, app: 2 }, [draft('a', 'A'), draft('c', 'C')]);
    expect(third).toEqual({ opened: 0, reopened: 1, stillOpen: 1, resolved: 5, byType: { orphaned_account: 2 } });
    const after = rows(db);
    expect(Object.fromEntries(Object.entries(after).map(([k, r]) => [k, r.status]))).toEqual({
      a: 'open',
      b: 'resolved',
      c: 'open',
      d: 'resolved',
      e: 'resolved',
      f: 'resolved',
      g: 'resolved',
      w: 'open',
    });
    expect(after.a).toMatchObject({ appRunId: 2, idpRunId: 11 });
    expect(after.b?.resolvedAt).not.toBeNull();
    expect(history(db, 'c')).toEqual(['open: first seen', 'fixed: fixed by Driftline', 'open: still present after the fix']);
    expect(history(db, 'f')).toEqual(['open: first seen', 'fixed: fixed by Driftline', 'resolved: fix confirmed by a new snapshot']);
    expect(history(db, 'd')).toEqual(['open: first seen', 'accepted: accepted', 'resolved: drift no longer present']);

    // Drift that comes back reopens its old finding, under the same key.
    const fourth = record(db, app, { idp: 12, app: 3 }, [draft('a', 'A'), draft('b', 'B again')]);
    expect(fourth).toEqual({ opened: 0, reopened: 1, stillOpen: 1, resolved: 1, byType: { orphaned_account: 2 } });
    expect(rows(db).b).toEqual({ status: 'open', message: 'B again', appRunId: 3, idpRunId: 12, resolvedAt: null });
    expect(history(db, 'b')).toEqual(['open: first seen', 'resolved: drift no longer present', 'open: drift is back']);
    expect(rows(db).c?.status).toBe('resolved');
    expect(rows(db).w?.status).toBe('open');
    db.close();
  });

  it('commits without checkpointing the WAL, and leaves the checkpoint threshold as it was', () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM', 'app');
    // Every commit over one page would copy the WAL into the database.
    db.pragma('wal_autocheckpoint = 1');
    checkpoint(db);
    const size = (): number => statSync(db.name).size;
    const before = size();
    record(db, app, { idp: 1, app: 1 }, Array.from({ length: 300 }, (_, k) => draft(`k${k}`, `${k} `.repeat(200))));
    expect(size()).toBe(before);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1);
    checkpoint(db);
    expect(size()).toBeGreaterThan(before);
    db.close();
  });
});
