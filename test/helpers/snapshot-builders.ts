import type { GroupRecord, UserRecord } from '../../src-main/core/model';

/** A UserRecord with sensible defaults; `raw` mirrors the fields so content changes are visible. */
export function user(id: string, fields: Partial<Omit<UserRecord, 'id' | 'raw'>> = {}): UserRecord {
  const u: Omit<UserRecord, 'raw'> = {
    id,
    userName: fields.userName === undefined ? `${id}@example.com` : fields.userName,
    externalId: fields.externalId ?? null,
    active: fields.active === undefined ? true : fields.active,
    status: fields.status ?? null,
    email: fields.email === undefined ? `${id}@example.com` : fields.email,
    givenName: fields.givenName ?? null,
    familyName: fields.familyName ?? null,
    displayName: fields.displayName ?? null,
    attributes: fields.attributes ?? {},
  };
  return { ...u, raw: { ...u } };
}

export function group(id: string, displayName: string, memberIds: string[] | null | undefined, externalId: string | null = null): GroupRecord {
  return {
    id,
    displayName,
    externalId,
    raw: { id, displayName, externalId },
    ...(memberIds === undefined ? {} : { members: memberIds === null ? null : memberIds.map((value) => ({ value, type: 'User' as const })) }),
  };
}
