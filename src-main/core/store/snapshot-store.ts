import type { MessagePort } from 'node:worker_threads';
import type { ErrorInfo } from '../../contract/errors';
import type { ScimAppConfig } from '../config/schema';
import { analyzeApp, type AnalysisOutcome, type AnalyzeTarget } from '../findings/analyze-app';
import type { Coverage, GroupRecord, SnapshotSink, UserRecord } from '../model';
import { checkpoint, openBulkConnection, type Db, type OpenOptions } from './database';
import { beginRun, completeRun, failRun } from './runs.repo';
import { defaultAnalysisThread } from './analysis-thread';
import type { Writable } from './raw-chunks';
import { createSnapshotWriter, type SnapshotChanges, type SnapshotTotals, type SnapshotWriter } from './snapshot-writer';

export interface RunResult {
  coverage: Coverage;
  capabilities: Record<string, unknown>;
  warnings: string[];
}

/** Where sync runs write: run rows, page sinks, and the commit or roll-back of a run. */
export interface SnapshotStore {
  beginRun(connectionId: number): Promise<number>;
  sink(runId: number, connectionId: number): Promise<SnapshotSink>;
  completeRun(runId: number, result: RunResult): Promise<{ totals: SnapshotTotals; changes: SnapshotChanges }>;
  failRun(runId: number, state: 'failed' | 'cancelled', error: ErrorInfo): Promise<void>;
  /** Settles once the store's threads are up (its own and the analysis helper's), or rejects with why they are not. */
  ready(): Promise<void>;
  /** Compares an app's latest complete snapshot with the IdP's and records the findings. */
  analyze(app: AnalyzeTarget & { config: ScimAppConfig }, idp: AnalyzeTarget): Promise<AnalysisOutcome>;
  /**
   * A port on which another thread (a sync worker) makes page writes straight to the store's own
   * thread, queued with its other calls. Only a store running in a worker thread has one.
   */
  openPort?(): MessagePort;
  close(): Promise<void>;
}

/** A run's page writes as the store's own thread takes them: records, or records serialized where they were parsed. */
export interface WritableSink {
  /** Each resolves with how many of the page's records were new or changed. */
  users(batch: ReadonlyArray<Writable<UserRecord>>): Promise<number>;
  groups(batch: ReadonlyArray<Writable<GroupRecord>>): Promise<number>;
  members: SnapshotSink['members'];
}

/** The store as its own thread drives it (snapshot-worker.ts). */
export interface LocalSnapshotStore extends Omit<SnapshotStore, 'sink'> {
  sink(runId: number, connectionId: number): Promise<WritableSink>;
  /** Copies the WAL into the database: analyses commit without it, and the store's thread runs it once their outcome is sent. */
  checkpoint(): void;
}

/** Rows written before the open batch transaction commits, and the longest it stays open. */
const BATCH_ROWS = 20_000;
const BATCH_MS = 1_000;

/**
 * Groups many page writes into one transaction on the bulk connection: committing every page
 * rewrites the same index pages into the WAL again and again (gigabytes for a 100k-user first
 * sync). Runs of several connections may share a batch; each run's visibility still comes from its
 * own final commit, and a failed run is removed by its own transaction.
 */
function createBatcher(db: Db): { write<T>(rows: number, work: () => T): T; flush(): void } {
  let rows = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    rows = 0;
    if (db.inTransaction) db.exec('COMMIT');
  };
  return {
    write(n, work) {
      if (!db.inTransaction) {
        db.exec('BEGIN');
        timer = setTimeout(flush, BATCH_MS);
        timer.unref();
      }
      const out = work();
      rows += n;
      if (rows >= BATCH_ROWS) flush();
      return out;
    },
    flush,
  };
}

/**
 * The store in this thread: a bulk connection (synchronous=NORMAL, a large page cache) with
 * batched transactions. The worker-backed store runs the same store (openLocalStore) in a worker thread.
 */
export function createLocalSnapshotStore(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): SnapshotStore {
  const store = openLocalStore(file, options);
  return {
    ...store,
    async sink(runId, connectionId) {
      const sink = await store.sink(runId, connectionId);
      return {
        users: async (batch) => void (await sink.users(batch)),
        groups: async (batch) => void (await sink.groups(batch)),
        members: sink.members,
      };
    },
  };
}

/**
 * The same store, its sink answering how many records of each page were new or changed: the worker
 * thread sends that back to the sync, which then stops compressing pages (see store-channel).
 */
export function openLocalStore(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): LocalSnapshotStore {
  const db = openBulkConnection(file, options);
  const batch = createBatcher(db);
  const helper = defaultAnalysisThread(db, options);
  const writers = new Map<number, SnapshotWriter>();
  const writerOf = (runId: number): SnapshotWriter => {
    const w = writers.get(runId);
    if (!w) throw new Error(`run ${runId} has no open sink`);
    return w;
  };
  return {
    beginRun: (connectionId) => {
      batch.flush();
      return Promise.resolve(beginRun(db, connectionId));
    },
    async sink(runId, connectionId) {
      batch.flush();
      const writer = await createSnapshotWriter(db, runId, connectionId);
      writers.set(runId, writer);
      return {
        users: (records) => Promise.resolve(batch.write(records.length, () => writer.users(records))),
        groups: (records) => Promise.resolve(batch.write(records.length * 10, () => writer.groups(records))),
        members: (groupId, members) => Promise.resolve(batch.write(members?.length ?? 1, () => writer.members(groupId, members))),
      };
    },
    completeRun(runId, result) {
      batch.flush();
      const out = completeRun(db, runId, writerOf(runId), result);
      writers.delete(runId);
      return Promise.resolve(out);
    },
    failRun(runId, state, error) {
      batch.flush();
      failRun(db, runId, state, error);
      writers.delete(runId);
      return Promise.resolve();
    },
    ready: () => helper.ready(),
    analyze(app, idp) {
      batch.flush();
      return analyzeApp(db, app, idp, helper);
    },
    checkpoint() {
      batch.flush();
      checkpoint(db);
    },
    async close() {
      batch.flush();
      await helper.close();
      db.close();
    },
  };
}
