// Measuring instruments: event-loop stalls, memory high-water marks per phase, database size.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Db } from '../../src-main/core/store/database';

const MiB = 2 ** 20;

export interface LoopStats {
  /** Longest event-loop delay seen by perf_hooks (10 ms resolution). */
  maxDelayMs: number;
  p99DelayMs: number;
  meanDelayMs: number;
  /** Cross-check: the longest gap between two ticks of a 10 ms interval timer, minus the 10 ms. */
  maxGapMs: number;
  /** Heartbeat gaps longer than 100 ms. */
  stallsOver100ms: number;
  /** Highest RSS seen by the heartbeat (sampled every tick). */
  sampledPeakRssMiB: number;
  /**
   * The five longest heartbeat gaps: when they ended (ms after the watch started), how long they
   * were, and how much of that the event loop spent running code (busyMs). A gap with the loop idle
   * is the thread waiting to be scheduled (a busy machine, a stalled VM), not work blocking it.
   */
  worstGaps: Array<{ atMs: number; gapMs: number; busyMs: number }>;
  /** Time the main thread's event loop spent running code rather than waiting (event-loop utilization). */
  activeMs: number;
}

/**
 * Watches the event loop from now until `stop()`. Stop is async: a stall in the watched work's last
 * synchronous stretch is only seen by the timers once they get to run again, so it lets them run first.
 */
export function watchEventLoop(): { stop(): Promise<LoopStats> } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const utilization = performance.eventLoopUtilization();
  const start = performance.now();
  let last = start;
  let lastUtilization = utilization;
  const worst: LoopStats['worstGaps'] = [];
  let maxGap = 0;
  let stalls = 0;
  let peakRss = process.memoryUsage.rss();
  const heartbeat = setInterval(() => {
    const now = performance.now();
    const gap = now - last - 10;
    last = now;
    const tick = performance.eventLoopUtilization();
    const busyMs = performance.eventLoopUtilization(tick, lastUtilization).active;
    lastUtilization = tick;
    if (gap > maxGap) maxGap = gap;
    if (gap > 100) stalls++;
    if (gap > 50 && (worst.length < 5 || gap > (worst.at(-1)?.gapMs ?? 0))) {
      worst.push({ atMs: now - start, gapMs: gap, busyMs });
      worst.sort((a, b) => b.gapMs - a.gapMs);
      worst.length = Math.min(worst.length, 5);
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 25));
      clearInterval(heartbeat);
      histogram.disable();
      const ns = 1e6;
      return {
        maxDelayMs: histogram.max / ns,
        p99DelayMs: histogram.percentile(99) / ns,
        meanDelayMs: histogram.mean / ns,
        maxGapMs: Math.max(0, maxGap),
        stallsOver100ms: stalls,
        sampledPeakRssMiB: peakRss / MiB,
        worstGaps: worst,
        activeMs: performance.eventLoopUtilization(utilization).active,
      };
    },
  };
}

/**
 * Peak RSS per phase. Linux keeps one high-water mark per process (VmHWM, what getrusage's maxRSS
 * reports); writing 5 to /proc/self/clear_refs resets it, so each phase gets its own peak. The overall
 * peak is the largest phase peak, i.e. what maxRSS would have said at the end without the resets.
 */
export function createRssMeter(): { phase(name: string): number; overallMiB(): number; perPhase: Record<string, number>; exact: boolean } {
  const perPhase: Record<string, number> = {};
  let overall = process.resourceUsage().maxRSS / 1024;
  const exact = canReset();
  return {
    perPhase,
    exact,
    /** Ends the current phase: records its peak (MiB) under `name` and starts the next one. */
    phase(name) {
      const peak = exact ? highWaterMiB() : process.resourceUsage().maxRSS / 1024;
      perPhase[name] = peak;
      overall = Math.max(overall, peak);
      if (exact) writeFileSync('/proc/self/clear_refs', '5');
      return peak;
    },
    overallMiB: () => Math.max(overall, exact ? highWaterMiB() : process.resourceUsage().maxRSS / 1024),
  };
}

function canReset(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return highWaterMiB() > 0;
  } catch {
    return false;
  }
}

function highWaterMiB(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : 0;
}

/** Bytes this process has caused to be written to storage (Linux /proc/self/io), or null elsewhere. */
export function diskWriteBytes(): number | null {
  try {
    const match = /^write_bytes:\s+(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface DbSize {
  /** The main file after a TRUNCATE checkpoint (the WAL is then empty). */
  bytes: number;
  pageSize: number;
  freePages: number;
}

export function checkpointedSize(db: Db, file: string): DbSize {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    bytes: statSync(file).size,
    pageSize: Number(db.pragma('page_size', { simple: true })),
    freePages: Number(db.pragma('freelist_count', { simple: true })),
  };
}

export interface ObjectSize {
  name: string;
  /** The table an index belongs to (itself for a table). */
  table: string;
  kind: 'table' | 'index';
  bytes: number;
  /** Rows of a table (indexes: null). */
  rows: number | null;
}

/** Bytes per table and index from the dbstat virtual table, largest first; null when SQLite lacks dbstat. */
export function objectSizes(db: Db): ObjectSize[] | null {
  let sizes: Array<{ name: string; bytes: number }>;
  try {
    sizes = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string; bytes: number }>;
  } catch {
    return null;
  }
  const schema = new Map(
    (db.prepare(`SELECT name, tbl_name AS tbl, type FROM sqlite_schema WHERE type IN ('table', 'index')`).all() as Array<{ name: string; tbl: string; type: string }>).map(
      (s) => [s.name, s],
    ),
  );
  return sizes
    .map(({ name, bytes }): ObjectSize => {
      const s = schema.get(name);
      const kind = s?.type === 'index' ? 'index' : 'table';
      const rows = kind === 'table' && s ? Number(db.prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get()) : null;
      return { name, table: s?.tbl ?? name, kind, bytes, rows };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

export function mib(bytes: number): number {
  return bytes / MiB;
}
