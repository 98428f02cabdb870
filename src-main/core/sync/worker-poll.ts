import { Worker } from 'node:worker_threads';
import type { ConnectionConfig } from '../config/schema';
import type { PollResult } from '../connectors/types';
import { DriftlineError, fromErrorInfo } from '../errors';
import type { SecretStore } from '../ports';
import { resolveSecrets } from '../secrets/resolved-secrets';
import type { WorkerSnapshotStore } from '../store/worker-snapshot-store';
import type { RunPoll } from './poll-run';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './sync-worker-protocol';

export interface WorkerPollOptions {
  /** The built sync-worker entry. */
  workerFile: string;
  config: ConnectionConfig;
  /** The config file's folder: relative file paths in the config resolve against it. */
  baseDir: string;
  secrets: SecretStore;
  /** A store in its own thread: the worker gets a port to it. */
  store: Pick<WorkerSnapshotStore, 'sink' | 'openPort'>;
}

/**
 * Runs each poll in its own sync worker (sync-worker.ts), which writes its pages to the store's
 * thread directly: this thread keeps only progress, logging and cancellation. The connector there
 * uses the real HTTP client; a worker that dies fails the poll with the reason.
 */
export function pollInWorker(options: WorkerPollOptions): RunPoll {
  return async (run) => {
    const secrets = await resolveSecrets(options.config, options.secrets);
    run.signal.throwIfAborted();
    const storePort = options.store.openPort();
    const workerData: SyncWorkerData = { config: options.config, baseDir: options.baseDir, secrets, runId: run.runId, connectionId: run.connectionId, storePort };
    const worker = new Worker(options.workerFile, {
      workerData,
      transferList: [storePort],
      // A page's parsed JSON lives until it is normalized and handed over: a larger young
      // generation collects those megabytes less often (~8% less CPU for a full sync).
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    return new Promise<PollResult>((resolve, reject) => {
      let settled = false;
      const cancel = (): void => worker.postMessage({ type: 'cancel' } satisfies ToSyncWorker);
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        run.signal.removeEventListener('abort', cancel);
        finish();
        void worker.terminate();
      };
      run.signal.addEventListener('abort', cancel, { once: true });
      // Opening the sink (which loads the connection's open versions) overlaps the worker's start
      // and discovery; the worker's writes wait for it, so they reach the store after it.
      options.store.sink(run.runId, run.connectionId).then(
        () => worker.postMessage({ type: 'sink_open' } satisfies ToSyncWorker),
        (err: unknown) => settle(() => reject(err)),
      );
      worker.on('message', (message: FromSyncWorker) => {
        switch (message.type) {
          case 'progress':
            return run.progress(message.update);
          case 'retry_wait':
            return run.retryWait(message.event);
          case 'log':
            return run.logger[message.level](message.message, message.fields);
          case 'done':
            return settle(() => resolve(message.result));
          case 'failed':
            return settle(() => reject(fromErrorInfo(message.error)));
        }
      });
      worker.on('error', (err) => settle(() => reject(new DriftlineError('internal', `The sync worker stopped: ${err.message}`))));
      worker.on('exit', (code) => settle(() => reject(new DriftlineError('internal', `The sync worker exited (code ${code}) before the sync finished.`))));
    });
  };
}
