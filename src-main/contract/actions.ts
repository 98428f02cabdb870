import type { FindingType } from './findings';

/** The writes Driftline can make to an app. */
export const ACTION_KINDS = ['deactivate', 'reactivate', 'patch_attributes', 'remove_member', 'add_member', 'delete_account'] as const;

/** One kind of write; see ACTION_KINDS. */
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Which writes fix which finding type, the default first; an empty list means no SCIM write can. */
export const FIXES_BY_FINDING_TYPE: Record<FindingType, readonly ActionKind[]> = {
  deprovision_missed: ['deactivate', 'delete_account'],
  orphaned_account: ['deactivate', 'delete_account'],
  unassigned_access: ['deactivate', 'delete_account'],
  duplicate_account: ['deactivate', 'delete_account'],
  missing_account: ['reactivate'],
  attribute_drift: ['patch_attributes'],
  stale_membership: ['remove_member'],
  missing_membership: ['add_member'],
  orphaned_group: [],
  ambiguous_match: [],
};

/** Why a finding type has no fix, in words. */
export const UNFIXABLE_REASON: Partial<Record<FindingType, string>> = {
  orphaned_group: 'Driftline does not delete groups: remove the group in the app, or map it to an IdP group.',
  ambiguous_match: 'An ambiguous match needs a decision, not a write: pin the right identity by hand.',
  missing_account: 'Driftline does not create accounts: an account that is absent must come from the IdP\'s provisioning.',
};

/** Journal states: planned → sent → confirmed | failed | unknown; stale when the target changed before sending. */
export type ActionState = 'planned' | 'sent' | 'confirmed' | 'failed' | 'unknown' | 'stale' | 'cancelled';

/** The exact HTTP request a plan will send (the Authorization header is never shown or stored). */
export interface PlannedRequestDto {
  method: 'PATCH' | 'PUT' | 'DELETE';
  /** Full URL of the target resource. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** When the body is built from a fresh read at apply time (PUT), what it starts from. */
  note: string | null;
}

/** A planned or finished write. */
export interface ActionDto {
  id: number;
  app: string;
  kind: ActionKind;
  state: ActionState;
  findingKey: string | null;
  batchId: number | null;
  targetType: 'User' | 'Group';
  targetId: string;
  targetLabel: string;
  memberId: string | null;
  summary: string;
  request: PlannedRequestDto;
  /** The request as actually sent, once sent. */
  sent: PlannedRequestDto | null;
  responseStatus: number | null;
  outcome: string | null;
  error: { code: string; message: string } | null;
  undoOf: number | null;
  /** The confirmed action that reverted this one. */
  undoneBy: number | null;
  /** A confirmed write that sent something, not yet reverted, not a delete: it can be undone from its pre-image. */
  undoable: boolean;
  createdAt: string;
  finishedAt: string | null;
}

/** What a bulk fix would do, before it runs. */
export interface BulkPlanDto {
  app: string;
  actions: ActionDto[];
  /** Findings in the selection that no SCIM write can fix, and why. */
  skipped: Array<{ key: string; reason: string }>;
  /** Above this many items the admin must type the app's name to confirm. */
  threshold: number;
  requiresTypedConfirmation: boolean;
  /** Counts by action kind, for the summary. */
  byKind: Partial<Record<ActionKind, number>>;
}

/** Progress of a running bulk fix. */
export interface BatchProgressDto {
  batchId: number;
  app: string;
  total: number;
  done: number;
  confirmed: number;
  failed: number;
  running: boolean;
}

export interface AuditEntryDto {
  seq: number;
  at: string;
  operator: string;
  kind: string;
  app: string | null;
  target: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerificationDto {
  ok: boolean;
  entries: number;
  headHash: string | null;
  firstBroken: { seq: number; reason: string } | null;
  notes: string[];
}
