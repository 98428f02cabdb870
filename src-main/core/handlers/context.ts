import type { HttpClientFactory } from '../connectors/types';
import type { DemoTenant } from '../../demo/demo-tenant';
import type { EventHub } from '../events';
import type { Logger, SecretVault } from '../ports';
import type { Db } from '../store/database';
import type { SyncCoordinator } from '../sync/sync-coordinator';
import type { ActionService } from '../actions/action-service';
import type { AuditLog } from '../audit/audit-log';

/** What every handler map shares. */
export interface CoreContext {
  db: Db;
  dataDir: string;
  secrets: SecretVault;
  logger: Logger;
  events: EventHub;
  createHttpClient: HttpClientFactory;
  syncs: SyncCoordinator;
  demo: { tenant: DemoTenant | null };
  actions: ActionService;
  audit: AuditLog;
  /** Who is acting, for the audit log (the OS user). */
  operator: string;
}
