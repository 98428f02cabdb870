import type { GroupRecord, MemberRef, ProgressUpdate, SnapshotSink, UserRecord } from '../../src-main/core/model';
import type { PollContext } from '../../src-main/core/connectors/types';
import { silentLogger } from '../../src-main/core/ports';

/** Collects what a connector streams, for connector tests that do not need the store. */
export interface MemorySink extends SnapshotSink {
  usersSeen: UserRecord[];
  groupsSeen: GroupRecord[];
  /** group id → member list (null when the connector reported it unreadable). */
  membersByGroup: Map<string, MemberRef[] | null>;
  progressSeen: ProgressUpdate[];
}

export function memorySink(): MemorySink {
  const sink: MemorySink = {
    usersSeen: [],
    groupsSeen: [],
    membersByGroup: new Map(),
    progressSeen: [],
    users: (batch) => {
      sink.usersSeen.push(...batch);
      return Promise.resolve();
    },
    groups: (batch) => {
      sink.groupsSeen.push(...batch);
      for (const g of batch) if (g.members !== undefined) sink.membersByGroup.set(g.id, g.members === null ? null : [...g.members]);
      return Promise.resolve();
    },
    members: (groupId, members) => {
      sink.membersByGroup.set(groupId, members === null ? null : [...members]);
      return Promise.resolve();
    },
  };
  return sink;
}

/** A PollContext around a memory sink; abort through the returned controller. */
export function memoryContext(sink: MemorySink = memorySink()): { ctx: PollContext; sink: MemorySink; abort: AbortController } {
  const abort = new AbortController();
  return {
    sink,
    abort,
    ctx: { signal: abort.signal, sink, progress: (p) => void sink.progressSeen.push(p), logger: silentLogger },
  };
}
