import { z } from 'zod';
import type {
  AppInfoDto,
  ConnectionDto,
  ConnectionTestDto,
  DashboardDto,
  ExportFileDto,
  FindingDetailDto,
  RunDto,
  SyncStatusDto,
} from './dto';
import { ACTION_KINDS, type ActionDto, type AuditEntryDto, type AuditVerificationDto, type BulkPlanDto, type PlannedRequestDto } from './actions';
import type { ErrorInfo } from './errors';
import { FINDING_STATUSES, FINDING_TYPES, SEVERITIES, type FindingDto } from './findings';

// The one API every shell carries: a map 'domain.verb' → argument schema, and the result types.
// transport/dispatch.ts validates arguments against these schemas before any handler runs.

const noArgs = z.strictObject({}).optional();
const name = z.string().min(1).max(200);

const findingKey = z.string().regex(/^F-[0-9a-f]{16}$/);
const actionId = z.number().int().min(1);

const findingQuery = z.strictObject({
  app: name.optional(),
  types: z.array(z.enum(FINDING_TYPES)).max(FINDING_TYPES.length).optional(),
  statuses: z.array(z.enum(FINDING_STATUSES)).max(FINDING_STATUSES.length).optional(),
  severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).optional(),
});

/** Argument schemas, by method. */
export const API_ARGS = {
  'app.info': noArgs,
  'connections.list': noArgs,
  /** Create or update a connection. Secret values are write-only: stored, never returned. */
  'connections.save': z.strictObject({
    previousName: name.optional(),
    config: z.record(z.string(), z.unknown()),
    secrets: z.record(z.string().max(100), z.string().max(100_000)).optional(),
  }),
  'connections.delete': z.strictObject({ name }),
  'connections.test': z.strictObject({ name }),
  'demo.open': noArgs,
  'sync.start': z.strictObject({ names: z.array(name).max(100).optional() }).optional(),
  'sync.cancel': z.strictObject({ name: name.optional() }).optional(),
  'sync.status': noArgs,
  'runs.list': z.strictObject({ name: name.optional(), limit: z.number().int().min(1).max(1000).optional() }).optional(),
  'dashboard.get': noArgs,
  'findings.list': findingQuery.optional(),
  'findings.get': z.strictObject({ key: findingKey }),
  'findings.export': z.strictObject({
    query: findingQuery.optional(),
    /** Limit to these findings (the current filtered view). */
    keys: z.array(findingKey).max(1_000_000).optional(),
    format: z.enum(['csv', 'json']),
  }),
  /** Plans the write that fixes a finding; nothing is sent. */
  'actions.plan': z.strictObject({ findingKey, kind: z.enum(ACTION_KINDS).optional(), targetId: z.string().min(1).max(500).optional() }),
  'actions.planBulk': z.strictObject({ findingKeys: z.array(findingKey).min(1).max(100_000) }),
  /** Re-reads the target and reports what would be sent: GETs only. */
  'actions.dryRun': z.strictObject({ actionId }),
  'actions.apply': z.strictObject({ actionId, confirmName: z.string().max(200).optional() }),
  'actions.applyBatch': z.strictObject({ actionIds: z.array(actionId).min(1).max(100_000), confirmName: z.string().max(200).optional() }),
  'actions.cancelBatch': z.strictObject({ batchId: actionId }),
  'actions.retryFailed': z.strictObject({ batchId: actionId }),
  'actions.undo': z.strictObject({ actionId }),
  /** Withdraws a plan the admin decided not to apply (journaled and audited as cancelled). */
  'actions.cancel': z.strictObject({ actionId }),
  'actions.list': z.strictObject({ findingKey: findingKey.optional(), batchId: actionId.optional(), limit: z.number().int().min(1).max(100_000).optional() }).optional(),
  'exceptions.accept': z.strictObject({
    findingKey,
    owner: z.string().trim().min(1).max(200),
    reason: z.string().trim().min(1).max(2000),
    ticket: z.string().trim().max(200).optional(),
    expiresAt: z.iso.datetime({ offset: true }).or(z.iso.date()),
  }),
  'exceptions.revoke': z.strictObject({ findingKey }),
  'audit.list': z
    .strictObject({
      afterSeq: z.number().int().min(0).optional(),
      /** Newest first: entries before this sequence number (default: from the end). */
      beforeSeq: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    })
    .optional(),
  'audit.verify': noArgs,
  'audit.export': noArgs,
} as const;

/** Result types, by method. */
export interface ApiResults {
  'app.info': AppInfoDto;
  'connections.list': ConnectionDto[];
  'connections.save': ConnectionDto;
  'connections.delete': { deleted: string };
  'connections.test': ConnectionTestDto;
  'demo.open': { connections: ConnectionDto[] };
  'sync.start': { started: string[] };
  'sync.cancel': { cancelled: string[] };
  'sync.status': SyncStatusDto;
  'runs.list': RunDto[];
  'dashboard.get': DashboardDto;
  'findings.list': FindingDto[];
  'findings.get': FindingDetailDto;
  'findings.export': ExportFileDto;
  'actions.plan': ActionDto;
  'actions.planBulk': BulkPlanDto;
  'actions.dryRun': { outcome: string; request: PlannedRequestDto | null };
  'actions.apply': ActionDto;
  'actions.applyBatch': { batchId: number };
  'actions.cancelBatch': { cancelled: boolean };
  'actions.retryFailed': BulkPlanDto;
  'actions.undo': ActionDto;
  'actions.cancel': ActionDto;
  'actions.list': ActionDto[];
  'exceptions.accept': FindingDto;
  'exceptions.revoke': FindingDto;
  'audit.list': { entries: AuditEntryDto[]; total: number };
  'audit.verify': AuditVerificationDto;
  'audit.export': ExportFileDto;
}

/** A method name of the API. */
export type ApiMethod = keyof typeof API_ARGS;

/** What a caller passes to a method. */
export type ApiArgs<M extends ApiMethod> = z.input<(typeof API_ARGS)[M]>;

/** What a handler receives, after validation and defaults. */
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof API_ARGS)[M]>;

/** The full handler map a core implements. */
export type ApiHandlers = { [M in ApiMethod]: (args: ApiParsedArgs<M>) => Promise<ApiResults[M]> };

/** Errors travel as values across every transport. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

export function isApiMethod(method: string): method is ApiMethod {
  return Object.hasOwn(API_ARGS, method);
}

