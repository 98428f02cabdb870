import { getPath, isSecretRef, secretFieldPaths } from '../config/secret-fields';
import type { ConnectionConfig } from '../config/schema';
import type { SecretRef, SecretStore } from '../ports';

/** A secret reference of a connection with its value as the host's SecretStore gave it (undefined: not set). */
export interface ResolvedSecret {
  ref: SecretRef;
  value: string | undefined;
}

/**
 * Looks up every secret a connection's config refers to, for a thread that cannot reach the host's
 * SecretStore (in Electron it lives in the main process). The values are only ever held in memory.
 */
export async function resolveSecrets(config: ConnectionConfig, secrets: SecretStore): Promise<ResolvedSecret[]> {
  const fields: Record<string, unknown> = config;
  const refs = secretFieldPaths(fields)
    .map((path) => getPath(fields, path))
    .filter(isSecretRef);
  return Promise.all(refs.map(async (ref) => ({ ref, value: await secrets.get(ref) })));
}

const sameRef = (a: SecretRef, b: SecretRef): boolean => ('env' in a && 'env' in b ? a.env === b.env : 'secret' in a && 'secret' in b && a.secret === b.secret);

/** A SecretStore answering from resolved secrets: a missing one reads as not set, as the host's store would say. */
export function resolvedSecretStore(resolved: readonly ResolvedSecret[]): SecretStore {
  return {
    get: (ref) => Promise.resolve(resolved.find((r) => sameRef(r.ref, ref))?.value),
  };
}
