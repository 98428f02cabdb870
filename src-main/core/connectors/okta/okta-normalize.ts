import { z } from 'zod';
import { DriftlineError } from '../../errors';
import type { GroupRecord, MemberRef, UserRecord } from '../../model';

// Okta objects → the snapshot model. Only the properties the mapping relies on are validated;
// everything else passes through untouched into `raw` (Okta adds properties without notice and
// may omit null ones, per its compatibility rules).

const profileSchema = z.record(z.string(), z.unknown());

const oktaUserSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().nullish(),
  profile: profileSchema,
});

const oktaGroupSchema = z.looseObject({
  id: z.string().min(1),
  profile: profileSchema,
});

// A group member listing returns full user objects; membership needs only the id.
const oktaMemberSchema = z.looseObject({ id: z.string().min(1) });

/** An Okta user object as validated: `id`, `status`, `profile`, plus whatever else Okta sent. */
export type OktaUser = z.infer<typeof oktaUserSchema>;
/** An Okta group object as validated: `id`, `profile`, plus whatever else Okta sent. */
export type OktaGroup = z.infer<typeof oktaGroupSchema>;

/** Okta statuses under which the account can still be used (or is about to be). */
const ACTIVE_STATUSES = new Set(['ACTIVE', 'STAGED', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']);
/** Okta statuses under which the person cannot sign in. */
const INACTIVE_STATUSES = new Set(['SUSPENDED', 'DEPROVISIONED']);

/** Top-level user properties exposed as attributes besides the profile. */
const TOP_LEVEL_ATTRIBUTES = ['status', 'created', 'lastLogin', 'lastUpdated'] as const;

/** Validates one page of `GET /users` (or a search) and returns its user objects. */
export function parseOktaUsers(body: unknown, endpoint: string): OktaUser[] {
  return parseArray(body, oktaUserSchema, endpoint, 'user');
}

/** Validates one page of `GET /groups`. */
export function parseOktaGroups(body: unknown, endpoint: string): OktaGroup[] {
  return parseArray(body, oktaGroupSchema, endpoint, 'group');
}

/** Validates one page of `GET /groups/{id}/users` and returns member references. */
export function parseOktaMembers(body: unknown, endpoint: string): MemberRef[] {
  return parseArray(body, oktaMemberSchema, endpoint, 'group member').map((user) => ({ value: user.id, type: 'User' }));
}

/**
 * `true` for statuses where the account still exists for sign-in purposes, `false` for SUSPENDED and
 * DEPROVISIONED, `null` for a status this version does not know (never guessed as inactive).
 */
export function activeFromOktaStatus(status: string | null | undefined): boolean | null {
  if (status == null) return null;
  if (INACTIVE_STATUSES.has(status)) return false;
  if (ACTIVE_STATUSES.has(status)) return true;
  return null;
}

export function normalizeOktaUser(user: OktaUser): UserRecord {
  const profile = user.profile;
  const firstName = stringOrNull(profile['firstName']);
  const lastName = stringOrNull(profile['lastName']);
  const attributes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(profile)) attributes[key] = flattenValue(value);
  // Top-level facts win over a custom profile property of the same name: they are what Okta enforces.
  const top: Record<string, unknown> = user;
  for (const key of TOP_LEVEL_ATTRIBUTES) attributes[key] = flattenValue(top[key]);
  return {
    id: user.id,
    userName: stringOrNull(profile['login']),
    // Okta users carry no SCIM externalId; `id` is the join key apps receive as their externalId.
    externalId: null,
    active: activeFromOktaStatus(user.status),
    status: user.status ?? null,
    email: stringOrNull(profile['email']),
    givenName: firstName,
    familyName: lastName,
    displayName: nonEmpty(stringOrNull(profile['displayName'])) ?? joinName(firstName, lastName),
    attributes,
    raw: user,
  };
}

export function normalizeOktaGroup(group: OktaGroup): GroupRecord {
  return { id: group.id, displayName: stringOrNull(group.profile['name']), externalId: null, raw: group };
}

/** A profile value as an attribute string: arrays joined with ", ", objects as JSON, null stays null. */
export function flattenValue(value: unknown): string | null {
  if (value == null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    return value.map((item) => (item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
  }
  return JSON.stringify(value);
}

function parseArray<T>(body: unknown, schema: z.ZodType<T>, endpoint: string, noun: string): T[] {
  if (!Array.isArray(body)) {
    throw new DriftlineError('invalid_response', `Okta answered ${endpoint} with something other than a JSON array of ${noun}s.`);
  }
  return body.map((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      const problem = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'object'}: ${issue.message}`).join('; ');
      throw new DriftlineError('invalid_response', `Okta answered ${endpoint} with a malformed ${noun} at position ${index} (${problem}).`);
    }
    return parsed.data;
  });
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}

function joinName(first: string | null, last: string | null): string | null {
  const joined = [first, last].filter((part) => part !== null && part.trim() !== '').join(' ');
  return joined === '' ? null : joined;
}
