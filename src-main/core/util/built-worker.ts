import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The worker entries the build emits next to the main bundles (see electron.vite.config.ts). */
export type BuiltWorker = 'snapshot-worker' | 'sync-worker' | 'analysis-worker';

/**
 * A built worker entry (out/main/<name>.js), found from wherever the running bundle sits (its
 * chunks live one folder down); null when running from sources, which have no built entries.
 */
export function builtWorkerFile(name: BuiltWorker, from: string = __dirname): string | null {
  for (const dir of [from, dirname(from)]) {
    const file = join(dir, `${name}.js`);
    if (existsSync(file)) return file;
  }
  return null;
}
