import type { SecretRef } from '../ports';

/** Where a connection type keeps its secrets in the config, as dotted paths. */
export function secretFieldPaths(config: Record<string, unknown>): string[] {
  switch (config.type) {
    case 'okta':
      return ['token'];
    case 'scim': {
      const auth = config.auth as { type?: unknown } | undefined;
      return auth?.type === 'basic' ? ['auth.password'] : ['auth.token'];
    }
    default:
      return [];
  }
}

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** A copy of `obj` with `value` at `path`, creating objects along the way. */
export function withPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return obj;
  if (rest.length === 0) return { ...obj, [head]: value };
  const child = obj[head];
  return { ...obj, [head]: withPath(child !== null && typeof child === 'object' ? (child as Record<string, unknown>) : {}, rest.join('.'), value) };
}

export function isSecretRef(value: unknown): value is SecretRef {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (typeof (value as { env?: unknown }).env === 'string' || typeof (value as { secret?: unknown }).secret === 'string');
}

/** The vault key for a secret entered in the app for one field of one connection. */
export function vaultKey(connectionName: string, field: string): string {
  return `connection:${connectionName.toLowerCase()}:${field}`;
}
