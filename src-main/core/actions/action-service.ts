import type { ActionDto, ActionKind, BatchProgressDto, BulkPlanDto } from '../../contract/actions';
import type { AuditLog } from '../audit/audit-log';
import { scimAppSchema, type ScimAppConfig } from '../config/schema';
import { createScimHttpClient } from '../connectors/scim/scim-connector';
import type { HttpClientFactory } from '../connectors/types';
import { DriftlineError, toErrorInfo } from '../errors';
import type { EventHub } from '../events';
import type { Logger, SecretStore } from '../ports';
import { getCI, isObject, parseActive } from '../scim/attribute-access';
import { parseScimPath, readScimPath } from '../scim/scim-path';
import { scimValueText } from '../scim/scim-path';
import { assignBatch, batchCounts, createBatch, getAction, insertAction, listActions, type ActionRow } from '../store/actions.repo';
import { recordAtRun } from '../store/analysis.repo';
import { listConnections, type ConnectionRow } from '../store/connections.repo';
import type { Db } from '../store/database';
import { getFinding, type FindingRecord } from '../store/findings.repo';
import { getRun, latestCompleteRun } from '../store/runs.repo';
import { runBounded } from '../util/concurrency';
import type { ActionPlan, Expectation } from './action-plan';
import { applyAction, reconcileAction, targetOf, type ApplyDeps, type ApplyResult } from './apply-action';
import { planForFinding } from './plan-finding';
import { patchBody } from './scim-write';

export interface ActionServiceDeps {
  db: Db;
  audit: AuditLog;
  secrets: SecretStore;
  createHttpClient: HttpClientFactory;
  logger: Logger;
  events: EventHub;
  operator: string;
}

interface AppContext {
  row: ConnectionRow;
  config: ScimAppConfig;
  capabilities: { patch: boolean | null; etag: boolean | null };
}

