import type { ApiHandlers } from '../../contract/api';
import type { AuditEntryDto } from '../../contract/actions';
import { DriftlineError } from '../errors';
import { acceptFinding, revokeException } from '../findings/exceptions';
import { exportAuditLog } from '../audit/audit-log';
import { getFinding } from '../store/findings.repo';
import type { CoreContext } from './context';
import { exportName } from './export-name';

type ActionHandlers = Pick<
  ApiHandlers,
  | 'actions.plan'
  | 'actions.planBulk'
  | 'actions.dryRun'
  | 'actions.apply'
  | 'actions.applyBatch'
  | 'actions.cancelBatch'
  | 'actions.retryFailed'
  | 'actions.undo'
  | 'actions.cancel'
  | 'actions.list'
  | 'exceptions.accept'
  | 'exceptions.revoke'
  | 'audit.list'
  | 'audit.verify'
  | 'audit.export'
>;

function findingDto(ctx: CoreContext, key: string) {
  const f = getFinding(ctx.db, key);
  if (!f) throw new DriftlineError('invalid_argument', `No finding ${key}.`);
  return f.dto;
}

export function actionHandlers(ctx: CoreContext): ActionHandlers {
  const { actions, audit, operator } = ctx;
  return {
    'actions.plan': ({ findingKey, kind, targetId }) =>
      Promise.resolve(actions.plan(findingKey, { ...(kind ? { kind } : {}), ...(targetId ? { targetId } : {}) })),
    'actions.planBulk': ({ findingKeys }) => Promise.resolve(actions.planBulk(findingKeys)),
    'actions.dryRun': async ({ actionId }) => {
      const r = await actions.dryRun(actionId);
      return { outcome: r.outcome, request: r.request };
    },
    'actions.apply': ({ actionId, confirmName }) => actions.apply(actionId, confirmName),
    'actions.applyBatch': ({ actionIds, confirmName }) => Promise.resolve({ batchId: actions.applyBatch(actionIds, confirmName) }),
    'actions.cancelBatch': ({ batchId }) => Promise.resolve({ cancelled: actions.cancelBatch(batchId) }),
    'actions.retryFailed': ({ batchId }) => Promise.resolve(actions.retryFailed(batchId)),
    'actions.undo': ({ actionId }) => actions.undo(actionId),
    'actions.cancel': ({ actionId }) => {
      actions.cancelPlanned(actionId, 'withdrawn by the admin');
      ctx.events.emit('actions.changed', { ids: [actionId] });
      return Promise.resolve(actions.get(actionId));
    },
    'actions.list': (args) => Promise.resolve(actions.list(args ?? {})),
    'exceptions.accept': (input) => {
      acceptFinding(ctx.db, audit, operator, input);
      const finding = findingDto(ctx, input.findingKey);
      ctx.events.emit('findings.changed', { apps: [finding.app] });
      return Promise.resolve(finding);
    },
    'exceptions.revoke': ({ findingKey }) => {
      revokeException(ctx.db, audit, operator, findingKey);
      const finding = findingDto(ctx, findingKey);
      ctx.events.emit('findings.changed', { apps: [finding.app] });
      return Promise.resolve(finding);
    },
    'audit.list': (args) => {
      const rows = args?.beforeSeq !== undefined || args?.afterSeq === undefined ? audit.listNewest({ beforeSeq: args?.beforeSeq, limit: args?.limit ?? 200 }) : audit.list(args);
      return Promise.resolve({
        total: audit.count(),
        entries: rows.map(
          (r): AuditEntryDto => ({ seq: r.seq, at: r.at, operator: r.operator, kind: r.kind, app: r.entry.app, target: r.entry.target, details: r.entry.details, hash: r.hash }),
        ),
      });
    },
    'audit.verify': () => {
      const v = audit.verify();
      return Promise.resolve({ ok: v.ok, entries: v.entries, headHash: v.head?.hash ?? null, firstBroken: v.firstBroken, notes: v.notes });
    },
    'audit.export': () => {
      const { content } = exportAuditLog(audit, operator);
      return Promise.resolve({ fileName: exportName('audit', 'json'), mimeType: 'application/json', content });
    },
  };
}
