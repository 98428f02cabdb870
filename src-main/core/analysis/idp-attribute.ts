import type { SnapshotUser } from './types';

const STANDARD: Record<string, (u: SnapshotUser) => string | null> = {
  id: (u) => u.remoteId,
  username: (u) => u.userName,
  login: (u) => u.userName,
  email: (u) => u.email,
  externalid: (u) => u.externalId,
  givenname: (u) => u.givenName,
  firstname: (u) => u.givenName,
  familyname: (u) => u.familyName,
  lastname: (u) => u.familyName,
  displayname: (u) => u.displayName,
  status: (u) => u.status,
  active: (u) => (u.active === null ? null : String(u.active)),
};

/** An IdP attribute by name: the normalized fields first, then the source's own attributes (case-insensitive). */
export function idpAttribute(user: SnapshotUser, name: string): string | null {
  const lower = name.toLowerCase();
  const standard = STANDARD[lower];
  if (standard) return standard(user);
  if (Object.hasOwn(user.attributes, name)) return user.attributes[name] ?? null;
  for (const [key, value] of Object.entries(user.attributes)) if (key.toLowerCase() === lower) return value;
  return null;
}
