import type { SyncProgressDto } from '../../contract/dto';
import type { HttpClientFactory } from '../connectors/types';
import { DriftlineError } from '../errors';
import type { EventHub } from '../events';
import type { Logger, SecretStore } from '../ports';
import type { Db, OpenOptions } from '../store/database';
import { connectionsFromDb, syncWorkspace } from '../workspace';

export interface SyncCoordinator {
  /** Starts syncing the named connections (default: all) that are not already syncing. */
  start(names?: readonly string[]): string[];
  cancel(name?: string): string[];
  status(): SyncProgressDto[];
  /** Resolves when every started sync and its analysis has finished. */
  idle(): Promise<void>;
}

/**
 * Runs syncs in the background for the app: per-connection cancel, progress and outcome events,
 * then analysis of the apps whose snapshots changed.
 */
export function createSyncCoordinator(deps: {
  db: Db;
  secrets: SecretStore;
  createHttpClient: HttpClientFactory;
  baseDir: string;
  logger: Logger;
  events: EventHub;
  database?: Pick<OpenOptions, 'nativeBinding'>;
}): SyncCoordinator {
  const active = new Map<string, { abort: AbortController; progress: SyncProgressDto | null }>();
  const batches = new Set<Promise<void>>();

  return {
    start(names) {
      const all = connectionsFromDb(deps.db, deps.logger);
      const known = [...(all.idp ? [all.idp] : []), ...all.apps];
      const wanted = names ? new Set(names.map((n) => n.toLowerCase())) : null;
      if (wanted) {
        const missing = [...wanted].filter((w) => !known.some((c) => c.name.toLowerCase() === w));
        if (missing.length > 0) throw new DriftlineError('invalid_argument', `No connection named ${missing.join(', ')}.`);
      }
      const targets = known.filter((c) => (!wanted || wanted.has(c.name.toLowerCase())) && !active.has(c.name.toLowerCase()));
      if (targets.length === 0) return [];
      for (const c of targets) active.set(c.name.toLowerCase(), { abort: new AbortController(), progress: null });
      const only = targets.map((c) => c.name);
      const batch = syncWorkspace(
        { db: deps.db, idp: all.idp, apps: all.apps },
        {
          secrets: deps.secrets,
          createHttpClient: deps.createHttpClient,
          baseDir: deps.baseDir,
          logger: deps.logger,
          ...(deps.database ? { database: deps.database } : {}),
          only,
          signalFor: (name) => active.get(name.toLowerCase())?.abort.signal ?? AbortSignal.abort(),
          onProgress: (p) => {
            const entry = active.get(p.connection.toLowerCase());
            if (entry) entry.progress = p;
            deps.events.emit('sync.progress', p);
          },
          onFinished: (s) => {
            active.delete(s.connection.toLowerCase());
            deps.events.emit('sync.finished', { connection: s.connection, runId: s.runId, state: s.state, error: s.error, elapsedMs: s.elapsedMs });
          },
        },
      )
        .then(({ analyses }) => {
          const apps = analyses.filter((a) => a.analyzed).map((a) => a.app);
          if (apps.length > 0) deps.events.emit('findings.changed', { apps });
        })
        .catch((err: unknown) => {
          deps.logger.error('sync batch failed', { message: (err as Error).message });
        })
        .finally(() => {
          for (const name of only) active.delete(name.toLowerCase());
          batches.delete(batch);
        });
      batches.add(batch);
      return only;
    },
    cancel(name) {
      const out: string[] = [];
      for (const [key, entry] of active) {
        if (name !== undefined && key !== name.toLowerCase()) continue;
        entry.abort.abort();
        out.push(entry.progress?.connection ?? key);
      }
      return out;
    },
    status: () => [...active.values()].map((e) => e.progress).filter((p) => p !== null),
    idle: async () => {
      while (batches.size > 0) await Promise.allSettled([...batches]);
    },
  };
}
