import { scimAppSchema, type ScimAppConfig } from '../../src-main/core/config/schema';
import { createScimConnector } from '../../src-main/core/connectors/scim/scim-connector';
import { createHttpClient } from '../../src-main/core/http/client';
import { silentLogger } from '../../src-main/core/ports';
import { envSecretStore } from '../../src-main/core/secrets/resolve';
import type { Db } from '../../src-main/core/store/database';
import { createLocalSnapshotStore } from '../../src-main/core/store/snapshot-store';
import { syncConnection, type SyncOutcome, type SyncProgress } from '../../src-main/core/sync/sync-connection';
import { NASTY_TOKEN } from './nasty-scim';

export function scimConfig(baseUrl: string, overrides: Record<string, unknown> = {}): ScimAppConfig {
  return scimAppSchema.parse({
    name: 'CRM',
    type: 'scim',
    baseUrl,
    auth: { type: 'bearer', token: { env: 'TEST_SCIM_TOKEN' } },
    limits: { requestsPerSecond: 1000, pageSize: 50 },
    ...overrides,
  });
}

/** One real sync of a SCIM app into the store (on a bulk connection, as the CLI does). */
export async function syncScim(
  db: Db,
  connectionId: number,
  config: ScimAppConfig,
  options: { token?: string; signal?: AbortSignal; onProgress?: (p: SyncProgress) => void } = {},
): Promise<SyncOutcome> {
  const secrets = envSecretStore({ TEST_SCIM_TOKEN: options.token ?? NASTY_TOKEN });
  const store = createLocalSnapshotStore(db.name);
  try {
    return await syncConnection({
    store,
    connectionId,
    name: config.name,
    connector: (factory) => createScimConnector(config, { secrets, createHttpClient: factory }),
    createHttpClient,
    signal: options.signal ?? new AbortController().signal,
    logger: silentLogger,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    await store.close();
  }
}
