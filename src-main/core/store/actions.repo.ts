import type { ActionKind, ActionState, PlannedRequestDto } from '../../contract/actions';
import type { ActionPlan } from '../actions/action-plan';
import type { Db } from './database';

export interface ActionRow {
  id: number;
  appConnectionId: number;
  app: string;
  batchId: number | null;
  findingKey: string | null;
  kind: ActionKind;
  state: ActionState;
  plan: ActionPlan;
  sent: PlannedRequestDto | null;
  responseStatus: number | null;
  outcome: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  undoOf: number | null;
  /** The confirmed action that reverted this one, if any. */
  undoneBy: number | null;
  operator: string;
  createdAt: string;
  finishedAt: string | null;
}

interface DbRow {
  id: number;
  appConnectionId: number;
  app: string;
  batchId: number | null;
  findingKey: string | null;
  kind: ActionKind;
  state: ActionState;
  planJson: string;
  requestJson: string | null;
  responseStatus: number | null;
  outcome: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  undoOf: number | null;
  undoneBy: number | null;
  operator: string;
  createdAt: string;
  finishedAt: string | null;
}

const SELECT = `SELECT a.id, a.app_connection_id AS appConnectionId, c.name AS app, a.batch_id AS batchId, a.finding_key AS findingKey,
  a.kind, a.state, a.plan_json AS planJson, a.request_json AS requestJson, a.response_status AS responseStatus, a.outcome,
  a.error_code AS errorCode, a.error_message AS errorMessage, a.undo_of AS undoOf,
  (SELECT u.id FROM actions u WHERE u.undo_of = a.id AND u.state = 'confirmed' LIMIT 1) AS undoneBy, a.operator, a.created_at AS createdAt,
  a.finished_at AS finishedAt
  FROM actions a JOIN connections c ON c.id = a.app_connection_id`;

function toRow(r: DbRow): ActionRow {
  const { planJson, requestJson, ...rest } = r;
  return { ...rest, plan: JSON.parse(planJson) as ActionPlan, sent: requestJson ? (JSON.parse(requestJson) as PlannedRequestDto) : null };
}

/** Journals a plan (state planned) before anything is sent. */
export function insertAction(
  db: Db,
  a: { appConnectionId: number; findingKey: string | null; plan: ActionPlan; operator: string; undoOf?: number | null; batchId?: number | null },
): number {
  const info = db
    .prepare(
      `INSERT INTO actions (app_connection_id, batch_id, finding_key, kind, target_type, target_id, target_label, member_id, state,
         plan_json, pre_image_json, pre_version, undo_of, operator, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      a.appConnectionId,
      a.batchId ?? null,
      a.findingKey,
      a.plan.kind,
      a.plan.targetType,
      a.plan.targetId,
      a.plan.targetLabel,
      a.plan.memberId,
      JSON.stringify(a.plan),
      JSON.stringify(a.plan.preImage),
      a.plan.preVersion,
      a.undoOf ?? null,
      a.operator,
      new Date().toISOString(),
    );
  return Number(info.lastInsertRowid);
}

export function getAction(db: Db, id: number): ActionRow | undefined {
  const row = db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as DbRow | undefined;
  return row ? toRow(row) : undefined;
}

export function listActions(db: Db, filter: { findingKey?: string; batchId?: number; states?: ActionState[]; limit?: number } = {}): ActionRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.findingKey !== undefined) {
    where.push('a.finding_key = ?');
    params.push(filter.findingKey);
  }
  if (filter.batchId !== undefined) {
    where.push('a.batch_id = ?');
    params.push(filter.batchId);
  }
  if (filter.states) {
    where.push(`a.state IN (${filter.states.map(() => '?').join(', ') || "''"})`);
    params.push(...filter.states);
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ?`;
  return (db.prepare(sql).all(...params, filter.limit ?? 500) as DbRow[]).map(toRow);
}

/** How far a batch has got: its items by state, counted in SQL (read after every item of a bulk fix). */
export function batchCounts(db: Db, batchId: number): { total: number; done: number; confirmed: number } {
  return db
    .prepare(
      `SELECT count(*) AS total, count(*) FILTER (WHERE state NOT IN ('planned', 'sent')) AS done,
         count(*) FILTER (WHERE state = 'confirmed') AS confirmed
       FROM actions WHERE batch_id = ?`,
    )
    .get(batchId) as { total: number; done: number; confirmed: number };
}

export function markSent(db: Db, id: number, request: PlannedRequestDto): void {
  const info = db
    .prepare(`UPDATE actions SET state = 'sent', request_json = ?, sent_at = ? WHERE id = ? AND state IN ('planned', 'sent')`)
    .run(JSON.stringify(request), new Date().toISOString(), id);
  if (info.changes !== 1) throw new Error(`action ${id} is not ready to send`);
}

export function finishAction(
  db: Db,
  id: number,
  outcome: { state: ActionState; responseStatus?: number | null; outcome: string; error?: { code: string; message: string } | null },
): void {
  db.prepare(
    `UPDATE actions SET state = ?, response_status = coalesce(?, response_status), outcome = ?, error_code = ?, error_message = ?, finished_at = ?
     WHERE id = ?`,
  ).run(
    outcome.state,
    outcome.responseStatus ?? null,
    outcome.outcome,
    outcome.error?.code ?? null,
    outcome.error?.message ?? null,
    outcome.state === 'sent' || outcome.state === 'unknown' ? null : new Date().toISOString(),
    id,
  );
}

export function createBatch(db: Db, b: { appConnectionId: number; operator: string; itemCount: number; threshold: number; confirmedByName: boolean }): number {
  return Number(
    db
      .prepare('INSERT INTO action_batches (app_connection_id, created_at, operator, item_count, threshold, confirmed_by_name) VALUES (?, ?, ?, ?, ?, ?)')
      .run(b.appConnectionId, new Date().toISOString(), b.operator, b.itemCount, b.threshold, b.confirmedByName ? 1 : 0).lastInsertRowid,
  );
}

export function assignBatch(db: Db, actionIds: readonly number[], batchId: number): void {
  const stmt = db.prepare('UPDATE actions SET batch_id = ? WHERE id = ?');
  for (const id of actionIds) stmt.run(batchId, id);
}
