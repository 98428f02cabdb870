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

/** What "Test connection" shows: facts about the remote system and problems in an admin's words. */
export interface ConnectionProbe {
  facts: Array<{ label: string; value: string }>;
  problems: string[];
  capabilities: Record<string, unknown>;
}

/** One configured remote system that can be polled into a snapshot. */
export interface Connector {
  poll(ctx: PollContext): Promise<PollResult>;
  /** A quick check of credentials and capabilities, reading as little as possible. */
  probe(ctx: { signal: AbortSignal; logger: Logger }): Promise<ConnectionProbe>;
}

/** Builds HTTP clients with the connection's limits; the sync layer supplies it. */
export type HttpClientFactory = (options: HttpClientOptions) => HttpClient;
