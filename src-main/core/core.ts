import type { ApiHandlers } from '../contract/api';
import { createActionService } from './actions/action-service';
import { openAuditLog } from './audit/audit-log';
import { actionHandlers } from './handlers/actions.handlers';
import type { HttpClientFactory } from './connectors/types';
import { createEventHub, type EventHub } from './events';
import { appHandlers } from './handlers/app.handlers';
import { connectionHandlers } from './handlers/connections.handlers';
import type { CoreContext } from './handlers/context';
import { findingHandlers } from './handlers/findings.handlers';
import { syncHandlers } from './handlers/sync.handlers';
import { createHttpClient } from './http/client';
import type { Logger, SecretVault } from './ports';
import type { OpenOptions } from './store/database';
import { createSyncCoordinator } from './sync/sync-coordinator';
import { openDataDir } from './workspace';

/** Platform services a host provides to the core. */
export interface CorePorts {
  dataDir: string;
  secrets: SecretVault;
  logger: Logger;
  /** better-sqlite3 build for the host's runtime (Electron's ABI). */
  database?: OpenOptions;
  createHttpClient?: HttpClientFactory;
  /** Who is acting, recorded in the audit log (the OS user). */
  operator: string;
}

export interface Core {
  handlers: ApiHandlers;
  events: EventHub;
  stop(): Promise<void>;
}

/** The service core behind every shell: one handler map per domain, joined into the API. */
export function createCore(ports: CorePorts): Core {
  const db = openDataDir(ports.dataDir, ports.database);
  const events = createEventHub();
  const http = ports.createHttpClient ?? createHttpClient;
  const audit = openAuditLog(db, ports.dataDir);
  const actions = createActionService({ db, audit, secrets: ports.secrets, createHttpClient: http, logger: ports.logger, events, operator: ports.operator });
  const ctx: CoreContext = {
    db,
    audit,
    actions,
    operator: ports.operator,
    dataDir: ports.dataDir,
    secrets: ports.secrets,
    logger: ports.logger,
    events,
    createHttpClient: http,
    syncs: createSyncCoordinator({
      db,
      secrets: ports.secrets,
      createHttpClient: http,
      baseDir: ports.dataDir,
      logger: ports.logger,
      events,
      ...(ports.database?.nativeBinding ? { database: { nativeBinding: ports.database.nativeBinding } } : {}),
    }),
    demo: { tenant: null },
  };
  const handlers: ApiHandlers = {
    ...appHandlers(ctx),
    ...connectionHandlers(ctx),
    ...syncHandlers(ctx),
    ...findingHandlers(ctx),
    ...actionHandlers(ctx),
  };
  // Writes a crash or timeout left unsettled are resolved by reading their targets, in the background.
  actions.reconcilePending().catch((err: unknown) => ports.logger.warn('settling interrupted writes failed', { message: (err as Error).message }));
  return {
    handlers,
    events,
    async stop() {
      ctx.syncs.cancel();
      await ctx.syncs.idle();
      await actions.idle();
      await ctx.demo.tenant?.close();
      ctx.demo.tenant = null;
      audit.flushHead();
      db.close();
    },
  };
}
