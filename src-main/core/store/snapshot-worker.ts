import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { toErrorInfo } from '../errors';
import { openLocalStore, type WritableSink } from './snapshot-store';
import { unpackGroups, unpackMembers, unpackUsers, type PackedGroups, type PackedMembers, type PackedUsers } from './page-codec';
import type { CallReply } from '../util/call-channel';
import type { StoreConnect, StoreRequest } from './store-channel';

// The worker-thread side of the worker snapshot store: the same local store, driven by messages
// from the main thread and from the sync workers' ports, so parsing pages (sync workers) and
// writing them (here) use both cores and a long write never stalls the app's event loop.

const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string };
const store = openLocalStore(file, nativeBinding ? { nativeBinding } : {});
const sinks = new Map<number, WritableSink>();

function sinkOf(runId: unknown): WritableSink {
  const sink = sinks.get(Number(runId));
  if (!sink) throw new Error(`run ${String(runId)} has no open sink`);
  return sink;
}

async function handle(req: StoreRequest): Promise<unknown> {
  const [a, b, c] = req.args;
  switch (req.method) {
    case 'beginRun':
      return store.beginRun(Number(a));
    case 'sink':
      sinks.set(Number(a), await store.sink(Number(a), Number(b)));
      return null;
    case 'users':
      return sinkOf(a).users(unpackUsers(b as PackedUsers));
    case 'groups':
      return sinkOf(a).groups(unpackGroups(b as PackedGroups));
    case 'members':
      return sinkOf(a).members(String(b), c === null ? null : unpackMembers(c as PackedMembers));
    case 'completeRun':
      sinks.delete(Number(a));
      return store.completeRun(Number(a), b as Parameters<typeof store.completeRun>[1]);
    case 'failRun':
      sinks.delete(Number(a));
      return store.failRun(Number(a), b as 'failed' | 'cancelled', c as Parameters<typeof store.failRun>[2]);
    case 'ready':
      return store.ready();
    case 'analyze':
      return store.analyze(a as Parameters<typeof store.analyze>[0], b as Parameters<typeof store.analyze>[1]);
    case 'close':
      return store.close();
  }
}

// Requests are handled strictly one after another, in arrival order whichever port they came on,
// like the local store's calls; each reply goes back on the port its request came from.
let queue: Promise<void> = Promise.resolve();
function enqueue(port: MessagePort, req: StoreRequest): void {
  queue = queue.then(async () => {
    let reply: CallReply;
    try {
      reply = { id: req.id, ok: true, value: (await handle(req)) ?? null };
    } catch (err) {
      reply = { id: req.id, ok: false, error: toErrorInfo(err) };
    }
    port.postMessage(reply);
    // The analysis's commit left the WAL as it was; copying it into the database is no longer on
    // the caller's wait, and still comes before the next request.
    if (req.method === 'analyze') {
      try {
        store.checkpoint();
      } catch {
        // Ignored on purpose: a checkpoint that fails loses nothing, and the next commit over the
        // threshold runs one.
      }
    }
  });
}

const parent = parentPort;
parent?.on('message', (message: StoreRequest | StoreConnect) => {
  if ('connect' in message) message.connect.on('message', (req: StoreRequest) => enqueue(message.connect, req));
  else enqueue(parent, message);
});
