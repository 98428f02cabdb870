import type { SyncProgressDto } from '../../contract/dto';
import type { ErrorInfo } from '../../contract/errors';
import type { Connector, HttpClientFactory } from '../connectors/types';
import { toErrorInfo } from '../errors';
import type { Coverage } from '../model';
import type { Logger } from '../ports';
import type { RunState } from '../store/runs.repo';
import type { SnapshotStore } from '../store/snapshot-store';
import type { SnapshotChanges, SnapshotTotals } from '../store/snapshot-writer';

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

export interface SyncRequest {
  store: SnapshotStore;
  connectionId: number;
  name: string;
  /** Builds the connector with the HTTP factory the sync instruments (rate-limit waits → progress). */
  connector(createHttpClient: HttpClientFactory): Connector;
  createHttpClient: HttpClientFactory;
  signal: AbortSignal;
  logger: Logger;
  onProgress?: (p: SyncProgress) => void;
  now?: () => number;
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
  const factory: HttpClientFactory = (options) =>
    req.createHttpClient({
      logger: req.logger,
      ...options,
      onEvent: (event) => {
        options.onEvent?.(event);
        if (event.type !== 'retry_wait') return;
        progress.waits++;
        progress.waitMs += event.delayMs;
        progress.message = `${event.reason === 'rate_limited' ? 'Rate limited' : 'Retrying'}: waiting ${Math.ceil(event.delayMs / 1000)} s`;
        emit();
      },
    });

  try {
    const sink = await req.store.sink(runId, req.connectionId);
    const result = await req.connector(factory).poll({
      signal: req.signal,
      sink,
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
