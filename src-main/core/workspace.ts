import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { idpSchema, scimAppSchema, type ConnectionConfig, type DriftlineConfig, type ScimAppConfig } from './config/schema';
import { createConnector, type ConnectorEnv } from './connectors/create-connector';
import type { AnalysisOutcome } from './findings/analyze-app';
import type { Logger } from './ports';
import { listConnections, upsertConnection } from './store/connections.repo';
import { openDatabase, type Db, type OpenOptions } from './store/database';
import { defaultSnapshotStore } from './store/default-snapshot-store';
import type { SnapshotStore } from './store/snapshot-store';
import { recoverInterruptedRuns } from './store/runs.repo';
import { syncConnection, type PollSource, type SyncOutcome, type SyncProgress } from './sync/sync-connection';
import { pollInWorker } from './sync/worker-poll';
import { builtWorkerFile } from './util/built-worker';

export interface WorkspaceConnection<C extends ConnectionConfig = ConnectionConfig> {
  id: number;
  name: string;
  config: C;
}

/** The database plus the connections of one configuration. */
export interface Workspace {
  db: Db;
  idp: WorkspaceConnection;
  apps: WorkspaceConnection<ScimAppConfig>[];
  close(): void;
}

export const DATABASE_FILE = 'driftline.db';

/** The connections stored in the database (registered from a config file or saved in the app). */
export function connectionsFromDb(db: Db, logger: Logger): { idp: WorkspaceConnection | null; apps: WorkspaceConnection<ScimAppConfig>[] } {
  let idp: WorkspaceConnection | null = null;
  const apps: WorkspaceConnection<ScimAppConfig>[] = [];
  for (const row of listConnections(db)) {
    const json: unknown = JSON.parse(row.configJson);
    const parsed = row.role === 'idp' ? idpSchema.safeParse(json) : scimAppSchema.safeParse(json);
    if (!parsed.success) {
      logger.warn('stored connection config is invalid; skipped', { name: row.name });
      continue;
    }
    if (row.role === 'idp') idp = { id: row.id, name: row.name, config: parsed.data };
    else apps.push({ id: row.id, name: row.name, config: parsed.data as ScimAppConfig });
  }
  return { idp, apps };
}

/** Opens the data folder's database (created 0700/0600), cleans up interrupted runs, registers the config's connections. */
export function openWorkspace(dataDir: string, config: DriftlineConfig, options: OpenOptions = {}): Workspace {
  const db = openDataDir(dataDir, options);
  const register = <C extends ConnectionConfig>(c: C, role: 'idp' | 'app'): WorkspaceConnection<C> => ({
    id: upsertConnection(db, { name: c.name, role, type: c.type, configJson: JSON.stringify(c) }),
    name: c.name,
    config: c,
  });
  return {
    db,
    idp: register(config.idp, 'idp'),
    apps: config.apps.map((a) => register(a, 'app')),
    close: () => db.close(),
  };
}

/** Opens (creating 0700/0600) the data folder's database and cleans up interrupted runs. */
export function openDataDir(dataDir: string, options: OpenOptions = {}): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const db = openDatabase(join(dataDir, DATABASE_FILE), options);
  recoverInterruptedRuns(db);
  return db;
}

/**
 * Where a connection's poll runs. From the build, with the store in its own thread, each poll runs
 * in a sync worker that writes its pages straight to the store's thread: fetching, parsing and
 * normalizing megabytes of JSON never stalls this thread. From sources (tests), it runs here with
 * the given HTTP factory.
 */
export function pollSourceFor(c: WorkspaceConnection, store: SnapshotStore, env: ConnectorEnv): PollSource {
  const workerFile = builtWorkerFile('sync-worker');
  const { openPort } = store;
  if (workerFile && openPort) {
    const withPort = { sink: store.sink.bind(store), openPort: openPort.bind(store) };
    return { poll: pollInWorker({ workerFile, config: c.config, baseDir: env.baseDir, secrets: env.secrets, store: withPort }) };
  }
  return { connector: (createHttpClient) => createConnector(c.config, { ...env, createHttpClient }), createHttpClient: env.createHttpClient };
}

export interface SyncAllOptions extends ConnectorEnv {
  /** Cancels one connection's sync (the CLI passes one signal for all). */
  signalFor(name: string): AbortSignal;
  logger: Logger;
  onProgress?: (p: SyncProgress) => void;
  /** Called as each connection's run ends, before the others finish and before analysis. */
  onFinished?: (outcome: SyncOutcome) => void;
  /** The host's better-sqlite3 binding, for the sync's bulk connection. */
  database?: Pick<OpenOptions, 'nativeBinding'>;
  /**
   * Where the pages go (default: a worker thread when running from the build, else this thread). A
   * store with `openPort` has each poll run in a sync worker when running from the build.
   */
  openStore?: (file: string, options: Pick<OpenOptions, 'nativeBinding'>) => SnapshotStore;
  /** Limit to these connection names (default: the IdP and every app). */
  only?: readonly string[];
}

/**
 * Polls the IdP and the apps concurrently (they are different servers), then analyzes each app
 * whose snapshots changed, comparing the latest complete snapshots of both sides.
 */
export async function syncWorkspace(
  ws: { db: Db; idp: WorkspaceConnection | null; apps: WorkspaceConnection<ScimAppConfig>[] },
  options: SyncAllOptions,
): Promise<{ syncs: SyncOutcome[]; analyses: AnalysisOutcome[] }> {
  const wanted = options.only ? new Set(options.only.map((n) => n.toLowerCase())) : null;
  const targets = [...(ws.idp ? [ws.idp] : []), ...ws.apps].filter((c) => !wanted || wanted.has(c.name.toLowerCase()));
  const store = (options.openStore ?? defaultSnapshotStore)(ws.db.name, options.database ?? {});
  try {
    const syncs = await Promise.all(
      targets.map((c) =>
      syncConnection({
        ...pollSourceFor(c, store, options),
        store,
        connectionId: c.id,
        name: c.name,
        signal: options.signalFor(c.name),
        logger: options.logger,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }).then((outcome) => {
        options.onFinished?.(outcome);
        return outcome;
      }),
      ),
    );
    const idp = ws.idp;
    if (!idp) return { syncs, analyses: [] };
    const idpChanged = syncs.some((s) => s.connection === idp.name && s.state === 'complete');
    const analyses: AnalysisOutcome[] = [];
    // Analysis runs where the pages were written (the worker thread, from the build): seconds of
    // CPU for a large tenant that the app's event loop never sees.
    for (const a of ws.apps.filter((app) => idpChanged || syncs.some((s) => s.connection === app.name && s.state === 'complete'))) {
      analyses.push(await store.analyze({ connectionId: a.id, name: a.name, config: a.config }, { connectionId: idp.id, name: idp.name }));
    }
    return { syncs, analyses };
  } finally {
    await store.close();
  }
}
