import type { ApiHandlers } from '../../contract/api';
import type { AuditEntryDto } from '../../contract/actions';
import { DriftlineError } from '../errors';
import { acceptFinding, revokeException } from '../findings/exceptions';
import { canonicalJson } from '../audit/canonical-json';
import { getFinding } from '../store/findings.repo';
import type { CoreContext } from './context';

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
      ctx.events.emit('findings.changed', { apps: [findingDto(ctx, input.findingKey).app] });
      return Promise.resolve(findingDto(ctx, input.findingKey));
    },
    'exceptions.revoke': ({ findingKey }) => {
      revokeException(ctx.db, audit, operator, findingKey);
      ctx.events.emit('findings.changed', { apps: [findingDto(ctx, findingKey).app] });
      return Promise.resolve(findingDto(ctx, findingKey));
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
      const v = audit.verify();
      const entries = audit.list();
      const content = `${canonicalJson({ generatedAt: new Date().toISOString(), chainIntact: v.ok, firstBroken: v.firstBroken, head: v.head, entries })}\n`;
      audit.append(operator, 'audit.exported', { app: null, target: null, details: { entries: entries.length, head: v.head } });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
      return Promise.resolve({ fileName: `driftline-audit-${stamp}.json`, mimeType: 'application/json', content });
    },
  };
}
