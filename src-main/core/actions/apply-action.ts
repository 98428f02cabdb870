import type { ActionState, PlannedRequestDto } from '../../contract/actions';
import type { AuditLog } from '../audit/audit-log';
import type { ScimAppConfig } from '../config/schema';
import { DriftlineError, isDriftlineError, toErrorInfo } from '../errors';
import { HttpStatusError } from '../http/http-errors';
import type { HttpClient } from '../http/types';
import { getCI, stringOrNull, type JsonObject } from '../scim/attribute-access';
import { finishAction, getAction, markSent, type ActionRow } from '../store/actions.repo';
import type { Db } from '../store/database';
import { markFindingFixed, setFindingStatus } from '../store/findings.repo';
import type { ActionPlan } from './action-plan';
import { changedSincePlan, putBody, satisfies } from './scim-write';

export interface ApplyDeps {
  db: Db;
  audit: AuditLog;
  /** The app's SCIM client (its credentials, limits and CA); writes are never retried by it. */
  http: HttpClient;
  config: ScimAppConfig;
  capabilities: { patch: boolean | null; etag: boolean | null };
  operator: string;
  signal?: AbortSignal;
}

export interface ApplyResult {
  state: ActionState;
  outcome: string;
  /** The request sent, or (dry run) the one that would be sent. */
  request: PlannedRequestDto | null;
  responseStatus: number | null;
  error: { code: string; message: string } | null;
}

interface Current {
  resource: unknown;
  /** ETag header or meta.version. */
  version: string | null;
}

async function read(deps: ApplyDeps, plan: ActionPlan): Promise<Current> {
  const res = await deps.http.request({ method: 'GET', url: plan.request.url, allowStatus: [404], ...(deps.signal ? { signal: deps.signal } : {}) });
  if (res.status === 404) return { resource: null, version: null };
  return { resource: res.body, version: res.headers.get('etag') ?? stringOrNull(getCI(getCI(res.body, 'meta'), 'version')) };
}

/** The request to send now: PATCH as planned, or PUT built from the fresh read; If-Match from the fresh version. */
function buildRequest(deps: ApplyDeps, plan: ActionPlan, current: Current, method: PlannedRequestDto['method']): PlannedRequestDto {
  const useIfMatch = deps.config.writes.ifMatch === 'auto' && deps.capabilities.etag === true && current.version !== null;
  // Membership PATCHes are idempotent by value and groups change constantly: no If-Match there.
  const ifMatch: Record<string, string> = useIfMatch && !(method === 'PATCH' && plan.targetType === 'Group') ? { 'If-Match': current.version ?? '' } : {};
  if (method === 'DELETE') return { method, url: plan.request.url, headers: ifMatch, body: null, note: null };
  const headers = { 'Content-Type': 'application/scim+json', ...ifMatch };
  if (method === 'PUT') {
    return { method, url: plan.request.url, headers, body: putBody(current.resource as JsonObject, plan.expected), note: 'Built from the resource read just before sending.' };
  }
  return { method, url: plan.request.url, headers, body: plan.request.body, note: null };
}

