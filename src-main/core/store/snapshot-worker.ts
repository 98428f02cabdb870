import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../errors';
import type { SnapshotSink } from '../model';
import { createLocalSnapshotStore } from './snapshot-store';

// The worker-thread side of the worker snapshot store: the same local store, driven by messages,
// so parsing pages (main thread) and writing them (here) use both cores and a long write never
// stalls the app's event loop.

export interface WorkerRequest {
  id: number;
  method: 'beginRun' | 'sink' | 'users' | 'groups' | 'members' | 'completeRun' | 'failRun' | 'analyze' | 'close';
  args: unknown[];
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: string; message: string } };

const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string };
const store = createLocalSnapshotStore(file, nativeBinding ? { nativeBinding } : {});
const sinks = new Map<number, SnapshotSink>();
const port = parentPort;

function sinkOf(runId: unknown): SnapshotSink {
  const sink = sinks.get(Number(runId));
  if (!sink) throw new Error(`run ${String(runId)} has no open sink`);
  return sink;
}

async function handle(req: WorkerRequest): Promise<unknown> {
  const [a, b, c] = req.args;
  switch (req.method) {
    case 'beginRun':
      return store.beginRun(Number(a));
    case 'sink':
      sinks.set(Number(a), await store.sink(Number(a), Number(b)));
      return null;
    case 'users':
      return sinkOf(a).users(b as Parameters<SnapshotSink['users']>[0]);
    case 'groups':
      return sinkOf(a).groups(b as Parameters<SnapshotSink['groups']>[0]);
    case 'members':
      return sinkOf(a).members(String(b), c as Parameters<SnapshotSink['members']>[1]);
    case 'completeRun':
      sinks.delete(Number(a));
      return store.completeRun(Number(a), b as Parameters<typeof store.completeRun>[1]);
    case 'failRun':
      sinks.delete(Number(a));
      return store.failRun(Number(a), b as 'failed' | 'cancelled', c as Parameters<typeof store.failRun>[2]);
    case 'analyze':
      return store.analyze(a as Parameters<typeof store.analyze>[0], b as Parameters<typeof store.analyze>[1]);
    case 'close':
      return store.close();
  }
}

// Requests are handled strictly one after another, in arrival order, like the local store's calls.
let queue: Promise<void> = Promise.resolve();
port?.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = { id: req.id, ok: true, value: (await handle(req)) ?? null };
    } catch (err) {
      reply = { id: req.id, ok: false, error: toErrorInfo(err) };
    }
    port.postMessage(reply);
  });
});
