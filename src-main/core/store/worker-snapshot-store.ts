import { MessageChannel, Worker } from 'node:worker_threads';
import { DriftlineError } from '../errors';
import type { OpenOptions } from './database';
import type { SnapshotStore } from './snapshot-store';
import { createStoreChannel, type StoreConnect } from './store-channel';

/** A store in a worker thread, which other threads can reach over ports. */
export type WorkerSnapshotStore = SnapshotStore & Required<Pick<SnapshotStore, 'openPort'>>;

/**
 * A SnapshotStore whose writes happen in a worker thread (see snapshot-worker.ts). Calls are
 * forwarded in order; each resolves when the worker has done it, which gives connectors their
 * back-pressure. If the worker dies, every pending and later call fails with the reason.
 */
export function createWorkerSnapshotStore(
  workerFile: string,
  file: string,
  options: Pick<OpenOptions, 'nativeBinding'> = {},
): WorkerSnapshotStore {
  const worker = new Worker(workerFile, {
    workerData: { file, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) },
    // Analysis allocates millions of short-lived objects: a larger young generation spends far less
    // time collecting them.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
  const channel = createStoreChannel(worker);
  worker.on('error', (err) => channel.fail(new DriftlineError('internal', `The snapshot writer stopped: ${err.message}`)));
  worker.on('exit', (code) => channel.fail(new DriftlineError('internal', `The snapshot writer exited (code ${code}).`)));

  return {
    beginRun: (connectionId) => channel.call('beginRun', connectionId),
    sink: (runId, connectionId) => channel.sink(runId, connectionId),
    async completeRun(runId, result) {
      await channel.drain(runId);
      return channel.call('completeRun', runId, result);
    },
    async failRun(runId, state, error) {
      await channel.drain(runId).catch(() => undefined);
      return channel.call('failRun', runId, state, error);
    },
    async ready() {
      await channel.call('ready');
    },
    analyze: (app, idp) => channel.call('analyze', app, idp),
    openPort() {
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ connect: port1 } satisfies StoreConnect, [port1]);
      return port2;
    },
    async close() {
      if (!channel.failure()) await channel.call('close');
      await worker.terminate();
    },
  };
}
