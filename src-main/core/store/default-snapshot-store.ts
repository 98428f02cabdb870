import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenOptions } from './database';
import { createLocalSnapshotStore, type SnapshotStore } from './snapshot-store';
import { createWorkerSnapshotStore } from './worker-snapshot-store';

/** The built worker entry (out/main/snapshot-worker.js), found from wherever the running bundle sits. */
export function snapshotWorkerFile(from: string = __dirname): string | null {
  for (const dir of [from, dirname(from)]) {
    const file = join(dir, 'snapshot-worker.js');
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Sync writes go to a worker thread when running from the build (the CLI, browser mode, the
 * desktop app); from sources (unit tests) the same store runs in this thread.
 */
export function defaultSnapshotStore(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): SnapshotStore {
  const worker = snapshotWorkerFile();
  return worker ? createWorkerSnapshotStore(worker, file, options) : createLocalSnapshotStore(file, options);
}
