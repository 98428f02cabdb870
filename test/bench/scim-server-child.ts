// `bench.js --serve`: generates the tenant, writes the IdP export, serves the app side with the demo
// SCIM server and answers the parent's requests over IPC until told to stop.
import { join } from 'node:path';
import { startScimApp } from '../../src-main/demo/scim-app';
import { applyChurn, planChurn } from './churn';
import { writeIdpExport } from './idp-export';
import { isParentMessage, type ChildMessage, type LoggedRequest } from './ipc';
import { generateTenant, scimSeed, TENANT_SEED, type TenantSize } from './tenant';

export interface ServerChildOptions {
  size: TenantSize;
  /** Where the HR export is written. */
  dir: string;
  token: string;
}

const EXPORT_SEED = TENANT_SEED + 1;
const CHURN_SEED = TENANT_SEED + 2;

function send(message: ChildMessage): void {
  process.send?.(message);
}

export async function runScimServerChild(options: ServerChildOptions): Promise<void> {
  // Orphaned by a crashed parent, the server would otherwise hold its port and memory forever.
  process.on('disconnect', () => process.exit(0));
  try {
    let t = performance.now();
    const tenant = generateTenant(options.size);
    const generateMs = performance.now() - t;

    t = performance.now();
    const csvPath = join(options.dir, 'hr-export.csv');
    const idp = writeIdpExport(tenant, csvPath, EXPORT_SEED);
    const exportMs = performance.now() - t;

    t = performance.now();
    // The sync's requests are compared with the floor's, so the log must hold all of them.
    const app = await startScimApp({ token: options.token, ...scimSeed(tenant), maxPageSize: 1000, requestLogLimit: 1_000_000 });
    const seedMs = performance.now() - t;
    globalThis.gc?.();

    process.on('message', (m: unknown) => {
      if (!isParentMessage(m)) return;
      switch (m.type) {
        case 'clear-requests':
          app.requests.splice(0);
          send({ type: 'cleared' });
          return;
        case 'requests': {
          const requests: LoggedRequest[] = app.requests.map((r) => ({
            target: `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`,
            status: r.status,
          }));
          send({ type: 'requests', requests });
          return;
        }
        case 'churn': {
          const started = performance.now();
          const plan = planChurn(tenant, m.rate, CHURN_SEED);
          applyChurn(app.url, options.token, plan.requests).then(
            () => send({ type: 'churned', churn: { ...plan.summary, requests: plan.requests.length, ms: performance.now() - started } }),
            (err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
          );
          return;
        }
        case 'stop':
          void app.close().finally(() => process.disconnect());
          return;
      }
    });

    send({
      type: 'ready',
      url: app.url,
      csvPath,
      size: options.size,
      idp,
      generateMs,
      exportMs,
      seedMs,
      rssMiB: process.memoryUsage.rss() / 2 ** 20,
    });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exitCode = 1;
    process.disconnect();
  }
}
