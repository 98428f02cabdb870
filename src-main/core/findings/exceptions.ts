import type { AuditLog } from '../audit/audit-log';
import { DriftlineError } from '../errors';
import type { Db } from '../store/database';
import { getFinding, setFindingStatus } from '../store/findings.repo';

export interface ExceptionInput {
  findingKey: string;
  owner: string;
  reason: string;
  ticket?: string | undefined;
  /** ISO date-time; exceptions always expire, so accepted risk is re-reviewed. */
  expiresAt: string;
}

/** Accepts a finding as a known risk (a break-glass or service account) until a date, on the record. */
export function acceptFinding(db: Db, audit: AuditLog, operator: string, input: ExceptionInput): void {
  const f = getFinding(db, input.findingKey);
  if (!f) throw new DriftlineError('invalid_argument', `No finding ${input.findingKey}.`);
  const expires = new Date(input.expiresAt);
  if (Number.isNaN(expires.getTime()) || expires.getTime() <= Date.now()) {
    throw new DriftlineError('invalid_argument', 'An exception needs an expiry date in the future.');
  }
  if (f.dto.status !== 'open') throw new DriftlineError('invalid_argument', `Only open findings can be accepted; this one is ${f.dto.status}.`);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO exceptions (finding_key, app_connection_id, owner, reason, ticket, expires_at, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(input.findingKey, f.appConnectionId, input.owner, input.reason, input.ticket ?? null, expires.toISOString(), new Date().toISOString(), operator);
    setFindingStatus(db, input.findingKey, 'accepted', `accepted by ${operator} until ${expires.toISOString()}: ${input.reason}`);
    audit.append(operator, 'exception.accepted', {
      app: f.dto.app,
      target: input.findingKey,
      details: { type: f.dto.type, message: f.dto.message, owner: input.owner, reason: input.reason, ticket: input.ticket ?? null, expiresAt: expires.toISOString() },
    });
  })();
}

export function revokeException(db: Db, audit: AuditLog, operator: string, findingKey: string): void {
  const f = getFinding(db, findingKey);
  if (!f) throw new DriftlineError('invalid_argument', `No finding ${findingKey}.`);
  db.transaction(() => {
    const changed = db
      .prepare('UPDATE exceptions SET revoked_at = ?, revoked_by = ? WHERE finding_key = ? AND revoked_at IS NULL')
      .run(new Date().toISOString(), operator, findingKey).changes;
    if (changed === 0) throw new DriftlineError('invalid_argument', 'That finding has no active exception.');
    if (f.dto.status === 'accepted') setFindingStatus(db, findingKey, 'open', `exception revoked by ${operator}`);
    audit.append(operator, 'exception.revoked', { app: f.dto.app, target: findingKey, details: { type: f.dto.type } });
  })();
}
