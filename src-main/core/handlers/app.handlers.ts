import type { ApiHandlers } from '../../contract/api';
import { startDemoTenant } from '../../demo/demo-tenant';
import { getPath, isSecretRef, secretFieldPaths, withPath } from '../config/secret-fields';
import { DriftlineError } from '../errors';
import { listConnections, upsertConnection } from '../store/connections.repo';
import type { CoreContext } from './context';
import { toConnectionDto } from './dto-mappers';

type AppHandlers = Pick<ApiHandlers, 'app.info' | 'demo.open'>;

export const APP_VERSION = '0.1.0';

export function appHandlers(ctx: CoreContext): AppHandlers {
  return {
    'app.info': () =>
      Promise.resolve({ version: APP_VERSION, dataDir: ctx.dataDir, secretStorage: ctx.secrets.describe(), demoRunning: ctx.demo.tenant !== null }),

    /**
     * Starts the demo tenant inside this process and adds its two connections. Its tokens go to the
     * secret store like any other secret; the connections reference them.
     */
    'demo.open': async () => {
      const idp = listConnections(ctx.db).find((c) => c.role === 'idp');
      if (idp && idp.name !== 'Okta (demo)') {
        throw new DriftlineError('config_invalid', `"${idp.name}" is already the identity provider here; the demo needs a workspace without one.`);
      }
      ctx.demo.tenant ??= await startDemoTenant();
      const tenant = ctx.demo.tenant;
      const connections = [
        { role: 'idp' as const, config: tenant.config.idp as Record<string, unknown> },
        ...tenant.config.apps.map((a) => ({ role: 'app' as const, config: a as Record<string, unknown> })),
      ];
      for (const c of connections) {
        let config = c.config;
        for (const field of secretFieldPaths(config)) {
          const ref = getPath(config, field);
          if (!isSecretRef(ref) || !('env' in ref)) continue;
          const key = `demo:${ref.env}`;
          const value = tenant.secrets[ref.env];
          if (value !== undefined) await ctx.secrets.set(key, value);
          config = withPath(config, field, { secret: key });
        }
        const stored = config;
        ctx.db.transaction(() => {
          upsertConnection(ctx.db, { name: String(stored.name), role: c.role, type: String(stored.type), configJson: JSON.stringify(stored) });
          ctx.audit.append(ctx.operator, 'setting.changed', { app: String(stored.name), target: `connection ${String(stored.name)}`, details: { change: 'demo opened', after: stored } });
        })();
      }
      const names = connections.map((c) => String(c.config.name));
      ctx.events.emit('connections.changed', { names });
      const rows = listConnections(ctx.db).filter((r) => names.includes(r.name));
      return { connections: await Promise.all(rows.map((r) => toConnectionDto(ctx.db, r, ctx.secrets))) };
    },
  };
}
