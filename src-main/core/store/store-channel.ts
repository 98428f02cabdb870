import type { MessagePort } from 'node:worker_threads';
import type { SnapshotSink } from '../model';
import { ownedBuffers, packGroups, packMembers, packUsers, type PackedGroups, type PackedUsers } from './page-codec';
import { createCallChannel, type CallChannel, type CallRequest, type ChannelEndpoint } from '../util/call-channel';

// The request/reply protocol of the snapshot store's worker thread (snapshot-worker.ts), and its
// one client: the main thread's store and each sync worker's page sink talk to it through this.

export type StoreMethod = 'beginRun' | 'sink' | 'users' | 'groups' | 'members' | 'completeRun' | 'failRun' | 'ready' | 'analyze' | 'close';

/** One call of a store method, as the store worker receives it. */
export type StoreRequest = CallRequest<StoreMethod>;

/** Sent to the store worker with a port it then serves like its own: a sync worker's page writes. */
export interface StoreConnect {
  connect: MessagePort;
}

export interface StoreChannel extends CallChannel<StoreMethod> {
  /** Opens the run's sink in the store worker; its writes may run PAGES_AHEAD pages ahead of the writer. */
  sink(runId: number, connectionId: number): Promise<SnapshotSink>;
  /** The writes of a run whose sink was opened through another channel. */
  writer(runId: number): SnapshotSink;
  /** Settles once every page write of the run sent through this channel is done (rejects with the first failure). */
  drain(runId: number): Promise<void>;
}

/** Pages a connector may hand over before the first of them is written. */
const PAGES_AHEAD = 4;

/**
 * Calls are sent in order; each resolves when the store worker has done it, which gives connectors
 * their back-pressure. Errors come back as ErrorInfo and are rethrown as DriftlineErrors.
 */
export function createStoreChannel(endpoint: ChannelEndpoint): StoreChannel {
  const channel = createCallChannel<StoreMethod>(endpoint);
  const call = channel.call.bind(channel);

  // Page writes of each run that the worker has not confirmed yet. A connector may run this many
  // pages ahead of the writer (fetching and parsing the next page while the worker writes this
  // one); beyond that it waits, so memory stays bounded.
  const windows = new Map<number, Array<Promise<unknown>>>();
  const write = async (
    runId: number,
    method: 'users' | 'groups' | 'members',
    args: unknown[],
    transfer: readonly ArrayBuffer[],
    written?: (value: unknown) => void,
  ): Promise<void> => {
    const window = windows.get(runId) ?? [];
    windows.set(runId, window);
    const p = channel.callTransferring(method, transfer, runId, ...args);
    if (written) p.then(written, () => undefined);
    // Observed by the window below or by drain: never an unhandled rejection.
    p.catch(() => undefined);
    window.push(p);
    while (window.length > PAGES_AHEAD) await window.shift();
  };

  // Pages are compressed where they are parsed while every record the store sees is new (a first
  // sync); once a page comes back with unchanged records, the store compresses just what changed.
  const compressing = new Map<number, boolean>();
  const page = (runId: number, method: 'users' | 'groups', packed: PackedUsers | PackedGroups, count: number): Promise<void> =>
    write(runId, method, [packed], ownedBuffers(packed), (changed) => {
      if (typeof changed === 'number' && changed < count) compressing.set(runId, false);
    });
  const compress = (runId: number): boolean => compressing.get(runId) ?? true;

  const writer = (runId: number): SnapshotSink => ({
    users: (batch) => page(runId, 'users', packUsers(batch, compress(runId)), batch.length),
    groups: (batch) => page(runId, 'groups', packGroups(batch, compress(runId)), batch.length),
    members: (groupId, members) => write(runId, 'members', [groupId, members && packMembers(members)], []),
  });

  return {
    ...channel,
    async sink(runId, connectionId) {
      await call('sink', runId, connectionId);
      return writer(runId);
    },
    writer,
    async drain(runId) {
      const window = windows.get(runId) ?? [];
      windows.delete(runId);
      compressing.delete(runId);
      await Promise.all(window);
    },
  };
}