async function send(deps: ApplyDeps, req: PlannedRequestDto): Promise<number> {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
  const contentType = req.headers['Content-Type'];
  const res = await deps.http.request({
    method: req.method,
    url: req.url,
    headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(req.body === null ? {} : { json: req.body }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  return res.status;
}

/**
 * Plan → apply → verify for one journaled action:
 * re-read the target; already in the desired state → done without a write; changed since the
 * snapshot → stale, nothing sent; otherwise journal "sent" (committed before the request leaves),
 * send exactly once, and read back to confirm. A dry run stops before the write: GETs only.
 */
export async function applyAction(deps: ApplyDeps, actionId: number, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
  const row = getAction(deps.db, actionId);
  if (!row) throw new DriftlineError('invalid_argument', `No action ${actionId}.`);
  if (row.state !== 'planned') throw new DriftlineError('invalid_argument', `Action ${actionId} is ${row.state}; plan it again to retry.`);
  const plan = row.plan;

  const finish = (state: ActionState, outcome: string, extra: Partial<ApplyResult> = {}): ApplyResult => {
    const result: ApplyResult = { state, outcome, request: extra.request ?? null, responseStatus: extra.responseStatus ?? null, error: extra.error ?? null };
    deps.db.transaction(() => {
      finishAction(deps.db, actionId, { state, responseStatus: result.responseStatus, outcome, error: result.error });
      deps.audit.append(deps.operator, 'action.outcome', {
        app: row.app,
        target: targetOf(row.plan),
        details: { actionId, kind: plan.kind, state, outcome, responseStatus: result.responseStatus, error: result.error },
      });
      if (state === 'confirmed' && row.findingKey) settleFinding(deps.db, row, actionId);
    })();
    return result;
  };

  const current = await read(deps, plan);
  if (satisfies(plan.expected, current.resource)) {
    if (options.dryRun) return { state: 'planned', outcome: 'Already in the desired state: nothing would be sent.', request: null, responseStatus: null, error: null };
    return finish('confirmed', 'Already in the desired state: nothing was sent.');
  }
  if (current.resource === null) {
    if (options.dryRun) return { state: 'planned', outcome: 'The target no longer exists in the app.', request: null, responseStatus: null, error: null };
    return finish('stale', 'The target no longer exists in the app; nothing was sent. Sync again to refresh the findings.');
  }
  if (changedSincePlan(plan, current.resource)) {
    const message = 'The target changed in the app since the snapshot this plan was made from; nothing was sent. Sync and plan again.';
    if (options.dryRun) return { state: 'planned', outcome: message, request: null, responseStatus: null, error: null };
    return finish('stale', message);
  }

  const method = plan.request.method === 'PATCH' && deps.config.writes.method !== 'put' && deps.capabilities.patch !== false ? 'PATCH' : plan.request.method;
  let request = buildRequest(deps, plan, current, method);
  if (options.dryRun) {
    return { state: 'planned', outcome: `Checks passed: the target is unchanged. Would send ${request.method} ${request.url}.`, request, responseStatus: null, error: null };
  }

  const journalSent = (req: PlannedRequestDto): void =>
    deps.db.transaction(() => {
      markSent(deps.db, actionId, req);
      deps.audit.append(deps.operator, 'action.sent', { app: row.app, target: targetOf(row.plan), details: { actionId, kind: plan.kind, request: req } });
    })();

  journalSent(request);
  let status: number;
  try {
    status = await send(deps, request);
  } catch (err) {
    const fallback = await recoverFromRejection(deps, plan, request, err);
    if (fallback === 'verify') return verify(deps, plan, finish, request, null, 'The app reported the change as not applicable (noTarget); ');
    if (fallback) {
      request = fallback;
      journalSent(request);
      try {
        status = await send(deps, request);
      } catch (second) {
        return failed(deps, plan, finish, request, second);
      }
    } else {
      return failed(deps, plan, finish, request, err);
    }
  }
  return verify(deps, plan, finish, request, status, '');
}

/**
 * Rejections that prove nothing was written, and what to do instead: 405/501 on PATCH → PUT built
 * from a fresh read; 415 → the same request as application/json; noTarget on a member removal →
 * read back (already removed). Anything else: no second request.
 */
async function recoverFromRejection(
  deps: ApplyDeps,
  plan: ActionPlan,
  request: PlannedRequestDto,
  err: unknown,
): Promise<PlannedRequestDto | 'verify' | null> {
  if (!(err instanceof HttpStatusError)) return null;
  if (err.status === 400 && err.scimType?.toLowerCase() === 'notarget' && plan.kind === 'remove_member') return 'verify';
  if ((err.status === 405 || err.status === 501) && request.method === 'PATCH') {
    const fresh = await read(deps, plan);
    if (fresh.resource === null || changedSincePlan(plan, fresh.resource)) return null;
    return buildRequest(deps, plan, fresh, 'PUT');
  }
  if (err.status === 415 && request.headers['Content-Type'] === 'application/scim+json') {
    return { ...request, headers: { ...request.headers, 'Content-Type': 'application/json' } };
  }
  return null;
}

type Finish = (state: ActionState, outcome: string, extra?: Partial<ApplyResult>) => ApplyResult;

async function verify(deps: ApplyDeps, plan: ActionPlan, finish: Finish, request: PlannedRequestDto, status: number | null, prefix: string): Promise<ApplyResult> {
  let after: Current;
  try {
    after = await read(deps, plan);
  } catch (err) {
    return finish('unknown', `${prefix}The write was accepted${status ? ` (HTTP ${status})` : ''} but reading it back failed: ${toErrorInfo(err).message} It will be checked again; it will not be resent.`, {
      request,
      responseStatus: status,
      error: toErrorInfo(err),
    });
  }
  if (satisfies(plan.expected, after.resource)) {
    return finish('confirmed', `${prefix}Confirmed by reading the target back${status ? ` (HTTP ${status})` : ''}.`, { request, responseStatus: status });
  }
  return finish('failed', `The app answered${status ? ` HTTP ${status}` : ''} but reading the target back shows the change is not there.`, {
    request,
    responseStatus: status,
    error: { code: 'write_not_applied', message: 'The app accepted the write but did not apply it.' },
  });
}

async function failed(deps: ApplyDeps, plan: ActionPlan, finish: Finish, request: PlannedRequestDto, err: unknown): Promise<ApplyResult> {
  const info = toErrorInfo(err);
  const status = isDriftlineError(err) ? (err.status ?? null) : null;
  if (info.code === 'timeout' || info.code === 'network_error' || info.code === 'cancelled') {
    // The request may or may not have been applied: settle it by reading, never by sending again.
    try {
      const after = await read(deps, plan);
      if (satisfies(plan.expected, after.resource)) {
        return finish('confirmed', `The request ended with "${info.message}", but reading the target back shows the change was applied.`, { request, error: info });
      }
      return finish('failed', `The request ended with "${info.message}"; reading the target back shows the change was not applied. It was not resent.`, { request, error: info });
    } catch {
      return finish('unknown', `The request ended with "${info.message}" and the target could not be read back. It will be checked again; it will not be resent.`, { request, error: info });
    }
  }
  if (status === 412) {
    return finish('failed', 'The app refused the write because the target changed since it was read (412 Precondition Failed). Nothing was changed; sync and plan again.', {
      request,
      responseStatus: 412,
      error: info,
    });
  }
  return finish('failed', `The app refused the write: ${info.message}`, { request, responseStatus: status, error: info });
}

/** A confirmed fix marks its finding fixed; a confirmed undo brings the drift back, so it reopens. */
function settleFinding(db: Db, row: ActionRow, actionId: number): void {
  if (!row.findingKey) return;
  if (row.undoOf !== null) setFindingStatus(db, row.findingKey, 'open', `fix undone by action ${actionId}: ${row.plan.summary}`);
  else markFindingFixed(db, row.findingKey, `fixed by action ${actionId}: ${row.plan.summary}`);
}

/** How the audit log names a write's target: `User/<id>`, or `Group/<id> member <id>`. */
export function targetOf(plan: ActionPlan): string {
  return plan.memberId ? `${plan.targetType}/${plan.targetId} member ${plan.memberId}` : `${plan.targetType}/${plan.targetId}`;
}

/** Settles an action left "sent" or "unknown" (crash, timeout) by reading the target: never by resending. */
export async function reconcileAction(deps: ApplyDeps, row: ActionRow): Promise<ActionState> {
  const current = await read(deps, row.plan);
  const applied = satisfies(row.plan.expected, current.resource);
  const state: ActionState = applied ? 'confirmed' : 'failed';
  const outcome = applied
    ? 'Settled after an interruption: reading the target back shows the change was applied.'
    : 'Settled after an interruption: reading the target back shows the change was not applied. It was not resent.';
  deps.db.transaction(() => {
    finishAction(deps.db, row.id, { state, outcome, error: applied ? null : { code: 'write_not_applied', message: 'Not applied; not resent.' } });
    deps.audit.append(deps.operator, 'action.outcome', { app: row.app, target: targetOf(row.plan), details: { actionId: row.id, kind: row.plan.kind, state, outcome, reconciled: true } });
    if (applied && row.findingKey) settleFinding(deps.db, row, row.id);
  })();
  return state;
}
