import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_HEAD_FILE } from '../../src-main/core/audit/audit-head';
import { createAuditLog, type AuditLog } from '../../src-main/core/audit/audit-log';
import type { Db } from '../../src-main/core/store/database';
import { openTestDb } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();

function logWith(entries: number): { db: Db; log: AuditLog; dir: string } {
  const dir = tempDir();
  const db = openTestDb(dir);
  const log = createAuditLog(db, join(dir, AUDIT_HEAD_FILE));
  for (let i = 1; i <= entries; i++) {
    log.append('alice@laptop', 'action.planned', { app: 'CRM', target: `User/u${i}`, details: { actionId: i, summary: `Deactivate u${i}` } });
  }
  return { db, log, dir };
}

/** Tampering as an attacker with file access would: with the append-only triggers dropped. */
function tamper(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.prepare(sql).run(...params);
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('tamper-evident audit log', () => {
  it('chains each entry to the previous one and verifies an intact log', async () => {
    const { log } = logWith(5);
    await settle();
    const v = log.verify();
    expect(v).toMatchObject({ ok: true, entries: 5, firstBroken: null });
    const rows = log.list();
    expect(rows[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prevHash).toBe(rows[i - 1]?.hash);
    expect(v.head?.hash).toBe(rows[4]?.hash);
  });

  it('rejects UPDATE and DELETE while the triggers are in place', () => {
    const { db } = logWith(2);
    expect(() => db.prepare("UPDATE audit_log SET operator = 'mallory' WHERE seq = 1").run()).toThrowError(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrowError(/append-only/);
  });

  it('catches an edited entry', async () => {
    const { db, log } = logWith(5);
    await settle();
    tamper(db, `UPDATE audit_log SET entry_json = replace(entry_json, 'u3', 'u9') WHERE seq = 3`);
    expect(log.verify()).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: expect.stringMatching(/edited/) } });
  });

  it('catches an edited operator or time (outside the entry JSON)', async () => {
    const { db, log } = logWith(5);
    await settle();
    tamper(db, "UPDATE audit_log SET operator = 'mallory@laptop' WHERE seq = 2");
    expect(log.verify().firstBroken?.seq).toBe(2);
  });

  it('catches a deleted entry', async () => {
    const { db, log } = logWith(5);
    await settle();
    tamper(db, 'DELETE FROM audit_log WHERE seq = 2');
    expect(log.verify()).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: expect.stringMatching(/missing/) } });
  });

  it('catches reordered entries', async () => {
    const { db, log } = logWith(5);
    await settle();
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare('UPDATE audit_log SET seq = -2 WHERE seq = 2').run();
    db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run();
    db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = -2').run();
    expect(log.verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });

  it('catches entries removed from the end, through the head recorded outside the database', async () => {
    const { db, log } = logWith(5);
    await settle();
    tamper(db, 'DELETE FROM audit_log WHERE seq >= 4');
    expect(log.verify()).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: expect.stringMatching(/removed from the end/) } });
  });

  it('a rolled-back transaction leaves neither an entry nor a head for it', async () => {
    const { db, log, dir } = logWith(2);
    await settle();
    expect(() =>
      db.transaction(() => {
        log.append('alice@laptop', 'action.sent', { app: 'CRM', target: 'User/u1', details: {} });
        throw new Error('write failed');
      })(),
    ).toThrowError('write failed');
    await settle();
    const again = createAuditLog(db, join(dir, AUDIT_HEAD_FILE));
    expect(again.verify()).toMatchObject({ ok: true, entries: 2 });
  });
});
