/** Kinds of drift Driftline reports. */
export const FINDING_TYPES = [
  'deprovision_missed',
  'orphaned_account',
  'unassigned_access',
  'missing_account',
  'attribute_drift',
  'stale_membership',
  'missing_membership',
  'orphaned_group',
  'duplicate_account',
  'ambiguous_match',
] as const;

/** One kind of finding; see FINDING_TYPES. */
export type FindingType = (typeof FINDING_TYPES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** How urgent a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** Default severity per type: access that should be gone outranks data quality. */
export const DEFAULT_SEVERITY: Record<FindingType, Severity> = {
  deprovision_missed: 'critical',
  orphaned_account: 'high',
  unassigned_access: 'high',
  stale_membership: 'medium',
  duplicate_account: 'medium',
  ambiguous_match: 'medium',
  attribute_drift: 'low',
  missing_account: 'low',
  missing_membership: 'low',
  orphaned_group: 'low',
};

export const FINDING_STATUSES = ['open', 'resolved', 'fixed', 'accepted'] as const;

/** Lifecycle of a finding: open until the drift is gone (resolved), fixed by Driftline, or accepted as a risk. */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding as the API and the CLI present it. */
export interface FindingDto {
  key: string;
  type: FindingType;
  severity: Severity;
  status: FindingStatus;
  app: string;
  message: string;
  userName: string | null;
  group: string | null;
  attribute: string | null;
  idpValue: string | null;
  appValue: string | null;
  appId: string | null;
  idpId: string | null;
  matchRule: string | null;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
}
