import type { Connector, HttpClientFactory, PollResult } from '../connectors/types';
import type { HttpEvent } from '../http/types';
import type { ProgressUpdate, SnapshotSink } from '../model';
import type { Logger } from '../ports';

export type RetryWaitEvent = Extract<HttpEvent, { type: 'retry_wait' }>;

/** One run's poll as syncConnection drives it, whichever thread the poll runs in. */
export interface PollRun {
  runId: number;
  connectionId: number;
  signal: AbortSignal;
  logger: Logger;
  progress(update: ProgressUpdate): void;
  /** A rate-limit or retry wait of one of the poll's HTTP clients. */
  retryWait(event: RetryWaitEvent): void;
}

/** Polls a connection for one run, streaming its pages into the run's sink: in this thread or in a sync worker. */
export type RunPoll = (run: PollRun) => Promise<PollResult>;

/**
 * Builds the connector on an HTTP factory whose clients log to the run and report their waits,
 * and polls it into `sink`: the same steps in this thread and in a sync worker.
 */
export function pollConnector(
  connector: (createHttpClient: HttpClientFactory) => Connector,
  createHttpClient: HttpClientFactory,
  sink: SnapshotSink,
  run: Pick<PollRun, 'signal' | 'logger' | 'progress' | 'retryWait'>,
): Promise<PollResult> {
  const factory: HttpClientFactory = (options) =>
    createHttpClient({
      logger: run.logger,
      ...options,
      onEvent: (event) => {
        options.onEvent?.(event);
        if (event.type === 'retry_wait') run.retryWait(event);
      },
    });
  return connector(factory).poll({ signal: run.signal, sink, logger: run.logger, progress: (u) => run.progress(u) });
}
