import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../contract/errors';
import { DriftlineError } from '../errors';
import type { OpenOptions } from './database';
import type { SnapshotStore } from './snapshot-store';
import type { WorkerReply, WorkerRequest } from './snapshot-worker';

/** Pages a connector may hand over before the first of them is written. */
const PAGES_AHEAD = 4;

/**
 * A SnapshotStore whose writes happen in a worker thread (see snapshot-worker.ts). Calls are
 * forwarded in order; each resolves when the worker has done it, which gives connectors their
 * back-pressure. If the worker dies, every pending and later call fails with the reason.
 */
export function createWorkerSnapshotStore(workerFile: string, file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): SnapshotStore {
  const worker = new Worker(workerFile, {
    workerData: { file, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) },
    // Analysis allocates millions of short-lived objects: a larger young generation spends far less
    // time collecting them.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let dead: Error | null = null;

  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new DriftlineError(reply.error.code as ErrorCode, reply.error.message));
  });
  const die = (err: Error): void => {
    dead ??= err;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };
  worker.on('error', (err) => die(new DriftlineError('internal', `The snapshot writer stopped: ${err.message}`)));
  worker.on('exit', (code) => die(new DriftlineError('internal', `The snapshot writer exited (code ${code}).`)));

  const call = <T>(method: WorkerRequest['method'], ...args: unknown[]): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies WorkerRequest);
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
    // Observed by the window below or by completeRun/failRun: never an unhandled rejection.
    p.catch(() => undefined);
    window.push(p);
    while (window.length > PAGES_AHEAD) await window.shift();
  };
  const drain = async (runId: number): Promise<void> => {
    const window = windows.get(runId) ?? [];
    windows.delete(runId);
    await Promise.all(window);
  };

  return {
    beginRun: (connectionId) => call('beginRun', connectionId),
    async sink(runId, connectionId) {
      await call('sink', runId, connectionId);
      return {
        users: (batch) => write(runId, 'users', batch),
        groups: (batch) => write(runId, 'groups', batch),
        members: (groupId, members) => write(runId, 'members', groupId, members),
      };
    },
    async completeRun(runId, result) {
      await drain(runId);
      return call('completeRun', runId, result);
    },
    async failRun(runId, state, error) {
      await drain(runId).catch(() => undefined);
      return call('failRun', runId, state, error);
    },
    analyze: (app, idp) => call('analyze', app, idp),
    async close() {
      if (!dead) await call('close');
      await worker.terminate();
    },
  };
}
