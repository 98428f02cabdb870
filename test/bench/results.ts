// The shape of bench-data/results.json: every figure the report prints, and a few it does not.
import type { SnapshotChanges, SnapshotTotals } from '../../src-main/core/store/snapshot-writer';
import type { ChurnSummary } from './churn';
import type { IdpExportSummary } from './idp-export';
import type { SyncBreakdown } from './instrument';
import type { DbSize, LoopStats, ObjectSize } from './measure';
import type { TenantSize } from './tenant';

export interface SyncFigures {
  /** Where the poll ran: the product's sync worker (from the build) or the main thread (run from sources). */
  pollThread: 'sync worker' | 'main thread';
  state: string;
  error: string | null;
  /** Wall time of syncConnection, start to commit. */
  ms: number;
  /** CPU time (user + system) of the bench process, all its threads, during the sync: less sensitive than wall time to other load on the machine. */
  cpuMs: number;
  /** Bytes written to storage by the bench process during the sync (WAL, checkpoints): write amplification shows here. */
  diskWriteBytes: number | null;
  totals: SnapshotTotals | null;
  changes: SnapshotChanges | null;
  coverage: { memberships: string; notes: string[] } | null;
  warnings: number;
  firstWarnings: string[];
  loop: LoopStats;
  breakdown: SyncBreakdown;
}

export interface AnalysisFigures {
  /**
   * analyzeApp in the store's thread once that thread answers calls (as after a sync, its analysis
   * helper thread started with it); for a run stopped at the deadline, the deadline.
   */
  ms: number;
  /** Stopped at the deadline (the process was killed; no findings were recorded). */
  timedOut: boolean;
  /** ANALYZE before the analysis (the --sqlite-stats what-if), and what it cost. */
  sqliteStatsMs: number | null;
  /**
   * The store thread's start, as the wait for its answer to a first call made right after creating
   * it (after ANALYZE, with --sqlite-stats): not part of `ms` (null when not measured).
   */
  storeReadyMs: number | null;
  /** Peak RSS of the analysis process (it also holds ~50 MiB of Node, SQLite and code). */
  rssMiB: number | null;
  analyzed: boolean;
  reason: string | null;
  byType: Record<string, number>;
  opened: number;
  resolved: number;
  notes: string[];
}

export interface RequestComparison {
  floor: number;
  sync: number;
  /** The floor sent exactly the requests the sync sent (as a multiset). */
  identical: boolean;
  onlyInSync: string[];
  onlyInFloor: string[];
}

export interface Round {
  app: SyncFigures;
  idp: SyncFigures;
  analysis: AnalysisFigures;
  /** After a TRUNCATE checkpoint. */
  db: DbSize;
  objects: ObjectSize[] | null;
}

export interface Check {
  figure: string;
  value: string;
  /** For durations: the value in ms, for the ratio to the floor. */
  ms?: number;
  target: string;
  pass: boolean;
}

export interface BenchResults {
  at: string;
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    /**
     * 1-minute load average before the bench started, and when it ended (which counts the bench's own
     * processes too): other work on the machine skews every timing.
     */
    loadAtStart: number;
    loadAtEnd: number;
    /** The bench process's Node options, and whether they include the V8 flags Driftline's launchers set. */
    nodeOptions: string[];
    launcherFlags: boolean;
  };
  scale: number;
  tenant: { size: TenantSize; idp: IdpExportSummary; server: { generateMs: number; exportMs: number; seedMs: number; rssMiB: number } };
  limits: { pageSize: number; requestsPerSecond: number; concurrency: number; timeoutSeconds: number };
  /** Mapped attributes in the app config. */
  attributes: number;
  /** The analyses ran after ANALYZE (the --sqlite-stats what-if), not as the product runs them. */
  sqliteStats: boolean;
  floor: { ms: number; cpuMs: number; bytes: number; requests: number; pages: Record<string, number>; maxParseMs: number };
  requests: RequestComparison;
  /**
   * The first sync as `driftline sync` runs it (syncWorkspace, on a fresh data folder of its own):
   * the IdP and the app at once, then the analysis. `syncsMs` ends when the last sync finished.
   */
  together: { syncsMs: number; totalMs: number; syncs: Array<{ connection: string; state: string }> };
  first: Round;
  churn: ChurnSummary;
  second: Round;
  /** When analysis 1 missed its deadline: the analysis of the second snapshots after ANALYZE, to show what planner statistics change. */
  analysisWithStats: AnalysisFigures | null;
  rss: {
    /** Per-phase peaks are exact (VmHWM reset per phase) rather than sampled. */
    exact: boolean;
    /** The bench process's peak over the whole run, floor included (analysis runs in its own process). */
    overallMiB: number;
    /** The bench process's peak during the syncs only. */
    syncMiB: number;
    /** The analysis processes' peak. */
    analysisMiB: number;
    perPhase: Record<string, number>;
  };
  totalMs: number;
  checks?: Check[];
}
