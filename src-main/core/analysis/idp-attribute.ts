import type { SnapshotUser } from './types';

/** The record fields an IdP attribute name reads (lower-cased names; `active` reads as "true"/"false"). */
const STANDARD: Record<string, 'remoteId' | 'userName' | 'email' | 'externalId' | 'givenName' | 'familyName' | 'displayName' | 'status' | 'active'> = {
  id: 'remoteId',
  username: 'userName',
  login: 'userName',
  email: 'email',
  externalid: 'externalId',
  givenname: 'givenName',
  firstname: 'givenName',
  familyname: 'familyName',
  lastname: 'familyName',
  displayname: 'displayName',
  status: 'status',
  active: 'active',
};

export type StandardField = (typeof STANDARD)[string];

/** The normalized field an IdP attribute name means, if it is one of them. */
export function standardField(name: string): StandardField | undefined {
  const lower = name.toLowerCase();
  // Own keys only: an attribute named "constructor" is an attribute, not Object.prototype's.
  return Object.hasOwn(STANDARD, lower) ? STANDARD[lower] : undefined;
}

/** An IdP attribute by name: the normalized fields first, then the source's own attributes (case-insensitive). */
export function idpAttribute(user: SnapshotUser, name: string): string | null {
  const field = standardField(name);
  if (field === 'active') return user.active === null ? null : String(user.active);
  if (field) return user[field];
  if (Object.hasOwn(user.attributes, name)) return user.attributes[name] ?? null;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(user.attributes)) if (key.toLowerCase() === lower) return value;
  return null;
}
