import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AUDIT_HEAD_FILE } from '../../core/audit/audit-head';
import { createAuditLog } from '../../core/audit/audit-log';
import { canonicalJson } from '../../core/audit/canonical-json';
import { defaultDataDir } from '../../core/data-dir';
import { DriftlineError } from '../../core/errors';
import { currentOperator } from '../../core/operator';
import { openDatabase } from '../../core/store/database';
import { DATABASE_FILE } from '../../core/workspace';

function openLog(data: string | undefined) {
  const dir = data ?? defaultDataDir();
  const file = join(dir, DATABASE_FILE);
  if (!existsSync(file)) throw new DriftlineError('file_unreadable', `No Driftline data at ${file}.`);
  const db = openDatabase(file);
  return { db, log: createAuditLog(db, join(dir, AUDIT_HEAD_FILE)) };
}

/** `driftline audit verify`: exit 0 only when the hash chain is intact. */
export function runAuditVerify(opts: { data?: string }): number {
  const { db, log } = openLog(opts.data);
  try {
    const v = log.verify();
    if (v.ok) {
      process.stdout.write(`Audit log intact: ${v.entries} entries, head ${v.head?.hash ?? '(empty)'}\n`);
      for (const n of v.notes) process.stdout.write(`note: ${n}\n`);
      return 0;
    }
    process.stdout.write(`Audit log BROKEN at entry ${v.firstBroken?.seq}: ${v.firstBroken?.reason}\n`);
    return 1;
  } finally {
    db.close();
  }
}

/** `driftline audit export --out FILE`: the log with its head hash, as canonical JSON. */
export function runAuditExport(opts: { data?: string; out: string }): number {
  const { db, log } = openLog(opts.data);
  try {
    const v = log.verify();
    const entries = log.list();
    const out = resolve(opts.out);
    writeFileSync(out, `${canonicalJson({ generatedAt: new Date().toISOString(), chainIntact: v.ok, firstBroken: v.firstBroken, head: v.head, entries })}\n`, { mode: 0o600 });
    log.append(currentOperator(), 'audit.exported', { app: null, target: null, details: { entries: entries.length, head: v.head, file: out } });
    process.stdout.write(`Wrote ${entries.length} entries to ${out}; head ${v.head?.hash ?? '(empty)'}${v.ok ? '' : ' (the chain is BROKEN)'}\n`);
    return v.ok ? 0 : 1;
  } finally {
    log.flushHead();
    db.close();
  }
}
