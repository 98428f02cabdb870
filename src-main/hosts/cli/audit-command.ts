import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportAuditLog, openAuditLog } from '../../core/audit/audit-log';
import { defaultDataDir } from '../../core/data-dir';
import { currentOperator } from '../../core/operator';
import { openExistingData } from './open-data';

function openLog(data: string | undefined) {
  const dir = data ?? defaultDataDir();
  const db = openExistingData(dir);
  return { db, log: openAuditLog(db, dir) };
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
    const out = resolve(opts.out);
    const { entries, verification: v } = exportAuditLog(log, currentOperator(), (content) => {
      writeFileSync(out, content, { mode: 0o600 });
      return { file: out };
    });
    process.stdout.write(`Wrote ${entries} entries to ${out}; head ${v.head?.hash ?? '(empty)'}${v.ok ? '' : ' (the chain is BROKEN)'}\n`);
    return v.ok ? 0 : 1;
  } finally {
    log.flushHead();
    db.close();
  }
}
