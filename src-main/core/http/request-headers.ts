/** Client-wide header defaults. */
export interface HeaderDefaults {
  accept: string;
  userAgent: string;
  writeContentType: string;
}

const SECRET_HEADER = /authorization|cookie|token|secret|api-?key|auth/i;

/**
 * Request headers: defaults, then the caller's (which win), then the auth provider's Authorization
 * (which always wins). Values of credential-like headers are added to `secrets` for redaction.
 */
export function buildRequestHeaders(
  defaults: HeaderDefaults,
  callerHeaders: Record<string, string> | undefined,
  authorization: string | undefined,
  hasBody: boolean,
  secrets: Set<string>,
): Record<string, string> {
  const headers: Record<string, string> = { accept: defaults.accept, 'user-agent': defaults.userAgent };
  if (hasBody) headers['content-type'] = defaults.writeContentType;
  for (const [name, value] of Object.entries(callerHeaders ?? {})) {
    const key = name.toLowerCase();
    if (key === 'authorization' && authorization !== undefined) continue;
    headers[key] = value;
    if (SECRET_HEADER.test(key)) addSecret(secrets, value);
  }
  if (authorization !== undefined) {
    headers.authorization = authorization;
    addSecret(secrets, authorization);
  }
  return headers;
}

/** Records a credential and, for "Scheme credential" values, the bare credential too. */
function addSecret(secrets: Set<string>, value: string): void {
  const credential = value.trim().split(/\s+/).at(-1) ?? '';
  for (const secret of [value, credential]) if (secret.length >= 4) secrets.add(secret);
}

/** Masks every recorded secret in a text. */
export function maskSecrets(text: string, secrets: ReadonlySet<string>): string {
  let masked = text;
  for (const secret of secrets) masked = masked.replaceAll(secret, '[redacted]');
  return masked;
}
