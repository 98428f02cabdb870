import type { WritesConfig } from '../config/schema';
import { getCI, isObject, omitCI, parseActive, type JsonObject } from '../scim/attribute-access';
import { parseScimPath, readScimPath, writeScimPath } from '../scim/scim-path';
import { scimValueText } from '../scim/scim-path';
import { canonicalJson } from '../audit/canonical-json';
import type { ActionPlan, Expectation } from './action-plan';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The RFC 7644 PATCH operations for a change. Ops are lowercase; member removal uses a value filter, never the legacy "remove with value" form that empties groups on strict servers. */
export function patchOperations(expected: Expectation, writes: WritesConfig): Array<Record<string, unknown>> {
  switch (expected.type) {
    case 'active':
      return writes.deactivateForm === 'valueObject'
        ? [{ op: 'replace', value: { active: expected.value } }]
        : [{ op: 'replace', path: 'active', value: expected.value }];
    case 'attributes':
      return expected.values.map((v) => (v.value === null ? { op: 'remove', path: v.path } : { op: 'replace', path: v.path, value: v.value }));
    case 'member':
      return expected.present
        ? [{ op: 'add', path: 'members', value: [{ value: expected.memberId }] }]
        : [{ op: 'remove', path: `members[value eq ${JSON.stringify(expected.memberId)}]` }];
    case 'gone':
      return [];
  }
}

export function patchBody(expected: Expectation, writes: WritesConfig): JsonObject {
  return { schemas: [PATCH_OP_SCHEMA], Operations: patchOperations(expected, writes) };
}

/** The resource with the change applied, for servers without PATCH: built from a fresh read so no attribute is lost. */
export function putBody(current: JsonObject, expected: Expectation): JsonObject {
  const next = structuredClone(omitCI(current, ['meta', 'groups'])) as JsonObject;
  switch (expected.type) {
    case 'active': {
      const key = Object.keys(next).find((k) => k.toLowerCase() === 'active') ?? 'active';
      next[key] = expected.value;
      break;
    }
    case 'attributes':
      for (const v of expected.values) writeScimPath(next, parseScimPath(v.path), v.value);
      break;
    case 'member': {
      const key = Object.keys(next).find((k) => k.toLowerCase() === 'members') ?? 'members';
      const members = Array.isArray(next[key]) ? (next[key] as unknown[]) : [];
      const others = members.filter((m) => String(getCI(m, 'value')) !== expected.memberId);
      next[key] = expected.present ? [...others, { value: expected.memberId }] : others;
      break;
    }
    case 'gone':
      break;
  }
  return next;
}

/** Whether a resource (null = 404) is already in the state a plan wants. */
export function satisfies(expected: Expectation, resource: unknown): boolean {
  if (expected.type === 'gone') return resource === null;
  if (resource === null || !isObject(resource)) return false;
  switch (expected.type) {
    case 'active':
      return parseActive(getCI(resource, 'active')) === expected.value;
    case 'attributes':
      return expected.values.every((v) => {
        const actual = scimValueText(readScimPath(resource, parseScimPath(v.path)));
        return v.caseSensitive ? actual === v.value : actual?.toLowerCase() === v.value?.toLowerCase();
      });
    case 'member': {
      const members = getCI(resource, 'members');
      const present = Array.isArray(members) && members.some((m) => String(getCI(m, 'value')) === expected.memberId);
      return present === expected.present;
    }
  }
}

/**
 * Whether the target changed since the plan was made. Users are compared whole (without meta and
 * the derived `groups`); for membership changes only the group's existence matters, since other
 * members come and go.
 */
export function changedSincePlan(plan: ActionPlan, current: unknown): boolean {
  if (current === null || !isObject(current)) return true;
  if (plan.targetType === 'Group') return false;
  const version = getCI(getCI(current, 'meta'), 'version');
  if (plan.preVersion !== null && typeof version === 'string') return version !== plan.preVersion;
  const strip = (r: unknown): string => canonicalJson(isObject(r) ? omitCI(r, ['meta', 'groups']) : r);
  return strip(current) !== strip(plan.preImage);
}
