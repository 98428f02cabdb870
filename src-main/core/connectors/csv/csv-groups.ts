// Groups of an HR export exist only as names in each person's `groups` cell; this gathers them
// into GroupRecords with complete member lists.

import type { GroupRecord, MemberRef } from '../../model';

export interface GroupIndex {
  /**
   * Records that `userId`, the `userIndex`-th user handed to the sink, is a member of each group:
   * lower-cased name → name as spelled (splitGroups).
   */
  add(userId: string, userIndex: number, groups: ReadonlyMap<string, string>): void;
  /** One record per distinct group name (ignoring case), in order of first appearance. */
  records(): GroupRecord[];
}

export function createGroupIndex(): GroupIndex {
  // Keyed by the lower-cased name, which is also the group's id: it stays stable when a later
  // export spells the name differently.
  // Member ids only until records() (an export lists ~5 groups per person: 500k members for 100k people).
  const groups = new Map<string, { displayName: string; memberIds: string[]; memberIndexes: number[] }>();
  return {
    add(userId, userIndex, memberOf) {
      for (const [key, name] of memberOf) {
        const group = groups.get(key);
        if (group) {
          group.memberIds.push(userId);
          group.memberIndexes.push(userIndex);
        } else {
          groups.set(key, { displayName: name, memberIds: [userId], memberIndexes: [userIndex] });
        }
      }
    },
    records: () =>
      [...groups].map(([id, { displayName, memberIds, memberIndexes }]) => ({
        id,
        displayName,
        externalId: null,
        members: memberIds.map((value, k): MemberRef => ({ value, type: 'User', userIndex: memberIndexes[k] as number })),
        raw: { name: displayName },
      })),
  };
}
