import type { MessagePort } from 'node:worker_threads';
import type { ErrorInfo } from '../../contract/errors';
import type { ConnectionConfig } from '../config/schema';
import type { PollResult } from '../connectors/types';
import type { ProgressUpdate } from '../model';
import type { Logger } from '../ports';
import type { ResolvedSecret } from '../secrets/resolved-secrets';
import type { RetryWaitEvent } from './poll-run';

// The messages between the main thread (worker-poll.ts) and a sync worker (sync-worker.ts).

/** What a sync worker is started with: one connection's poll for one run. */
export interface SyncWorkerData {
  config: ConnectionConfig;
  /** The config file's folder: relative file paths in the config resolve against it. */
  baseDir: string;
  /** The config's secrets, resolved by the main thread (the worker cannot reach the host's store). */
  secrets: ResolvedSecret[];
  runId: number;
  connectionId: number;
  /** To the snapshot store's thread: the run's pages never pass through the main thread. */
  storePort: MessagePort;
}

export type ToSyncWorker =
  | { type: 'cancel' }
  /** The main thread has opened the run's sink in the store: page writes may go there now. */
  | { type: 'sink_open' };

export type FromSyncWorker =
  | { type: 'progress'; update: ProgressUpdate }
  | { type: 'retry_wait'; event: RetryWaitEvent }
  | { type: 'log'; level: keyof Logger; message: string; fields?: Record<string, unknown> }
  /** Sent once every page write has been confirmed by the store, so the run can be committed. */
  | { type: 'done'; result: PollResult }
  /** Sent once the page writes already made have settled, so the run can be rolled back. */
  | { type: 'failed'; error: ErrorInfo };
