import { parentPort, workerData } from 'node:worker_threads';
import { createConnector } from '../connectors/create-connector';
import type { PollResult } from '../connectors/types';
import { DriftlineError, toErrorInfo } from '../errors';
import { createHttpClient } from '../http/client';
import type { SnapshotSink } from '../model';
import type { Logger } from '../ports';
import { resolvedSecretStore } from '../secrets/resolved-secrets';
import { createStoreChannel } from '../store/store-channel';
import { pollConnector } from './poll-run';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './sync-worker-protocol';

// One connection's poll in its own thread (started by worker-poll.ts): HTTP, the JSON.parse of every
// page and normalization happen here, and the pages go straight to the snapshot store's thread, so
// the app's event loop only sees progress, log lines and the outcome.

const parent = parentPort;
if (!parent) throw new Error('sync-worker runs only as a worker thread');
const data = workerData as SyncWorkerData;
const post = (message: FromSyncWorker): void => parent.postMessage(message);

const abort = new AbortController();
let sinkOpened: () => void = () => undefined;
const sinkOpen = new Promise<void>((resolve) => {
  sinkOpened = resolve;
});
parent.on('message', (message: ToSyncWorker) => {
  if (message.type === 'cancel') abort.abort();
  else sinkOpened();
});

/** Log lines go to the main thread's logger, which decides what to print and redacts. */
function forwardingLogger(): Logger {
  const log =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      try {
        post({ type: 'log', level, message, ...(fields ? { fields } : {}) });
      } catch {
        // A field that cannot cross threads (a function, a handle) must not fail the work that logs it.
        post({ type: 'log', level, message });
      }
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const store = createStoreChannel(data.storePort);
data.storePort.on('close', () => store.fail(new DriftlineError('internal', 'The snapshot writer closed its connection during the sync.')));

/**
 * The run's page writes, held back until the main thread has opened the sink (loading the open
 * versions can take seconds): discovery and the first page are fetched meanwhile.
 */
function gatedSink(writes: SnapshotSink): SnapshotSink {
  return {
    users: (batch) => sinkOpen.then(() => writes.users(batch)),
    groups: (batch) => sinkOpen.then(() => writes.groups(batch)),
    members: (groupId, members) => sinkOpen.then(() => writes.members(groupId, members)),
  };
}

async function poll(): Promise<PollResult> {
  const sink = gatedSink(store.writer(data.runId));
  const secrets = resolvedSecretStore(data.secrets);
  const result = await pollConnector(
    (factory) => createConnector(data.config, { secrets, createHttpClient: factory, baseDir: data.baseDir }),
    createHttpClient,
    sink,
    {
      signal: abort.signal,
      logger: forwardingLogger(),
      progress: (update) => post({ type: 'progress', update }),
      retryWait: (event) => post({ type: 'retry_wait', event }),
    },
  );
  await store.drain(data.runId);
  return result;
}

poll()
  .then(
    (result) => post({ type: 'done', result }),
    async (err: unknown) => {
      // The main thread rolls the run back next: the writes already sent settle first.
      await store.drain(data.runId).catch(() => undefined);
      post({ type: 'failed', error: toErrorInfo(err) });
    },
  )
  .finally(() => data.storePort.close());
