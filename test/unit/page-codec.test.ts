import { describe, expect, it } from 'vitest';
import type { GroupRecord, UserRecord } from '../../src-main/core/model';
import {
  ownedBuffers,
  packGroups,
  packMembers,
  packUsers,
  unpackGroups,
  unpackMembers,
  unpackUsers,
  type PackedGroups,
  type PackedUsers,
} from '../../src-main/core/store/page-codec';
import { rawTextOf } from '../../src-main/core/store/raw-chunks';

const user = (id: string, over: Partial<UserRecord> = {}): UserRecord => ({
  id,
  userName: `${id}@x.com`,
  externalId: null,
  active: true,
  status: 'true',
  email: `${id}@x.com`,
  givenName: 'Ann',
  familyName: 'Lee',
  displayName: 'Ann Lee',
  attributes: {},
  raw: { id, userName: `${id}@x.com` },
  ...over,
});

/** A record as the writer sees it, whichever way it came: its fields, and its raw text decoded. */
function asWritten<T extends { raw: unknown }>(record: T | (Omit<T, 'raw'> & { rawText: unknown })): Record<string, unknown> {
  const { raw: _raw, rawText: _rawText, ...fields } = record as Record<string, unknown>;
  return { ...fields, raw: Buffer.from(rawTextOf(record as T).text).toString('utf8') };
}

/** What a page's thread message does: a structured clone that moves the page's own buffers. */
function send<P extends PackedUsers | PackedGroups>(page: P): P {
  return structuredClone(page, { transfer: ownedBuffers(page) });
}

describe('page codec (pages crossing to the store thread)', () => {
  it('gives the store the same users, with raw texts and hashes, after a structured clone (what a thread message does)', () => {
    const users = [
      user('a', { attributes: { department: 'Sales', title: null } }),
      // Different attributes per record: absent stays absent, null stays null.
      user('b', { active: false, externalId: 'E-2', attributes: Object.fromEntries([['__proto__', 'kept as an attribute'], ['title', 'CTO']]) }),
      user('c', { active: null, status: 'maybe', userName: null, email: null, givenName: null, familyName: null, displayName: null, raw: { id: 'c', title: 'Zoë 🎉' } }),
    ];
    for (const compress of [false, true]) {
      const unpacked = unpackUsers(send(packUsers(users, compress)));
      expect(unpacked.map(asWritten)).toEqual(users.map(asWritten));
      expect(Object.keys(unpacked[0]?.attributes ?? {})).toEqual(['department', 'title']);
      expect(Object.hasOwn(unpacked[1]?.attributes ?? {}, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(unpacked[1]?.attributes)).toBe(Object.prototype);
      unpacked.forEach((u, k) => {
        expect(Buffer.compare(u.rawText.contentHash, rawTextOf(users[k] as UserRecord).contentHash)).toBe(0);
        expect(u.rawText.compressed !== undefined).toBe(compress);
      });
    }
  });

  it('keeps each group with its own members, and tells a list sent later from an unreadable one', () => {
    const groups: GroupRecord[] = [
      { id: 'g1', displayName: 'Sales', externalId: null, members: [{ value: 'a', type: 'User' }, { value: 'g2', type: 'Group' }], raw: { id: 'g1' } },
      { id: 'g2', displayName: null, externalId: 'X', members: [], raw: { id: 'g2' } },
      { id: 'g3', displayName: 'Later', externalId: null, raw: { id: 'g3' } },
      { id: 'g4', displayName: 'Unreadable', externalId: null, members: null, raw: { id: 'g4' } },
      { id: 'g5', displayName: 'Last', externalId: null, members: [{ value: 'b', type: null }], raw: { id: 'g5' } },
    ];
    const unpacked = unpackGroups(send(packGroups(groups, true)));
    expect(unpacked.map(asWritten)).toEqual(groups.map(asWritten));
    expect('members' in (unpacked[2] ?? {})).toBe(false);
  });

  it('packs a member list sent on its own', () => {
    const members = [
      { value: 'a', type: 'User' as const },
      { value: 'b', type: null },
      { value: 'g', type: 'Group' as const },
      { value: 'u0', type: 'User' as const, userIndex: 0 },
      { value: 'u7', type: 'User' as const, userIndex: 70_000 },
    ];
    expect(unpackMembers(structuredClone(packMembers(members)))).toEqual(members);
    expect(unpackMembers(packMembers([]))).toEqual([]);
  });

  it('moves the buffers a page owns whole to the store thread, and leaves shared ones to be copied', () => {
    const page = packUsers([user('a'), user('b')], true);
    const moved = ownedBuffers(page);
    const { text, ends, hashes } = page.raw;
    expect(moved).toEqual(expect.arrayContaining([text.buffer, ends.buffer, hashes.buffer, page.active.buffer]));
    const received = send(page);
    // Moved, not copied: the sender's views are detached.
    expect([text.byteLength, ends.byteLength, hashes.byteLength, page.active.byteLength]).toEqual([0, 0, 0, 0]);
    expect(unpackUsers(received).map(asWritten)).toEqual([user('a'), user('b')].map(asWritten));

    // A view of part of a buffer (zlib's output, a pooled Buffer) is never moved: that would take
    // the rest of the buffer away from its other users.
    const pooled = Buffer.from('shared');
    const shared: PackedUsers = { ...packUsers([user('c')], false), active: new Int8Array(new ArrayBuffer(8), 4, 1) };
    shared.raw = { ...shared.raw, compressed: pooled };
    expect(ownedBuffers(shared)).not.toContain(pooled.buffer);
    expect(ownedBuffers(shared)).not.toContain(shared.active.buffer);
    send(shared);
    expect(pooled.toString()).toBe('shared');
  });
});
