import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionConfig, DriftlineConfig, ScimAppConfig } from './config/schema';
import { createConnector, type ConnectorEnv } from './connectors/create-connector';
import { analyzeApp, type AnalysisOutcome } from './findings/analyze-app';
import type { Logger } from './ports';
import { upsertConnection } from './store/connections.repo';
import { openDatabase, type Db, type OpenOptions } from './store/database';
import { recoverInterruptedRuns } from './store/runs.repo';
import { syncConnection, type SyncOutcome, type SyncProgress } from './sync/sync-connection';

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

/** Opens the data folder's database (created 0700/0600), cleans up interrupted runs, registers the config's connections. */
export function openWorkspace(dataDir: string, config: DriftlineConfig, options: OpenOptions = {}): Workspace {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const db = openDatabase(join(dataDir, DATABASE_FILE), options);
  recoverInterruptedRuns(db);
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

export interface SyncAllOptions extends ConnectorEnv {
  signal: AbortSignal;
  logger: Logger;
  onProgress?: (p: SyncProgress) => void;
  /** Limit to these connection names (default: the IdP and every app). */
  only?: readonly string[];
}

/**
 * Polls the IdP and the apps concurrently (they are different servers), then analyzes each app
 * whose snapshots changed, comparing the latest complete snapshots of both sides.
 */
export async function syncWorkspace(ws: Workspace, options: SyncAllOptions): Promise<{ syncs: SyncOutcome[]; analyses: AnalysisOutcome[] }> {
  const wanted = options.only ? new Set(options.only.map((n) => n.toLowerCase())) : null;
  const targets = [ws.idp, ...ws.apps].filter((c) => !wanted || wanted.has(c.name.toLowerCase()));
  const syncs = await Promise.all(
    targets.map((c) =>
      syncConnection({
        db: ws.db,
        connectionId: c.id,
        name: c.name,
        connector: (createHttpClient) => createConnector(c.config, { ...options, createHttpClient }),
        createHttpClient: options.createHttpClient,
        signal: options.signal,
        logger: options.logger,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    ),
  );
  const idpChanged = syncs.some((s) => s.connection === ws.idp.name && s.state === 'complete');
  const analyses = ws.apps
    .filter((a) => idpChanged || syncs.some((s) => s.connection === a.name && s.state === 'complete'))
    .map((a) => analyzeApp(ws.db, { connectionId: a.id, name: a.name, config: a.config }, { connectionId: ws.idp.id, name: ws.idp.name }));
  return { syncs, analyses };
}
