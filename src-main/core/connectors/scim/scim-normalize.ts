import { DriftlineError } from '../../errors';
import type { GroupRecord, MemberRef, UserRecord } from '../../model';
import { scimValueText } from '../../scim/scim-path';
import { getCI, isObject, omitCI, parseActive, stringOrNull, type JsonObject } from '../../scim/attribute-access';
import { readScimPath, type ScimPath } from '../../scim/scim-path';

/** How to read a SCIM server's users: what /Schemas said, and what analysis will compare. */
export interface UserSchemaHints {
  /** The server's User schema has no `active` attribute: every listed account has access. */
  noActiveAttribute?: boolean;
  /**
   * The app's mapped attribute paths: their values are extracted once, at ingest, so analysis
   * compares attributes without re-reading every raw resource.
   */
  mappedPaths?: readonly ScimPath[];
}

function resourceId(resource: unknown, what: string): string {
  const id = stringOrNull(getCI(resource, 'id'));
  if (id === null) {
    throw new DriftlineError('invalid_response', `The server returned a ${what} without an "id", so it cannot be tracked between runs.`);
  }
  return id;
}

/** The account's e-mail: the primary one, else the work one, else the first. */
export function primaryEmail(emails: unknown): string | null {
  if (typeof emails === 'string') return stringOrNull(emails);
  if (!Array.isArray(emails)) return null;
  const entries = emails.filter(isObject);
  const pick =
    entries.find((e) => parseActive(getCI(e, 'primary')) === true) ??
    entries.find((e) => String(getCI(e, 'type') ?? '').toLowerCase() === 'work') ??
    entries[0];
  return pick ? stringOrNull(getCI(pick, 'value')) : null;
}

/**
 * A SCIM User as a UserRecord. `raw` drops the read-only `groups` attribute: memberships are stored
 * from the Group side, and keeping `groups` would make every membership change look like a user change.
 */
export function normalizeScimUser(resource: unknown, hints: UserSchemaHints = {}): UserRecord {
  if (!isObject(resource)) throw new DriftlineError('invalid_response', 'The server returned a user that is not a JSON object.');
  const id = resourceId(resource, 'user');
  const activeRaw = getCI(resource, 'active');
  const name = getCI(resource, 'name');
  let active = parseActive(activeRaw);
  if (activeRaw === undefined && hints.noActiveAttribute) active = true;
  return {
    id,
    userName: stringOrNull(getCI(resource, 'userName')),
    externalId: stringOrNull(getCI(resource, 'externalId')),
    active,
    status: activeRaw === undefined ? null : JSON.stringify(activeRaw),
    email: primaryEmail(getCI(resource, 'emails')),
    givenName: stringOrNull(getCI(name, 'givenName')),
    familyName: stringOrNull(getCI(name, 'familyName')),
    displayName: stringOrNull(getCI(resource, 'displayName')),
    attributes: Object.fromEntries((hints.mappedPaths ?? []).map((p) => [p.key, scimValueText(readScimPath(resource, p))])),
    raw: omitCI(resource, ['groups']),
  };
}

export function normalizeMembers(members: unknown): { members: MemberRef[]; skipped: number } {
  const out: MemberRef[] = [];
  let skipped = 0;
  if (!Array.isArray(members)) return { members: out, skipped };
  for (const m of members) {
    const value = stringOrNull(getCI(m, 'value'));
    if (value === null) {
      skipped++;
      continue;
    }
    const type = String(getCI(m, 'type') ?? '').toLowerCase();
    out.push({ value, type: type === 'user' ? 'User' : type === 'group' ? 'Group' : null });
  }
  return { members: out, skipped };
}

/** A SCIM Group as a GroupRecord; members are attached by the caller, `raw` excludes them. */
export function normalizeScimGroup(resource: unknown): { group: GroupRecord; members: unknown } {
  if (!isObject(resource)) throw new DriftlineError('invalid_response', 'The server returned a group that is not a JSON object.');
  const raw: JsonObject = omitCI(resource, ['members']);
  return {
    group: {
      id: resourceId(resource, 'group'),
      displayName: stringOrNull(getCI(resource, 'displayName')),
      externalId: stringOrNull(getCI(resource, 'externalId')),
      raw,
    },
    members: getCI(resource, 'members'),
  };
}
