// Where a sync's time goes, measured from the outside: the HTTP client factory and the connector are
// wrapped (syncConnection takes both as parameters), so no product code carries instrumentation.
import type { Connector, HttpClientFactory } from '../../src-main/core/connectors/types';
import type { SnapshotSink } from '../../src-main/core/model';
import type { SyncProgress } from '../../src-main/core/sync/sync-connection';

interface CallStats {
  calls: number;
  records: number;
  ms: number;
  maxMs: number;
}

export interface SyncBreakdown {
  http: {
    requests: number;
    bytes: number;
    /** Sum of request durations (overlapping requests count twice). */
    ms: number;
    /** Time with at least one request in flight: the sync's time on the network and in JSON.parse. */
    busyMs: number;
    maxMs: number;
  };
  /** Synchronous time inside the snapshot writer (hashing, SQLite), per sink method. */
  sink: Record<keyof SnapshotSink, CallStats>;
  /** Time from the start of the sync to the first progress event (run row, loading the open versions). */
  setupMs: number;
  /** Time per progress phase, from its first event to the next phase's (commit: to the end). */
  phases: Record<string, number>;
  /** When each phase started (ms after the sync started), to place event-loop stalls. */
  phaseStarts: Array<{ phase: string; at: number }>;
  /** The five longest sink calls: when they ended (ms after the sync started), which method, how long. */
  slowestSinkCalls: Array<{ atMs: number; method: string; ms: number; records: number }>;
}

export interface SyncProbe {
  factory(inner: HttpClientFactory): HttpClientFactory;
  connector(inner: Connector): Connector;
  onProgress(p: SyncProgress): void;
  /** Create right before the sync starts (times are relative to it); call finish once it has returned, with its elapsedMs. */
  finish(totalMs: number): SyncBreakdown;
}

export function createSyncProbe(): SyncProbe {
  const http = { requests: 0, bytes: 0, ms: 0, busyMs: 0, maxMs: 0 };
  let inFlight = 0;
  let busySince = 0;
  const sink: SyncBreakdown['sink'] = {
    users: { calls: 0, records: 0, ms: 0, maxMs: 0 },
    groups: { calls: 0, records: 0, ms: 0, maxMs: 0 },
    members: { calls: 0, records: 0, ms: 0, maxMs: 0 },
  };
  const phaseStarts: Array<{ phase: string; at: number }> = [];
  const slowest: SyncBreakdown['slowestSinkCalls'] = [];
  const created = performance.now();

  const timed = <T>(method: string, stats: CallStats, records: number, work: () => T): T => {
    const t = performance.now();
    try {
      return work();
    } finally {
      const end = performance.now();
      const ms = end - t;
      if (slowest.length < 5 || ms > (slowest.at(-1)?.ms ?? 0)) {
        slowest.push({ atMs: end - created, method, ms, records });
        slowest.sort((a, b) => b.ms - a.ms);
        slowest.length = Math.min(slowest.length, 5);
      }
      stats.calls++;
      stats.records += records;
      stats.ms += ms;
      stats.maxMs = Math.max(stats.maxMs, ms);
    }
  };

  return {
    factory: (inner) => (options) => {
      const client = inner(options);
      return {
        close: () => client.close(),
        request: async (req) => {
          const t = performance.now();
          if (inFlight++ === 0) busySince = t;
          try {
            const res = await client.request(req);
            http.bytes += res.bytes;
            return res;
          } finally {
            const end = performance.now();
            if (--inFlight === 0) http.busyMs += end - busySince;
            http.requests++;
            http.ms += end - t;
            http.maxMs = Math.max(http.maxMs, end - t);
          }
        },
      };
    },
    connector: (inner) => ({
      probe: (ctx) => inner.probe(ctx),
      poll: (ctx) =>
        inner.poll({
          ...ctx,
          sink: {
            users: (batch) => timed('users', sink.users, batch.length, () => ctx.sink.users(batch)),
            groups: (batch) => timed('groups', sink.groups, batch.length, () => ctx.sink.groups(batch)),
            members: (groupId, members) => timed('members', sink.members, members?.length ?? 0, () => ctx.sink.members(groupId, members)),
          },
        }),
    }),
    onProgress: (p) => {
      if (phaseStarts.at(-1)?.phase !== p.phase) phaseStarts.push({ phase: p.phase, at: p.elapsedMs });
    },
    finish: (totalMs) => {
      const phases: Record<string, number> = {};
      phaseStarts.forEach((s, i) => {
        phases[s.phase] = (phases[s.phase] ?? 0) + (phaseStarts[i + 1]?.at ?? totalMs) - s.at;
      });
      return { http, sink, setupMs: phaseStarts[0]?.at ?? totalMs, phases, phaseStarts, slowestSinkCalls: slowest };
    },
  };
}
