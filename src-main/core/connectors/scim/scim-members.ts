import { isDriftlineError } from '../../errors';
import type { HttpClient } from '../../http/types';
import type { MemberRef } from '../../model';
import { runBounded } from '../../util/concurrency';
import { getCI, stringOrNull } from '../../scim/attribute-access';
import { createWriteTracker } from '../../util/write-tracker';
import type { PollContext } from '../types';
import { normalizeMembers, normalizeScimGroup } from './scim-normalize';

/** Errors that end the whole run rather than one group's member listing. */
function isRunFatal(err: unknown): boolean {
  return !isDriftlineError(err) || ['auth_rejected', 'cancelled', 'rate_limited', 'tls_untrusted', 'secret_missing'].includes(err.code);
}

/**
 * A member count this round is what truncating servers return (FusionAuth stopped at 100), so a
 * list response showing exactly that many is re-read by id before it is trusted.
 */
export function looksTruncated(count: number): boolean {
  return count >= 100 && count % 100 === 0;
}

export interface MemberOutcome {
  /** Groups whose members are unknown this run. */
  unread: number;
  /** Why no group could be read, when that is the case. */
  reason: string | null;
}

/**
 * Collects every group's member list, from the list response when it carried a trustworthy one and
 * by GET otherwise, and hands each to the sink. Unknown member lists are reported as null, never as
 * empty: a server that shows no members for any group is indistinguishable from one that hides them
 * (AWS IAM Identity Center), and a group that shows none while users claim it is hiding them.
 */
export function createMemberReader(http: HttpClient, ctx: PollContext, warnings: string[], concurrency: number) {
  // Counters as objects: a claim costs one map lookup, not a get and a set.
  const claimed = new Map<string, { count: number }>();
  const toFetch: string[] = [];
  const emptyPending: string[] = [];
  let groups = 0;
  let unread = 0;
  let anyMembers = false;
  let skippedEntries = 0;
  // Member lists are handed over as they settle; finish() waits until the store has them all.
  const writes = createWriteTracker();
  const write = (groupId: string, list: MemberRef[] | null): void => writes.track(ctx.sink.members(groupId, list));
  // The first non-empty list shows this server lists members: the empty ones held back are real.
  const sawMembers = (): void => {
    if (anyMembers) return;
    anyMembers = true;
    for (const gid of emptyPending.splice(0)) write(gid, []);
  };

  const deliver = (groupId: string, list: MemberRef[] | null): void => {
    const claims = claimed.get(groupId)?.count ?? 0;
    if (list !== null && list.length === 0 && claims > 0) {
      warnings.push(`Group ${groupId} shows no members although ${claims} users list it in their "groups"; its members are treated as unknown.`);
      list = null;
    }
    if (list === null) {
      unread++;
      write(groupId, null);
      return;
    }
    if (list.length === 0 && !anyMembers) {
      emptyPending.push(groupId);
      return;
    }
    sawMembers();
    write(groupId, list);
  };

  const parse = (members: unknown): MemberRef[] => {
    const parsed = normalizeMembers(members);
    skippedEntries += parsed.skipped;
    return parsed.members;
  };

  return {
    /** Records the memberships a user claims through the read-only User.groups attribute (its value as listed). */
    noteUserGroups(groups: unknown): void {
      if (!Array.isArray(groups)) return;
      for (const g of groups) {
        const gid = stringOrNull(getCI(g, 'value'));
        if (gid === null) continue;
        const claim = claimed.get(gid);
        if (claim) claim.count++;
        else claimed.set(gid, { count: 1 });
      }
    },

    /**
     * A group from a list response. Returns its members when they can be written with the group
     * right away (a non-empty list that looks complete); empty lists wait until it is known whether
     * this server shows members at all, and missing or suspicious lists are read by id later.
     */
    listed(groupId: string, members: unknown): MemberRef[] | undefined {
      groups++;
      if (!Array.isArray(members) || looksTruncated(members.length)) {
        toFetch.push(groupId);
        return undefined;
      }
      const list = parse(members);
      if (list.length === 0) {
        deliver(groupId, list);
        return undefined;
      }
      sawMembers();
      return list;
    },

    /** GETs the groups whose members the list did not give, then settles the "nothing anywhere" case. */
    async finish(): Promise<MemberOutcome> {
      let done = 0;
      await runBounded(toFetch, concurrency, ctx.signal, async (groupId, signal) => {
        let list: MemberRef[] | null;
        try {
          const res = await http.request({ method: 'GET', url: `Groups/${encodeURIComponent(groupId)}`, signal });
          list = parse(normalizeScimGroup(res.body).members);
        } catch (err) {
          if (isRunFatal(err)) throw err;
          warnings.push(`Members of group ${groupId} could not be read: ${(err as Error).message}`);
          list = null;
        }
        deliver(groupId, list);
        ctx.progress({ phase: 'members', resources: ++done, total: toFetch.length });
      });
      await writes.settled();
      if (skippedEntries > 0) warnings.push(`${skippedEntries} group member entries had no "value" and were ignored.`);
      if (!anyMembers && emptyPending.length > 0) {
        for (const gid of emptyPending) write(gid, null);
        await writes.settled();
        return {
          unread: unread + emptyPending.length,
          reason: `The app returned no members for any of its ${groups} groups. Driftline cannot tell empty groups from an app that hides members (as AWS IAM Identity Center does), so it draws no membership conclusions.`,
        };
      }
      return {
        unread,
        reason: unread === groups && groups > 0 ? `None of the ${groups} groups' member lists could be read (see the warnings); no membership findings for this app.` : null,
      };
    },
  };
}
