import type { SyncProgressDto } from '../../contract/dto';
import type { ErrorInfo } from '../../contract/errors';
import type { Connector, HttpClientFactory } from '../connectors/types';
import { toErrorInfo } from '../errors';
import type { Coverage } from '../model';
import type { Logger } from '../ports';
import type { RunState } from '../store/runs.repo';
import type { SnapshotStore } from '../store/snapshot-store';
import type { SnapshotChanges, SnapshotTotals } from '../store/snapshot-writer';
import { pollConnector, type RunPoll } from './poll-run';

/** Live state of one connection's sync, for progress displays: the API's DTO as is. */
export type SyncProgress = SyncProgressDto;

export interface SyncOutcome {
  connection: string;
  runId: number;
  state: Exclude<RunState, 'running'>;
  error: ErrorInfo | null;
  totals: SnapshotTotals | null;
  changes: SnapshotChanges | null;
  coverage: Coverage | null;
  warnings: string[];
  elapsedMs: number;
}

/**
 * Where the poll runs: a connector in this thread, built with the HTTP factory the sync
 * instruments (rate-limit waits → progress), or any RunPoll (a sync worker).
 */
export type PollSource = { connector(createHttpClient: HttpClientFactory): Connector; createHttpClient: HttpClientFactory } | { poll: RunPoll };

export type SyncRequest = PollSource & {
  store: SnapshotStore;
  connectionId: number;
  name: string;
  signal: AbortSignal;
  logger: Logger;
  onProgress?: (p: SyncProgress) => void;
  now?: () => number;
};

/** The request's RunPoll; a connector in this thread writes through the store's sink opened here. */
function runPoll(req: SyncRequest): RunPoll {
  if ('poll' in req) return req.poll;
  return async (run) => pollConnector(req.connector, req.createHttpClient, await req.store.sink(run.runId, run.connectionId), run);
}

/**
 * One sync run: rows stream into the store under a `running` run as pages arrive, and one final
 * transaction makes the snapshot visible. Failure or cancellation removes the run's rows and leaves
 * every earlier run as it was.
 */
export async function syncConnection(req: SyncRequest): Promise<SyncOutcome> {
  const now = req.now ?? Date.now;
  const started = now();
  const runId = await req.store.beginRun(req.connectionId);
  const progress: SyncProgress = {
    connection: req.name,
    runId,
    phase: 'discovery',
    pages: 0,
    resources: 0,
    total: null,
    waitMs: 0,
    waits: 0,
    message: null,
    elapsedMs: 0,
  };
  const emit = (): void => {
    progress.elapsedMs = now() - started;
    req.onProgress?.({ ...progress });
  };
  try {
    const result = await runPoll(req)({
      runId,
      connectionId: req.connectionId,
      signal: req.signal,
      logger: req.logger,
      progress: (u) => {
        if (u.phase !== progress.phase) {
          progress.pages = 0;
          progress.resources = 0;
          progress.total = null;
        }
        progress.phase = u.phase;
        progress.pages = u.pages ?? progress.pages;
        progress.resources = u.resources ?? progress.resources;
        progress.total = u.total ?? progress.total;
        progress.message = u.message ?? null;
        emit();
      },
      retryWait: (event) => {
        progress.waits++;
        progress.waitMs += event.delayMs;
        progress.message = `${event.reason === 'rate_limited' ? 'Rate limited' : 'Retrying'}: waiting ${Math.ceil(event.delayMs / 1000)} s`;
        emit();
      },
    });
    req.signal.throwIfAborted();
    progress.phase = 'commit';
    progress.message = 'Saving the snapshot';
    emit();
    const out = await req.store.completeRun(runId, result);
    return {
      connection: req.name,
      runId,
      state: 'complete',
      error: null,
      totals: out.totals,
      changes: out.changes,
      coverage: result.coverage,
      warnings: result.warnings,
      elapsedMs: now() - started,
    };
  } catch (err) {
    const cancelled = req.signal.aborted;
    const error = cancelled ? { code: 'cancelled' as const, message: 'The sync was cancelled; the previous snapshot is kept.' } : toErrorInfo(err);
    await req.store.failRun(runId, cancelled ? 'cancelled' : 'failed', error);
    req.logger.warn('sync failed', { connection: req.name, runId, code: error.code });
    return {
      connection: req.name,
      runId,
      state: cancelled ? 'cancelled' : 'failed',
      error,
      totals: null,
      changes: null,
      coverage: null,
      warnings: [],
      elapsedMs: now() - started,
    };
  }
}
