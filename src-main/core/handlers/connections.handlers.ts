import type { ApiHandlers } from '../../contract/api';
import type { ConnectionDto } from '../../contract/dto';
import { formatConfigIssues } from '../config/load-config';
import { idpSchema, scimAppSchema } from '../config/schema';
import { getPath, isSecretRef, secretFieldPaths, vaultKey, withPath } from '../config/secret-fields';
import { createConnector } from '../connectors/create-connector';
import { DriftlineError, toErrorInfo } from '../errors';
import { deleteConnection, getConnectionByName, listConnections, renameConnection, upsertConnection } from '../store/connections.repo';
import type { CoreContext } from './context';
import { toConnectionDto } from './dto-mappers';

type ConnectionHandlers = Pick<ApiHandlers, 'connections.list' | 'connections.save' | 'connections.delete' | 'connections.test'>;

function requireConnection(ctx: CoreContext, name: string) {
  const row = getConnectionByName(ctx.db, name);
  if (!row) throw new DriftlineError('invalid_argument', `No connection named "${name}".`);
  return row;
}

/** Moves secrets stored under the old name's keys to the new name's keys on rename. */
async function renameSecrets(ctx: CoreContext, config: Record<string, unknown>, from: string, to: string): Promise<Record<string, unknown>> {
  let out = config;
  for (const field of secretFieldPaths(config)) {
    const ref = getPath(config, field);
    if (!isSecretRef(ref) || !('secret' in ref) || ref.secret !== vaultKey(from, field)) continue;
    const value = await ctx.secrets.get(ref);
    const key = vaultKey(to, field);
    if (value !== undefined) await ctx.secrets.set(key, value);
    await ctx.secrets.delete(ref.secret);
    out = withPath(out, field, { secret: key });
  }
  return out;
}

export function connectionHandlers(ctx: CoreContext): ConnectionHandlers {
  return {
    'connections.list': async () => Promise.all(listConnections(ctx.db).map((row) => toConnectionDto(ctx.db, row, ctx.secrets))),

    'connections.save': async ({ previousName, config: input, secrets }): Promise<ConnectionDto> => {
      const name = typeof input.name === 'string' ? input.name.trim() : '';
      if (!name) throw new DriftlineError('config_invalid', 'The connection needs a name.');
      const role = input.type === 'scim' ? 'app' : 'idp';
      const existing = listConnections(ctx.db);
      const renaming = previousName !== undefined && previousName.toLowerCase() !== name.toLowerCase();
      if (previousName !== undefined && !existing.some((c) => c.name.toLowerCase() === previousName.toLowerCase())) {
        throw new DriftlineError('invalid_argument', `No connection named "${previousName}".`);
      }
      const self = (n: string): boolean => n.toLowerCase() === (previousName ?? name).toLowerCase();
      if (existing.some((c) => c.name.toLowerCase() === name.toLowerCase() && !self(c.name))) {
        throw new DriftlineError('config_invalid', `A connection named "${name}" already exists.`);
      }
      const otherIdp = existing.find((c) => c.role === 'idp' && !self(c.name));
      if (role === 'idp' && otherIdp) {
        throw new DriftlineError(
          'config_invalid',
          `"${otherIdp.name}" is already the identity provider. Driftline compares every app with one source of truth: edit or delete it first.`,
        );
      }

      let config: Record<string, unknown> = { ...input, name };
      const fields = secretFieldPaths(config);
      for (const [field, value] of Object.entries(secrets ?? {})) {
        if (!fields.includes(field)) throw new DriftlineError('invalid_argument', `"${field}" is not a secret field of a ${String(config.type)} connection.`);
        if (value === '') continue;
        const key = vaultKey(name, field);
        await ctx.secrets.set(key, value);
        config = withPath(config, field, { secret: key });
      }
      const parsed = (role === 'app' ? scimAppSchema : idpSchema).safeParse(config);
      if (!parsed.success) throw new DriftlineError('config_invalid', `The connection is invalid:\n${formatConfigIssues(parsed.error)}`);
      let stored = parsed.data as Record<string, unknown>;
      if (renaming && previousName) {
        stored = await renameSecrets(ctx, stored, previousName, name);
        renameConnection(ctx.db, previousName, name);
      }
      const before = existing.find((c) => self(c.name));
      ctx.db.transaction(() => {
        upsertConnection(ctx.db, { name, role, type: String(stored.type), configJson: JSON.stringify(stored) });
        // Config holds secret references only, so the record shows what changed without any secret.
        ctx.audit.append(ctx.operator, 'setting.changed', {
          app: name,
          target: `connection ${name}`,
          details: { change: before ? 'updated' : 'created', previousName: before?.name ?? null, before: before ? (JSON.parse(before.configJson) as unknown) : null, after: stored },
        });
      })();
      ctx.events.emit('connections.changed', { names: [name] });
      return toConnectionDto(ctx.db, requireConnection(ctx, name), ctx.secrets);
    },

    'connections.delete': async ({ name }) => {
      const row = requireConnection(ctx, name);
      if (ctx.syncs.status().some((p) => p.connection.toLowerCase() === name.toLowerCase())) {
        throw new DriftlineError('run_in_progress', `"${row.name}" is syncing; cancel the sync first.`);
      }
      const config = JSON.parse(row.configJson) as Record<string, unknown>;
      for (const field of secretFieldPaths(config)) {
        const ref = getPath(config, field);
        if (isSecretRef(ref) && 'secret' in ref) await ctx.secrets.delete(ref.secret);
      }
      ctx.db.transaction(() => {
        deleteConnection(ctx.db, row.id);
        ctx.audit.append(ctx.operator, 'setting.changed', { app: row.name, target: `connection ${row.name}`, details: { change: 'deleted', before: config } });
      })();
      ctx.events.emit('connections.changed', { names: [row.name] });
      return { deleted: row.name };
    },

    'connections.test': async ({ name }) => {
      const row = requireConnection(ctx, name);
      const json: unknown = JSON.parse(row.configJson);
      const parsed = row.role === 'app' ? scimAppSchema.safeParse(json) : idpSchema.safeParse(json);
      if (!parsed.success) {
        return { ok: false, error: { code: 'config_invalid', message: formatConfigIssues(parsed.error) }, facts: [], problems: [], capabilities: {} };
      }
      const connector = createConnector(parsed.data, { secrets: ctx.secrets, createHttpClient: ctx.createHttpClient, baseDir: ctx.dataDir });
      try {
        const probe = await connector.probe({ signal: AbortSignal.timeout(120_000), logger: ctx.logger });
        return { ok: true, error: null, ...probe };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err), facts: [], problems: [], capabilities: {} };
      }
    },
  };
}
