import type { GroupRecord, MemberRef, MemberType, UserRecord } from '../model';
import { rawTexts, serializeRaw, type SerializedRaw, type Serialized } from './raw-chunks';

// Pages travel from the sync workers to the store's thread as a few flat arrays and buffers rather
// than one object per record: a thread message copies an object property by property on both
// sides (~9 ms for a page of 1,000 users), flat strings and bytes about five times faster. The
// store's thread turns them back into records for the writer.

/** User fields carried as strings, in this order, before the record's attribute values. */
const USER_FIELDS = ['id', 'userName', 'externalId', 'status', 'email', 'givenName', 'familyName', 'displayName'] as const;

export interface PackedUsers {
  /** Per record: the USER_FIELDS, then one value per attribute name (undefined: the record has no such attribute). */
  strings: Array<string | null | undefined>;
  attributeNames: string[];
  /** 1 active, 0 inactive, -1 unknown. */
  active: Int8Array;
  raw: SerializedRaw;
}

export interface PackedMembers {
  values: string[];
  /** 0 unknown, 1 User, 2 Group (see MEMBER_TYPES). */
  types: Uint8Array;
  /** Each member's userIndex, -1 for none. */
  userIndexes: Int32Array;
}

export interface PackedGroups {
  /** Per record: id, displayName, externalId. */
  strings: Array<string | null>;
  /** Per record: its member count in `members`, -1 when the list arrives later, -2 when it could not be read. */
  memberCounts: Int32Array;
  members: PackedMembers;
  raw: SerializedRaw;
}

const MEMBER_TYPES: readonly MemberType[] = [null, 'User', 'Group'];
const LATER = -1;
const UNREADABLE = -2;
const NO_INDEX = -1;

export function packUsers(batch: readonly UserRecord[], compress: boolean): PackedUsers {
  const attributeNames: string[] = [];
  const seen = new Set<string>();
  for (const r of batch) {
    for (const name of Object.keys(r.attributes)) {
      if (!seen.has(name)) {
        seen.add(name);
        attributeNames.push(name);
      }
    }
  }
  const strings: PackedUsers['strings'] = [];
  const active = new Int8Array(batch.length);
  batch.forEach((r, k) => {
    strings.push(r.id, r.userName, r.externalId, r.status, r.email, r.givenName, r.familyName, r.displayName);
    for (const name of attributeNames) strings.push(Object.hasOwn(r.attributes, name) ? r.attributes[name] : undefined);
    active[k] = r.active === null ? -1 : r.active ? 1 : 0;
  });
  return { strings, attributeNames, active, raw: serializeRaw(batch, compress) };
}

export function unpackUsers(page: PackedUsers): Array<Serialized<UserRecord>> {
  const { strings, attributeNames, active } = page;
  const stride = USER_FIELDS.length + attributeNames.length;
  return rawTexts(page.raw).map((rawText, k) => {
    const at = k * stride;
    const pairs: Array<[string, string | null]> = [];
    attributeNames.forEach((name, a) => {
      const value = strings[at + USER_FIELDS.length + a];
      if (value !== undefined) pairs.push([name, value]);
    });
    const state = active[k];
    return {
      id: strings[at] as string,
      userName: strings[at + 1] ?? null,
      externalId: strings[at + 2] ?? null,
      status: strings[at + 3] ?? null,
      email: strings[at + 4] ?? null,
      givenName: strings[at + 5] ?? null,
      familyName: strings[at + 6] ?? null,
      displayName: strings[at + 7] ?? null,
      active: state === -1 ? null : state === 1,
      // fromEntries defines own properties: an attribute named "__proto__" stays an attribute.
      attributes: Object.fromEntries(pairs),
      rawText,
    };
  });
}

export function packMembers(members: readonly MemberRef[]): PackedMembers {
  const types = new Uint8Array(members.length);
  const userIndexes = new Int32Array(members.length);
  members.forEach((m, k) => {
    types[k] = m.type === 'User' ? 1 : m.type === 'Group' ? 2 : 0;
    userIndexes[k] = m.userIndex ?? NO_INDEX;
  });
  return { values: members.map((m) => m.value), types, userIndexes };
}

export function unpackMembers(packed: PackedMembers, from = 0, to = packed.values.length): MemberRef[] {
  const out: MemberRef[] = [];
  for (let k = from; k < to; k++) {
    const member: MemberRef = { value: packed.values[k] as string, type: MEMBER_TYPES[packed.types[k] ?? 0] ?? null };
    const userIndex = packed.userIndexes[k] ?? NO_INDEX;
    if (userIndex !== NO_INDEX) member.userIndex = userIndex;
    out.push(member);
  }
  return out;
}

export function packGroups(batch: readonly GroupRecord[], compress: boolean): PackedGroups {
  const strings: PackedGroups['strings'] = [];
  const memberCounts = new Int32Array(batch.length);
  const all: MemberRef[] = [];
  batch.forEach((g, k) => {
    strings.push(g.id, g.displayName, g.externalId);
    if (g.members === undefined) memberCounts[k] = LATER;
    else if (g.members === null) memberCounts[k] = UNREADABLE;
    else {
      memberCounts[k] = g.members.length;
      for (const m of g.members) all.push(m);
    }
  });
  return { strings, memberCounts, members: packMembers(all), raw: serializeRaw(batch, compress) };
}

export function unpackGroups(page: PackedGroups): Array<Serialized<GroupRecord>> {
  const { strings, memberCounts } = page;
  let next = 0;
  return rawTexts(page.raw).map((rawText, k) => {
    const count = memberCounts[k] ?? LATER;
    const record: Serialized<GroupRecord> = { id: strings[3 * k] as string, displayName: strings[3 * k + 1] ?? null, externalId: strings[3 * k + 2] ?? null, rawText };
    if (count === UNREADABLE) record.members = null;
    else if (count >= 0) {
      record.members = unpackMembers(page.members, next, next + count);
      next += count;
    }
    return record;
  });
}

/**
 * The buffers of a packed page that it alone owns, to move to the store's thread rather than copy:
 * a copied page's ~1 MB of text is written out by the sender and read back by the receiver. A view
 * of part of a buffer (zlib may return one, and small Buffers share a pool) is copied.
 */
export function ownedBuffers(page: PackedUsers | PackedGroups): ArrayBuffer[] {
  const { text, ends, hashes, compressed } = page.raw;
  const views: ArrayBufferView[] = [text, ends, hashes, ...(compressed ? [compressed] : [])];
  if ('active' in page) views.push(page.active);
  else views.push(page.memberCounts, page.members.types, page.members.userIndexes);
  const owned = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) owned.add(v.buffer);
  }
  return [...owned];
}