export function toActionDto(row: ActionRow): ActionDto {
  return {
    id: row.id,
    app: row.app,
    kind: row.kind,
    state: row.state,
    findingKey: row.findingKey,
    batchId: row.batchId,
    targetType: row.plan.targetType,
    targetId: row.plan.targetId,
    targetLabel: row.plan.targetLabel,
    memberId: row.plan.memberId,
    summary: row.plan.summary,
    request: row.plan.request,
    sent: row.sent,
    responseStatus: row.responseStatus,
    outcome: row.outcome,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    undoOf: row.undoOf,
    undoneBy: row.undoneBy,
    // A write that found the target already right sent nothing; reverting "from the pre-image"
    // would then change the app rather than restore it.
    undoable: row.state === 'confirmed' && row.kind !== 'delete_account' && row.sent !== null && row.undoneBy === null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function appContext(db: Db, connectionId: number): AppContext {
  const row = listConnections(db).find((c) => c.id === connectionId);
  if (!row || row.role !== 'app') throw new DriftlineError('invalid_argument', 'The finding belongs to an app that is no longer configured.');
  const config = scimAppSchema.parse(JSON.parse(row.configJson));
  const caps = row.capabilitiesJson ? (JSON.parse(row.capabilitiesJson) as Record<string, unknown>) : {};
  return {
    row,
    config,
    capabilities: { patch: parseActive(caps.patch), etag: parseActive(caps.etag) },
  };
}

/** The bulk size above which the admin must type the app's name: min(items, percent of the app's accounts). */
export function bulkThreshold(config: ScimAppConfig, accounts: number): number {
  return Math.min(config.writes.bulkThreshold.items, Math.max(1, Math.floor((accounts * config.writes.bulkThreshold.percent) / 100)));
}

/**
 * Remediation: plans from findings, previews, applies with journal and audit, bulk batches with
 * bounded concurrency and a typed-confirmation threshold, undo from pre-images, and settling of
 * writes interrupted by a crash or timeout.
 */
export function createActionService(deps: ActionServiceDeps) {
  const { db, audit, operator } = deps;
  const cancelled = new Set<number>();
  const running = new Map<number, Promise<void>>();

  const journalPlan = (app: AppContext, plan: ActionPlan, findingKey: string | null, undoOf: number | null = null): ActionRow => {
    const id = db.transaction(() => {
      const actionId = insertAction(db, { appConnectionId: app.row.id, findingKey, plan, operator, undoOf });
      audit.append(operator, 'action.planned', {
        app: app.row.name,
        target: targetOf(plan),
        details: { actionId, kind: plan.kind, findingKey, summary: plan.summary, request: plan.request, undoOf },
      });
      return actionId;
    })();
    const row = getAction(db, id);
    if (!row) throw new DriftlineError('internal', 'The plan was not journaled.');
    return row;
  };

  const planOne = (f: FindingRecord, app: AppContext, options: { kind?: ActionKind; targetId?: string } = {}): { row: ActionRow } | { unfixable: string } => {
    if (f.dto.status !== 'open' && f.dto.status !== 'accepted') return { unfixable: `The finding is ${f.dto.status}; only open findings are fixed.` };
    const appRef = f.appRunId === null ? null : { connectionId: f.appConnectionId, runId: f.appRunId };
    const idpRun = f.idpRunId === null ? undefined : getRun(db, f.idpRunId);
    const groupId = isObject(f.details.group) ? String(f.details.group.id ?? '') : '';
    const targetId = options.targetId ?? f.dto.appId?.split(',')[0];
    const appRecord = appRef && targetId ? recordAtRun(db, appRef, targetId) : undefined;
    const groupRecord = appRef && groupId ? recordAtRun(db, appRef, groupId) : undefined;
    const idpRecord = idpRun && f.dto.idpId ? recordAtRun(db, { connectionId: idpRun.connectionId, runId: idpRun.id }, f.dto.idpId) : undefined;
    const outcome = planForFinding({
      finding: f.dto,
      details: f.details,
      config: app.config,
      capabilities: app.capabilities,
      appRecord: appRecord && appRecord.kind === 'user' ? { raw: appRecord.raw, user: appRecord.user } : null,
      idpUser: idpRecord?.user ?? null,
      groupRecord: groupRecord && groupRecord.kind === 'group' ? { id: groupId, raw: groupRecord.raw } : null,
      ...(options.kind ? { kind: options.kind } : {}),
      ...(options.targetId ? { targetId: options.targetId } : {}),
    });
    if ('unfixable' in outcome) return outcome;
    return { row: journalPlan(app, outcome.plan, f.dto.key) };
  };

  const withApp = async <T>(appConnectionId: number, work: (d: ApplyDeps) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const app = appContext(db, appConnectionId);
    const http = await createScimHttpClient(app.config, { secrets: deps.secrets, createHttpClient: deps.createHttpClient });
    try {
      return await work({ db, audit, http, config: app.config, capabilities: app.capabilities, operator, ...(signal ? { signal } : {}) });
    } finally {
      await http.close();
    }
  };

  const requireConfirmation = (row: ActionRow, confirmName: string | undefined): void => {
    if (row.kind === 'delete_account' && confirmName?.trim().toLowerCase() !== row.app.toLowerCase()) {
      throw new DriftlineError('confirmation_required', `Deleting an account cannot be undone: type the app's name ("${row.app}") to confirm.`);
    }
  };

  const progressOf = (batchId: number, app: string, running: boolean): BatchProgressDto => {
    const { total, done, confirmed } = batchCounts(db, batchId);
    return { batchId, app, total, done, confirmed, failed: done - confirmed, running };
  };

  const thresholdFor = (app: AppContext): number => bulkThreshold(app.config, latestCompleteRun(db, app.row.id)?.userCount ?? 0);

  return {
    plan(findingKey: string, options: { kind?: ActionKind; targetId?: string } = {}): ActionDto {
      const f = getFinding(db, findingKey);
      if (!f) throw new DriftlineError('invalid_argument', `No finding ${findingKey}.`);
      const out = planOne(f, appContext(db, f.appConnectionId), options);
      if ('unfixable' in out) throw new DriftlineError('invalid_argument', out.unfixable);
      return toActionDto(out.row);
    },

    planBulk(findingKeys: readonly string[]): BulkPlanDto {
      const actions: ActionDto[] = [];
      const skipped: BulkPlanDto['skipped'] = [];
      let app: AppContext | null = null;
      for (const key of findingKeys) {
        const f = getFinding(db, key);
        if (!f) {
          skipped.push({ key, reason: 'No such finding.' });
          continue;
        }
        app ??= appContext(db, f.appConnectionId);
        if (f.appConnectionId !== app.row.id) {
          skipped.push({ key, reason: 'A bulk fix applies to one app at a time.' });
          continue;
        }
        const out = planOne(f, app);
        if ('unfixable' in out) skipped.push({ key, reason: out.unfixable });
        else actions.push(toActionDto(out.row));
      }
      if (app === null) throw new DriftlineError('invalid_argument', 'None of the selected findings exist.');
      const threshold = thresholdFor(app);
      const byKind: BulkPlanDto['byKind'] = {};
      for (const a of actions) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
      return { app: app.row.name, actions, skipped, threshold, requiresTypedConfirmation: actions.length > threshold, byKind };
    },

    async dryRun(actionId: number): Promise<ApplyResult> {
      const row = getAction(db, actionId);
      if (!row) throw new DriftlineError('invalid_argument', `No action ${actionId}.`);
      return withApp(row.appConnectionId, (d) => applyAction(d, actionId, { dryRun: true }));
    },

    async apply(actionId: number, confirmName?: string): Promise<ActionDto> {
      const row = getAction(db, actionId);
      if (!row) throw new DriftlineError('invalid_argument', `No action ${actionId}.`);
      requireConfirmation(row, confirmName);
      await withApp(row.appConnectionId, (d) => applyAction(d, actionId));
      deps.events.emit('actions.changed', { ids: [actionId] });
      deps.events.emit('findings.changed', { apps: [row.app] });
      return toActionDto(getAction(db, actionId) ?? row);
    },

    /** Starts a bulk fix in the background; progress and per-item outcomes arrive as events. */
    applyBatch(actionIds: readonly number[], confirmName?: string): number {
      const rows = actionIds.map((id) => getAction(db, id));
      if (rows.length === 0 || rows.some((r) => !r || r.state !== 'planned')) {
        throw new DriftlineError('invalid_argument', 'Every action in a batch must exist and be planned (not yet applied).');
      }
      const actions = rows as ActionRow[];
      const appId = actions[0]?.appConnectionId ?? 0;
      if (actions.some((a) => a.appConnectionId !== appId)) throw new DriftlineError('invalid_argument', 'A bulk fix applies to one app at a time.');
      const app = appContext(db, appId);
      const threshold = thresholdFor(app);
      const typed = confirmName?.trim().toLowerCase() === app.row.name.toLowerCase();
      if ((actions.length > threshold || actions.some((a) => a.kind === 'delete_account')) && !typed) {
        throw new DriftlineError(
          'confirmation_required',
          `This bulk fix changes ${actions.length} items in ${app.row.name} (the confirmation threshold is ${threshold}): type the app's name ("${app.row.name}") to confirm.`,
        );
      }
      const batchId = db.transaction(() => {
        const id = createBatch(db, { appConnectionId: appId, operator, itemCount: actions.length, threshold, confirmedByName: typed });
        assignBatch(db, actionIds, id);
        audit.append(operator, 'batch.confirmed', {
          app: app.row.name,
          target: null,
          details: { batchId: id, actionIds, threshold, typedConfirmation: typed },
        });
        return id;
      })();
      const abort = new AbortController();
      const work = withApp(
        appId,
        (d) =>
          runBounded(actions, app.config.writes.concurrency, abort.signal, async (a) => {
            if (cancelled.has(batchId)) return;
            try {
              await applyAction(d, a.id);
            } catch (err) {
              deps.logger.warn('bulk item failed', { actionId: a.id, code: toErrorInfo(err).code });
            }
            deps.events.emit('actions.changed', { ids: [a.id] });
            deps.events.emit('actions.progress', progressOf(batchId, app.row.name, true));
          }),
        abort.signal,
      )
        .catch((err: unknown) => deps.logger.error('bulk fix stopped', { batchId, message: toErrorInfo(err).message }))
        .finally(() => {
          const leftover = listActions(db, { batchId, states: ['planned'], limit: 100_000 });
          for (const a of leftover) this.cancelPlanned(a.id, 'bulk fix cancelled before it was sent');
          if (leftover.length > 0) deps.events.emit('actions.changed', { ids: leftover.map((a) => a.id) });
          deps.events.emit('findings.changed', { apps: [app.row.name] });
          running.delete(batchId);
          cancelled.delete(batchId);
          deps.events.emit('actions.progress', progressOf(batchId, app.row.name, false));
        });
      running.set(batchId, work);
      return batchId;
    },

    cancelBatch(batchId: number): boolean {
      if (!running.has(batchId)) return false;
      cancelled.add(batchId);
      return true;
    },

    /** New plans for the failed, stale or cancelled items of a batch. */
    retryFailed(batchId: number): BulkPlanDto {
      const keys = listActions(db, { batchId, states: ['failed', 'stale', 'cancelled'], limit: 100_000 })
        .map((a) => a.findingKey)
        .filter((k): k is string => k !== null);
      if (keys.length === 0) throw new DriftlineError('invalid_argument', 'Nothing in that batch failed.');
      return this.planBulk(keys);
    },

    /** A new plan that reverts a confirmed action from its pre-image, checked against a fresh read. */
    async undo(actionId: number): Promise<ActionDto> {
      const row = getAction(db, actionId);
      if (!row || row.state !== 'confirmed') throw new DriftlineError('invalid_argument', 'Only a confirmed action can be undone.');
      if (row.kind === 'delete_account') throw new DriftlineError('invalid_argument', 'A deleted account cannot be restored by Driftline.');
      if (row.sent === null) throw new DriftlineError('invalid_argument', 'Nothing was sent for this action (the target was already right), so there is nothing to undo.');
      if (row.undoneBy !== null) throw new DriftlineError('invalid_argument', `This action was already undone by action ${row.undoneBy}.`);
      const app = appContext(db, row.appConnectionId);
      const now = await withApp(row.appConnectionId, async (d) => {
        const res = await d.http.request({ method: 'GET', url: row.plan.request.url });
        return res.body;
      });
      const before = row.plan.preImage;
      let expected: Expectation;
      let kind: ActionKind;
      let summary: string;
      const e = row.plan.expected;
      if (e.type === 'active') {
        const original = parseActive(getCI(before, 'active')) ?? !e.value;
        expected = { type: 'active', value: original };
        kind = original ? 'reactivate' : 'deactivate';
        summary = `Undo: ${original ? 'reactivate' : 'deactivate'} "${row.plan.targetLabel}" in ${app.row.name}`;
      } else if (e.type === 'member') {
        expected = { type: 'member', memberId: e.memberId, present: !e.present };
        kind = e.present ? 'remove_member' : 'add_member';
        summary = `Undo: ${e.present ? 'remove' : 'add back'} member ${e.memberId} ${e.present ? 'from' : 'to'} "${row.plan.targetLabel}" in ${app.row.name}`;
      } else if (e.type === 'attributes') {
        expected = {
          type: 'attributes',
          values: e.values.map((v) => ({ ...v, value: scimValueText(readScimPath(before, parseScimPath(v.path))) })),
        };
        kind = 'patch_attributes';
        summary = `Undo: restore ${e.values.map((v) => v.path).join(', ')} of "${row.plan.targetLabel}" in ${app.row.name}`;
      } else {
        throw new DriftlineError('invalid_argument', 'This action cannot be undone.');
      }
      const version = getCI(getCI(now, 'meta'), 'version');
      const plan: ActionPlan = {
        ...row.plan,
        kind,
        summary,
        expected,
        preImage: now,
        preVersion: typeof version === 'string' ? version : null,
        request: { ...row.plan.request, body: patchBody(expected, app.config.writes) },
      };
      return toActionDto(journalPlan(app, plan, row.findingKey, row.id));
    },

    /** Withdraws a plan that will not be applied (declined, dry run), on the record. */
    cancelPlanned(actionId: number, why: string): void {
      const row = getAction(db, actionId);
      if (!row || row.state !== 'planned') return;
      db.transaction(() => {
        db.prepare(`UPDATE actions SET state = 'cancelled', outcome = ?, finished_at = ? WHERE id = ? AND state = 'planned'`).run(
          `Not applied (${why}).`,
          new Date().toISOString(),
          actionId,
        );
        audit.append(operator, 'action.cancelled', { app: row.app, target: targetOf(row.plan), details: { actionId, why } });
      })();
    },

    get(actionId: number): ActionDto {
      const row = getAction(db, actionId);
      if (!row) throw new DriftlineError('invalid_argument', `No action ${actionId}.`);
      return toActionDto(row);
    },

    list(filter: { findingKey?: string; batchId?: number; limit?: number }): ActionDto[] {
      return listActions(db, filter).map(toActionDto);
    },

    /** Settles every action a crash or timeout left "sent" or "unknown", by reading its target. */
    async reconcilePending(): Promise<number> {
      const pending = listActions(db, { states: ['sent', 'unknown'], limit: 100_000 });
      for (const row of pending) {
        try {
          await withApp(row.appConnectionId, (d) => reconcileAction(d, row));
        } catch (err) {
          deps.logger.warn('could not settle an interrupted action yet', { actionId: row.id, code: toErrorInfo(err).code });
        }
      }
      return pending.length;
    },

    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}

export type ActionService = ReturnType<typeof createActionService>;
