import type { MessagePort } from 'node:worker_threads';
import type { ErrorInfo } from '../../contract/errors';
import { fromErrorInfo } from '../errors';
import type { SnapshotSink } from '../model';

// The request/reply protocol of the snapshot store's worker thread (snapshot-worker.ts), and its
// one client: the main thread's store and each sync worker's page sink talk to it through this.

/** One call of a store method, as the store worker receives it. */
export interface StoreRequest {
  id: number;
  method: 'beginRun' | 'sink' | 'users' | 'groups' | 'members' | 'completeRun' | 'failRun' | 'analyze' | 'close';
  args: unknown[];
}

export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorInfo };

/** Sent to the store worker with a port it then serves like its own: a sync worker's page writes. */
export interface StoreConnect {
  connect: MessagePort;
}

/** The sending end of the channel: a Worker seen from its parent, or a MessagePort. */
export interface ChannelEndpoint {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface StoreChannel {
  call<T>(method: StoreRequest['method'], ...args: unknown[]): Promise<T>;
  /** Opens the run's sink in the store worker; its writes may run PAGES_AHEAD pages ahead of the writer. */
  sink(runId: number, connectionId: number): Promise<SnapshotSink>;
  /** The writes of a run whose sink was opened through another channel. */
  writer(runId: number): SnapshotSink;
  /** Settles once every page write of the run sent through this channel is done (rejects with the first failure). */
  drain(runId: number): Promise<void>;
  /** Fails every pending and later call with `reason` (the far side is gone). */
  fail(reason: Error): void;
  /** Why the channel failed, or null while it works. */
  failure(): Error | null;
}

/** Pages a connector may hand over before the first of them is written. */
const PAGES_AHEAD = 4;

/**
 * Calls are sent in order; each resolves when the store worker has done it, which gives connectors
 * their back-pressure. Errors come back as ErrorInfo and are rethrown as DriftlineErrors.
 */
export function createStoreChannel(endpoint: ChannelEndpoint): StoreChannel {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let dead: Error | null = null;

  endpoint.on('message', (message) => {
    const reply = message as StoreReply;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(fromErrorInfo(reply.error));
  });

  const call = <T>(method: StoreRequest['method'], ...args: unknown[]): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      endpoint.postMessage({ id, method, args } satisfies StoreRequest);
    });
  };

  // Page writes of each run that the worker has not confirmed yet. A connector may run this many
  // pages ahead of the writer (fetching and parsing the next page while the worker writes this
  // one); beyond that it waits, so memory stays bounded.
  const windows = new Map<number, Array<Promise<unknown>>>();
  const write = async (runId: number, method: 'users' | 'groups' | 'members', ...args: unknown[]): Promise<void> => {
    const window = windows.get(runId) ?? [];
    windows.set(runId, window);
    const p = call(method, runId, ...args);
    // Observed by the window below or by drain: never an unhandled rejection.
    p.catch(() => undefined);
    window.push(p);
    while (window.length > PAGES_AHEAD) await window.shift();
  };

  const writer = (runId: number): SnapshotSink => ({
    users: (batch) => write(runId, 'users', batch),
    groups: (batch) => write(runId, 'groups', batch),
    members: (groupId, members) => write(runId, 'members', groupId, members),
  });

  return {
    call,
    async sink(runId, connectionId) {
      await call('sink', runId, connectionId);
      return writer(runId);
    },
    writer,
    async drain(runId) {
      const window = windows.get(runId) ?? [];
      windows.delete(runId);
      await Promise.all(window);
    },
    fail(reason) {
      dead ??= reason;
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
    },
    failure: () => dead,
  };
}
