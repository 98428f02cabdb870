import { FIXES_BY_FINDING_TYPE, UNFIXABLE_REASON, type ActionKind, type PlannedRequestDto } from '../../contract/actions';
import type { FindingDto } from '../../contract/findings';
import { idpAttribute } from '../analysis/idp-attribute';
import type { SnapshotUser } from '../analysis/types';
import type { ScimAppConfig } from '../config/schema';
import { getCI, isObject, stringOrNull } from '../scim/attribute-access';
import type { ActionPlan, Expectation } from './action-plan';
import { patchBody } from './scim-write';

export interface PlanInput {
  finding: FindingDto;
  details: Record<string, unknown>;
  config: ScimAppConfig;
  /** What the app's discovery said: PATCH and ETag support. */
  capabilities: { patch: boolean | null; etag: boolean | null };
  /** The app account or group the finding is about, as the snapshot has it. */
  appRecord: { raw: unknown; user: SnapshotUser | null } | null;
  /** The IdP identity, for attribute values. */
  idpUser: SnapshotUser | null;
  /** The group (snapshot raw) for membership findings. */
  groupRecord: { id: string; raw: unknown } | null;
  /** Override the default action (e.g. delete instead of deactivate). */
  kind?: ActionKind;
  /** For duplicate accounts: which account to act on. */
  targetId?: string;
}

export type PlanOutcome = { plan: ActionPlan } | { unfixable: string };

function resourceUrl(config: ScimAppConfig, type: 'User' | 'Group', id: string): string {
  return `${config.baseUrl.replace(/\/+$/, '')}/${type === 'User' ? 'Users' : 'Groups'}/${encodeURIComponent(id)}`;
}

function versionOf(raw: unknown): string | null {
  return stringOrNull(getCI(getCI(raw, 'meta'), 'version'));
}

function request(config: ScimAppConfig, input: PlanInput, type: 'User' | 'Group', id: string, expected: Expectation, preVersion: string | null): PlannedRequestDto {
  const url = resourceUrl(config, type, id);
  const ifMatch: Record<string, string> =
    config.writes.ifMatch === 'auto' && input.capabilities.etag === true && preVersion !== null ? { 'If-Match': preVersion } : {};
  if (expected.type === 'gone') return { method: 'DELETE', url, headers: { ...ifMatch }, body: null, note: null };
  const usePut = config.writes.method === 'put' || (config.writes.method === 'auto' && input.capabilities.patch === false);
  const headers: Record<string, string> = { 'Content-Type': 'application/scim+json', ...ifMatch };
  if (usePut) {
    return {
      method: 'PUT',
      url,
      headers,
      body: patchBody(expected, config.writes),
      note: 'The app does not support PATCH: Driftline will read the resource right before writing and PUT it back with only this change applied (shown here as the equivalent PATCH operations).',
    };
  }
  return { method: 'PATCH', url, headers, body: patchBody(expected, config.writes), note: null };
}

function label(u: SnapshotUser | null, fallback: string): string {
  return u?.userName ?? u?.displayName ?? fallback;
}

/**
 * Turns a finding into the one write that fixes it, from the snapshot the finding came from.
 * Nothing is sent here: the plan is journaled and previewed first.
 */
export function planForFinding(input: PlanInput): PlanOutcome {
  const { finding: f, config } = input;
  const allowed = FIXES_BY_FINDING_TYPE[f.type];
  if (allowed.length === 0) return { unfixable: UNFIXABLE_REASON[f.type] ?? 'No SCIM write fixes this finding.' };
  const kind = input.kind ?? allowed[0];
  if (!kind || !allowed.includes(kind)) return { unfixable: `A ${f.type.replaceAll('_', ' ')} finding cannot be fixed with ${input.kind ?? 'that action'}.` };
  if (kind === 'delete_account' && !config.writes.allowDelete) {
    return { unfixable: `Deleting accounts is turned off for ${config.name}. Enable it in the connection's write settings first.` };
  }

  if (kind === 'add_member' || kind === 'remove_member') {
    const group = input.groupRecord;
    const member = f.appId;
    if (!group || !member) return { unfixable: 'The group or the member is no longer in the snapshot; sync again.' };
    const expected: Expectation = { type: 'member', memberId: member, present: kind === 'add_member' };
    const groupName = stringOrNull(getCI(group.raw, 'displayName')) ?? group.id;
    const who = f.userName ?? member;
    return {
      plan: {
        kind,
        targetType: 'Group',
        targetId: group.id,
        targetLabel: groupName,
        memberId: member,
        summary: kind === 'add_member' ? `Add "${who}" to group "${groupName}" in ${config.name}` : `Remove "${who}" from group "${groupName}" in ${config.name}`,
        request: request(config, input, 'Group', group.id, expected, null),
        expected,
        preImage: group.raw,
        preVersion: versionOf(group.raw),
      },
    };
  }

  if (f.type === 'missing_account' && f.appId === null) return { unfixable: UNFIXABLE_REASON.missing_account ?? 'No account to reactivate.' };
  let targetId = f.appId?.split(',')[0] ?? null;
  if (f.type === 'duplicate_account') {
    const accounts = (f.appId ?? '').split(',').filter(Boolean);
    if (!input.targetId || !accounts.includes(input.targetId)) {
      return { unfixable: `Choose which of the ${accounts.length} accounts to act on (${accounts.join(', ')}).` };
    }
    targetId = input.targetId;
  }
  const record = input.appRecord;
  if (!targetId || !record || !isObject(record.raw)) return { unfixable: 'The app account is no longer in the snapshot; sync again.' };
  const who = label(record.user, targetId);

  let expected: Expectation;
  let summary: string;
  switch (kind) {
    case 'deactivate':
      expected = { type: 'active', value: false };
      summary = `Deactivate "${who}" in ${config.name}`;
      break;
    case 'reactivate':
      expected = { type: 'active', value: true };
      summary = `Reactivate "${who}" in ${config.name}`;
      break;
    case 'delete_account':
      expected = { type: 'gone' };
      summary = `Delete "${who}" from ${config.name} (cannot be undone)`;
      break;
    case 'patch_attributes': {
      const mapping = config.attributes.find((m) => m.app.trim() === f.attribute?.trim());
      if (!mapping || !input.idpUser) return { unfixable: 'The attribute mapping or the IdP identity is gone; sync again.' };
      const value = idpAttribute(input.idpUser, mapping.idp)?.trim() || null;
      expected = { type: 'attributes', values: [{ path: mapping.app, value, caseSensitive: mapping.caseSensitive }] };
      summary = `Set ${mapping.app} of "${who}" in ${config.name} to ${value === null ? '(empty)' : `"${value}"`}`;
      break;
    }
    default:
      return { unfixable: `Unsupported action ${kind}.` };
  }
  const preVersion = versionOf(record.raw);
  return {
    plan: {
      kind,
      targetType: 'User',
      targetId,
      targetLabel: who,
      memberId: null,
      summary,
      request: request(config, input, 'User', targetId, expected, preVersion),
      expected,
      preImage: record.raw,
      preVersion,
    },
  };
}
