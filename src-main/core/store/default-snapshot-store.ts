import { builtWorkerFile } from '../util/built-worker';
import type { OpenOptions } from './database';
import { createLocalSnapshotStore, type SnapshotStore } from './snapshot-store';
import { createWorkerSnapshotStore } from './worker-snapshot-store';

/**
 * Sync writes go to a worker thread when running from the build (the CLI, browser mode, the
 * desktop app); from sources (unit tests) the same store runs in this thread.
 */
export function defaultSnapshotStore(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): SnapshotStore {
  const worker = builtWorkerFile('snapshot-worker');
  return worker ? createWorkerSnapshotStore(worker, file, options) : createLocalSnapshotStore(file, options);
}
