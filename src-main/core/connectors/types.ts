import type { HttpClient, HttpClientOptions } from '../http/types';
import type { Coverage, ProgressUpdate, SnapshotSink } from '../model';
import type { Logger } from '../ports';

/** What a poll hands back besides the data it streamed into the sink. */
export interface PollResult {
  coverage: Coverage;
  /** What discovery and probing learned about the remote system (paging, filters, PATCH, ETag…). */
  capabilities: Record<string, unknown>;
  /** Non-fatal problems worth showing an admin. */
  warnings: string[];
}

export interface PollContext {
  signal: AbortSignal;
  sink: SnapshotSink;
  progress(update: ProgressUpdate): void;
  logger: Logger;
}

/** One configured remote system that can be polled into a snapshot. */
export interface Connector {
  poll(ctx: PollContext): Promise<PollResult>;
}

/** Builds HTTP clients with the connection's limits; the sync layer supplies it. */
export type HttpClientFactory = (options: HttpClientOptions) => HttpClient;
