import { FIXES_BY_FINDING_TYPE, UNFIXABLE_REASON, type ActionKind, type ActionState } from '../../../src-main/contract/actions';
import type { ConnectionDto } from '../../../src-main/contract/dto';
import type { FindingDto } from '../../../src-main/contract/findings';

/** What each kind of write is called on its button. */
export const ACTION_LABEL: Record<ActionKind, string> = {
  deactivate: 'Deactivate account',
  reactivate: 'Reactivate',
  patch_attributes: 'Set attribute',
  remove_member: 'Remove from group',
  add_member: 'Add to group',
  delete_account: 'Delete account',
};

/** Journal states as badge colours. */
export const ACTION_STATE_COLOR: Record<ActionState, string> = {
  planned: 'blue',
  sent: 'yellow',
  confirmed: 'green',
  failed: 'red',
  unknown: 'orange',
  stale: 'orange',
  cancelled: 'gray',
};

/** One way to fix a finding, as the Fix section offers it. */
export interface FixChoice {
  kind: ActionKind;
  label: string;
  /** Why the choice is offered but cannot be used now; null when it can. */
  disabledReason: string | null;
}

/** The attribute's tail for a button: URN-qualified paths are long. */
function attributeName(path: string): string {
  return path.startsWith('urn:') ? (path.split(':').pop() ?? path) : path;
}

function labelFor(kind: ActionKind, f: FindingDto): string {
  if (kind !== 'patch_attributes' || f.attribute === null) return ACTION_LABEL[kind];
  const name = attributeName(f.attribute);
  return f.idpValue === null ? `Clear ${name}` : `Set ${name} to “${f.idpValue}”`;
}

/** Whether the app's write settings allow deleting accounts (off unless the config turns it on). */
function allowsDelete(connection: ConnectionDto | undefined): boolean {
  const writes = connection?.config.writes;
  return typeof writes === 'object' && writes !== null && 'allowDelete' in writes && writes.allowDelete === true;
}

/** The fixes for a finding, default first; or the reason none applies. */
export function fixChoices(f: FindingDto, connection: ConnectionDto | undefined): { choices: FixChoice[]; unfixable: string | null } {
  if (f.status === 'fixed') return { choices: [], unfixable: 'Fixed by Driftline: the next sync of the app confirms the fix (resolved) or reopens the finding.' };
  if (f.status === 'resolved') return { choices: [], unfixable: 'Resolved: the drift is gone, so there is nothing to fix.' };
  const kinds = FIXES_BY_FINDING_TYPE[f.type];
  // A missing account is fixable only when it exists in the app, deactivated.
  if (kinds.length === 0 || (f.type === 'missing_account' && f.appId === null)) {
    return { choices: [], unfixable: UNFIXABLE_REASON[f.type] ?? 'No SCIM write fixes this finding.' };
  }
  const deleteOff = `Deleting accounts is turned off for ${f.app} (its writes.allowDelete setting).`;
  return {
    choices: kinds.map((kind) => ({
      kind,
      label: labelFor(kind, f),
      disabledReason: kind === 'delete_account' && !allowsDelete(connection) ? deleteOff : null,
    })),
    unfixable: null,
  };
}

/** The app accounts a duplicate-account finding lists, for choosing which one to act on. */
export function duplicateAccounts(f: FindingDto, details: Record<string, unknown>): Array<{ id: string; label: string }> {
  const listed = Array.isArray(details.accounts) ? details.accounts : [];
  const names = new Map<string, string>();
  for (const a of listed) {
    if (typeof a !== 'object' || a === null) continue;
    const id = 'id' in a && typeof a.id === 'string' ? a.id : null;
    const userName = 'userName' in a && typeof a.userName === 'string' ? a.userName : null;
    if (id) names.set(id, userName ? `${userName} (${id})` : id);
  }
  return (f.appId ?? '')
    .split(',')
    .filter(Boolean)
    .map((id) => ({ id, label: names.get(id) ?? id }));
}

/** The app's name typed to confirm: compared as the core does (trimmed, case-insensitive). */
export function confirmsName(typed: string, app: string): boolean {
  return typed.trim().toLowerCase() === app.toLowerCase();
}

/** Whether a journal state is final: the write will not move any more (sent and planned still can). */
export function isSettled(state: ActionState): boolean {
  return state !== 'planned' && state !== 'sent';
}
