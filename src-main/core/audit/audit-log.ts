import { hash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database';
import { AUDIT_HEAD_FILE } from './audit-head';
import { canonicalJson } from './canonical-json';

/** What happened. Every write to an app and every admin decision gets an entry. */
export type AuditKind =
  | 'action.planned'
  | 'action.sent'
  | 'action.outcome'
  | 'action.cancelled'
  | 'batch.confirmed'
  | 'exception.accepted'
  | 'exception.revoked'
  | 'setting.changed'
  | 'audit.exported';

export interface AuditEntry {
  app: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  operator: string;
  kind: AuditKind;
  entry: AuditEntry;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

function entryHash(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  return hash('sha256', prevHash + canonicalJson({ seq: row.seq, at: row.at, operator: row.operator, kind: row.kind, entry: row.entry }), 'hex');
}

/** Where the latest head hash is kept outside the database: the only defence against tail truncation. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export function readHead(file: string): AuditHead | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as AuditHead;
}

function writeHead(file: string, head: AuditHead): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(head), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export interface AuditLog {
  /** Appends one entry inside the caller's transaction, if any; the head file follows the commit. */
  append(operator: string, kind: AuditKind, entry: AuditEntry): AuditRow;
  /** Records the committed head now; call before closing the database. */
  flushHead(): void;
  list(options?: { afterSeq?: number; limit?: number }): AuditRow[];
  /** Newest first, before `beforeSeq` when given. */
  listNewest(options: { beforeSeq?: number | undefined; limit: number }): AuditRow[];
  count(): number;
  verify(): AuditVerification;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: AuditHead | null;
  /** The first entry that does not check out, and why. */
  firstBroken: { seq: number; reason: string } | null;
  /** Non-fatal observations (e.g. the head file lags one entry after a crash). */
  notes: string[];
}

interface DbRow {
  seq: number;
  at: string;
  operator: string;
  kind: AuditKind;
  entryJson: string;
  prevHash: string;
  hash: string;
}

const toRow = (r: DbRow): AuditRow => ({
  seq: r.seq,
  at: r.at,
  operator: r.operator,
  kind: r.kind,
  entry: JSON.parse(r.entryJson) as AuditEntry,
  prevHash: r.prevHash,
  hash: r.hash,
});

const SELECT = 'SELECT seq, at, operator, kind, entry_json AS entryJson, prev_hash AS prevHash, hash FROM audit_log';

export function createAuditLog(db: Db, headFile: string): AuditLog {
  const last = db.prepare(`${SELECT} ORDER BY seq DESC LIMIT 1`);
  const insert = db.prepare('INSERT INTO audit_log (seq, at, operator, kind, entry_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let headQueued = false;

  /** Records the committed head; queued so an append inside a transaction is recorded after commit (or not at all). */
  const recordHead = (): void => {
    if (headQueued) return;
    headQueued = true;
    queueMicrotask(() => {
      headQueued = false;
      if (db.inTransaction) recordHead();
      else flushHead();
    });
  };

  const flushHead = (): void => {
    if (!db.open) return;
    const top = last.get() as DbRow | undefined;
    if (top) writeHead(headFile, { seq: top.seq, hash: top.hash });
  };

  return {
    append(operator, kind, entry) {
      const prev = last.get() as DbRow | undefined;
      const base = { seq: (prev?.seq ?? 0) + 1, at: new Date().toISOString(), operator, kind, entry };
      const prevHash = prev?.hash ?? GENESIS_HASH;
      const row: AuditRow = { ...base, prevHash, hash: entryHash(prevHash, base) };
      insert.run(row.seq, row.at, row.operator, row.kind, canonicalJson(entry), row.prevHash, row.hash);
      recordHead();
      return row;
    },

    flushHead,

    listNewest({ beforeSeq, limit }) {
      return (db.prepare(`${SELECT} WHERE seq < ? ORDER BY seq DESC LIMIT ?`).all(beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as DbRow[]).map(toRow);
    },

    count: () => db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number,

    list(options = {}) {
      return (db.prepare(`${SELECT} WHERE seq > ? ORDER BY seq LIMIT ?`).all(options.afterSeq ?? 0, options.limit ?? 1_000_000) as DbRow[]).map(toRow);
    },

    verify() {
      const notes: string[] = [];
      let prevHash = GENESIS_HASH;
      let expectedSeq = 1;
      let count = 0;
      for (const r of db.prepare(`${SELECT} ORDER BY seq`).iterate() as IterableIterator<DbRow>) {
        count++;
        const fail = (reason: string): AuditVerification => ({ ok: false, entries: count, head: null, firstBroken: { seq: r.seq, reason }, notes });
        if (r.seq !== expectedSeq) return fail(`entry ${expectedSeq} is missing (the next entry is ${r.seq}): entries were deleted or reordered`);
        if (r.prevHash !== prevHash) return fail('its link to the previous entry does not match: entries were deleted, inserted or reordered');
        let entry: AuditEntry;
        try {
          entry = JSON.parse(r.entryJson) as AuditEntry;
        } catch {
          return fail('its content is not valid JSON: it was edited');
        }
        if (canonicalJson(entry) !== r.entryJson || entryHash(prevHash, { seq: r.seq, at: r.at, operator: r.operator, kind: r.kind, entry }) !== r.hash) {
          return fail('its content does not match its hash: it was edited');
        }
        prevHash = r.hash;
        expectedSeq++;
      }
      const head = count > 0 ? { seq: count, hash: prevHash } : null;
      const saved = readHead(headFile);
      if (saved && (!head || saved.seq > head.seq)) {
        return {
          ok: false,
          entries: count,
          head,
          firstBroken: { seq: (head?.seq ?? 0) + 1, reason: `the log ends at entry ${head?.seq ?? 0} but entry ${saved.seq} was recorded: entries were removed from the end` },
          notes,
        };
      }
      if (saved && head && saved.seq === head.seq && saved.hash !== head.hash) {
        return { ok: false, entries: count, head, firstBroken: { seq: head.seq, reason: 'the last entry differs from the recorded head hash' }, notes };
      }
      if (saved && head && saved.seq < head.seq) notes.push(`The recorded head hash is at entry ${saved.seq} of ${head.seq} (the app stopped before recording it).`);
      return { ok: true, entries: count, head, firstBroken: null, notes };
    },
  };
}

/** The audit log of a data folder: its entries in the database, its head hash in a file beside it. */
export function openAuditLog(db: Db, dataDir: string): AuditLog {
  return createAuditLog(db, join(dataDir, AUDIT_HEAD_FILE));
}

/**
 * The whole log with its head hash as canonical JSON. `deliver` puts the content where it goes
 * (returning details for the record) before the export itself is appended to the log.
 */
export function exportAuditLog(
  log: AuditLog,
  operator: string,
  deliver: (content: string) => Record<string, unknown> = () => ({}),
): { content: string; entries: number; verification: AuditVerification } {
  const verification = log.verify();
  const entries = log.list();
  const content = `${canonicalJson({ generatedAt: new Date().toISOString(), chainIntact: verification.ok, firstBroken: verification.firstBroken, head: verification.head, entries })}\n`;
  const details = deliver(content);
  log.append(operator, 'audit.exported', { app: null, target: null, details: { entries: entries.length, head: verification.head, ...details } });
  return { content, entries: entries.length, verification };
}
