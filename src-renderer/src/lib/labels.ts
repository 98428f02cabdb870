import type { RunDto } from '../../../src-main/contract/dto';
import type { FindingStatus, FindingType, Severity } from '../../../src-main/contract/findings';

/** Finding types in words, with what each means (the README's table). */
export const TYPE_INFO: Record<FindingType, { label: string; description: string }> = {
  deprovision_missed: { label: 'Deprovision missed', description: 'Deactivated or suspended in the IdP, still active in the app.' },
  orphaned_account: { label: 'Orphaned account', description: 'Active in the app, no identity in the IdP.' },
  unassigned_access: { label: 'Unassigned access', description: 'Active in both, but the person is out of the app’s scope.' },
  stale_membership: { label: 'Stale membership', description: 'Member of an app group, not of the IdP group.' },
  duplicate_account: { label: 'Duplicate account', description: 'Several live app accounts for one person.' },
  ambiguous_match: { label: 'Ambiguous match', description: 'One app account matches several IdP identities: needs a manual decision.' },
  attribute_drift: { label: 'Attribute drift', description: 'A mapped attribute differs between the IdP and the app.' },
  missing_account: { label: 'Missing account', description: 'In scope and active in the IdP, no (or only a deactivated) app account.' },
  missing_membership: { label: 'Missing membership', description: 'Member of the IdP group, not of the app group.' },
  orphaned_group: { label: 'Orphaned group', description: 'An app group with no IdP counterpart.' },
};

export const SEVERITY_COLOR: Record<Severity, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'gray' };

export const STATUS_COLOR: Record<FindingStatus, string> = { open: 'blue', resolved: 'green', fixed: 'teal', accepted: 'gray' };

export const RUN_STATE_COLOR: Record<RunDto['state'], string> = { running: 'blue', complete: 'green', failed: 'red', cancelled: 'gray' };

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
