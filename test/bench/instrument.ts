// Where a sync's time goes, as the main thread sees it: the sync's progress events and the HTTP
// client's debug log lines, which the sync worker forwards to the sync's logger. No product code
// carries instrumentation, and nothing runs on the sync worker's thread for the bench.
import type { Logger } from '../../src-main/core/ports';
import type { SyncProgress } from '../../src-main/core/sync/sync-connection';

export interface SyncBreakdown {
  http: {
    /** Responses received (a retried request counts once per attempt). */
    requests: number;
    bytes: number;
    /** Sum of request durations, request sent to last body byte (overlapping requests count twice). */
    ms: number;
    /**
     * Time with at least one request on the wire (JSON.parse excluded), each placed where its log line
     * reached the main thread: exact while that thread is idle, which is what the bench checks.
     */
    busyMs: number;
    maxMs: number;
  };
  /** Time from the start of the sync to the first progress event (run row, starting the sync worker, loading the open versions). */
  setupMs: number;
  /** Time per progress phase, from its first event to the next phase's (commit: to the end). */
  phases: Record<string, number>;
  /** When each phase started (ms after the sync started), to place event-loop stalls. */
  phaseStarts: Array<{ phase: string; at: number }>;
}

export interface SyncProbe {
  /** The sync's logger: reads the HTTP client's `http request` debug lines. */
  logger: Logger;
  onProgress(p: SyncProgress): void;
  /** Create right before the sync starts (times are relative to it); call finish once it has returned, with its elapsedMs. */
  finish(totalMs: number): SyncBreakdown;
}

/** The length of the union of [start, end] intervals. */
function coveredMs(intervals: Array<[number, number]>): number {
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of intervals.sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}

export function createSyncProbe(): SyncProbe {
  const http = { requests: 0, bytes: 0, ms: 0, maxMs: 0 };
  const onWire: Array<[number, number]> = [];
  const phaseStarts: Array<{ phase: string; at: number }> = [];
  const ignore = (): void => undefined;

  return {
    logger: {
      debug: (message, fields) => {
        if (message !== 'http request') return;
        const ms = Number(fields?.ms ?? 0);
        const end = performance.now();
        onWire.push([end - ms, end]);
        http.requests++;
        http.bytes += Number(fields?.bytes ?? 0);
        http.ms += ms;
        http.maxMs = Math.max(http.maxMs, ms);
      },
      info: ignore,
      warn: ignore,
      error: ignore,
    },
    onProgress: (p) => {
      if (phaseStarts.at(-1)?.phase !== p.phase) phaseStarts.push({ phase: p.phase, at: p.elapsedMs });
    },
    finish: (totalMs) => {
      const phases: Record<string, number> = {};
      phaseStarts.forEach((s, i) => {
        phases[s.phase] = (phases[s.phase] ?? 0) + (phaseStarts[i + 1]?.at ?? totalMs) - s.at;
      });
      return { http: { ...http, busyMs: coveredMs(onWire) }, setupMs: phaseStarts[0]?.at ?? totalMs, phases, phaseStarts };
    },
  };
}
