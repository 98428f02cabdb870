import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from '../../contract/errors';
import { DriftlineError } from '../errors';
import type { ServerExplanation } from './error-body';

/** A response with a failing status. Carries what the server said, for connectors that branch on it. */
export class HttpStatusError extends DriftlineError {
  /** SCIM `scimType`, e.g. `invalidCursor`, `uniqueness`, `noTarget`. */
  readonly scimType: string | undefined;
  /** Vendor error code (Okta errorCode, Graph error.code, OAuth error…). */
  readonly serverCode: string | undefined;
  /** The server's explanation, cleaned and truncated (also part of the message). */
  readonly detail: string | undefined;
  /** How long the server asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    init: { status: number; explanation: ServerExplanation; retryAfterMs: number | undefined },
  ) {
    super(code, message, { status: init.status });
    this.scimType = init.explanation.scimType;
    this.serverCode = init.explanation.serverCode;
    this.detail = init.explanation.text;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** A copy whose texts have had secrets masked (a server may echo a token back). */
  redacted(mask: (text: string) => string): HttpStatusError {
    return new HttpStatusError(this.code, mask(this.message), {
      status: this.status ?? 0,
      explanation: {
        scimType: this.scimType,
        serverCode: this.serverCode,
        text: this.detail === undefined ? undefined : mask(this.detail),
        reasons: [],
      },
      retryAfterMs: this.retryAfterMs,
    });
  }
}

/** "1.5 s", "3 min": durations in messages. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}

function statusCode(status: number, rateLimited: boolean): ErrorCode {
  if (rateLimited) return 'rate_limited';
  if (status === 401) return 'auth_rejected';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server_error';
  return 'http_error';
}

export interface StatusErrorInit {
  /** "GET https://host/path". */
  where: string;
  status: number;
  explanation: ServerExplanation;
  rateLimited: boolean;
  /** Attempts made; above 1 the message says the client gave up retrying. */
  attempts: number;
  /** Set when the request was retryable but is a write, which is never repeated automatically. */
  writeNotRetried: boolean;
  retryAfterMs: number | undefined;
}

export function statusError(init: StatusErrorInit): HttpStatusError {
  const code = statusCode(init.status, init.rateLimited);
  const { text, scimType } = init.explanation;
  const said = [scimType === undefined ? undefined : `scimType ${scimType}`, text === undefined ? undefined : `"${text}"`]
    .filter((s) => s !== undefined)
    .join(' ');
  const head = `${init.where} failed with HTTP ${init.status}${STATUS_CODES[init.status] === undefined ? '' : ` ${STATUS_CODES[init.status]}`}${said === '' ? '' : `: ${said}`}.`;
  const notes: string[] = [ADVICE[code] ?? ''];
  if (init.attempts > 1) notes.push(`Gave up after ${init.attempts} attempts.`);
  if (init.writeNotRetried) notes.push('Writes are never retried automatically.');
  if (init.retryAfterMs !== undefined) notes.push(`The server asked to wait ${formatDuration(init.retryAfterMs)}.`);
  return new HttpStatusError(code, [head, ...notes].filter((n) => n !== '').join(' '), {
    status: init.status,
    explanation: init.explanation,
    retryAfterMs: init.retryAfterMs,
  });
}

const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth_rejected: 'The credentials were rejected: check the token or client secret for this connection and that it has not expired or been revoked.',
  forbidden: "The credentials are valid but lack permission: check the account's roles or API scopes.",
  not_found: 'Check the base URL (for a SCIM app it usually ends in /scim/v2) or whether the resource still exists.',
  rate_limited: 'The server is rate-limiting this client: try again later or lower the request rate for this connection.',
  server_error: 'The server is failing; this is often temporary.',
};

/**
 * A hinted wait longer than the client accepts: fail now rather than block a sync for that long.
 * A 429 (or quota 403) is `rate_limited`; a 503/504 asking for a long pause is maintenance, so `server_error`.
 */
export function waitTooLongError(
  where: string,
  status: number,
  explanation: ServerExplanation,
  waitMs: number,
  maxMs: number,
  rateLimited: boolean,
): HttpStatusError {
  const what = rateLimited ? 'was rate-limited' : 'is unavailable';
  return new HttpStatusError(
    statusCode(status, rateLimited),
    `${where} ${what} (HTTP ${status}) and the server asked to wait ${formatDuration(waitMs)}, ` +
      `longer than the ${formatDuration(maxMs)} this connection accepts. Try again later.`,
    { status, explanation, retryAfterMs: waitMs },
  );
}

export function redirectError(where: string, status: number, location: URL | undefined): DriftlineError {
  const target =
    location === undefined
      ? 'without saying where'
      : `to ${location.origin}${location.pathname}`;
  return new DriftlineError(
    'redirect_refused',
    `${where} answered with a redirect (HTTP ${status}) ${target}. Redirects are not followed so credentials cannot leak: ` +
      'configure the final URL instead.',
    { status },
  );
}

export function contentTypeError(where: string, contentType: string): DriftlineError {
  return new DriftlineError(
    'unexpected_content_type',
    `${where}: expected JSON but got ${contentType} — a login page or proxy in the way? Check the URL and any SSO or proxy in front of the API.`,
  );
}

export function tooLargeError(where: string, limitBytes: number): DriftlineError {
  return new DriftlineError(
    'response_too_large',
    `${where} sent a response larger than the ${formatBytes(limitBytes)} limit; the download was stopped. Request smaller pages.`,
  );
}

export function timeoutError(where: string, timeoutMs: number): DriftlineError {
  return new DriftlineError(
    'timeout',
    `${where} did not complete within ${formatDuration(timeoutMs)}, so it was stopped. The server may be overloaded or the network slow; try again later.`,
  );
}

export function cancelledError(where: string): DriftlineError {
  return new DriftlineError('cancelled', `${where} was cancelled.`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NETWORK_ADVICE: Record<string, string> = {
  ENOTFOUND: 'the host name could not be resolved: check the URL and DNS',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS): check the network',
  ECONNREFUSED: 'the connection was refused: check the URL and port, and whether a proxy is required',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the server closed the connection unexpectedly',
  UND_ERR_CLOSED: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'connecting to the server timed out',
};

/** The error and its causes (undici wraps socket errors in `fetch failed`; happy eyeballs aggregates). */
function causeChain(err: unknown): object[] {
  const chain: object[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && chain.length < 20) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) continue;
    chain.push(current);
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return chain;
}

/** Error codes found along an error's cause chain. */
function errorCodes(err: unknown): string[] {
  return causeChain(err)
    .map((e) => (e as { code?: unknown }).code)
    .filter((c): c is string => typeof c === 'string');
}

/** The status a proxy answered a CONNECT with, from undici's (secret-free) tunnelling error. */
function proxyRefusal(err: unknown): string | undefined {
  for (const e of causeChain(err)) {
    const match = e instanceof Error ? /^Proxy response \((\d{3})\)/.exec(e.message) : null;
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT') || code === 'HOSTNAME_MISMATCH';
}

/**
 * Maps a failure from undici (socket, DNS, TLS) to an admin-facing error. Only error codes are used:
 * raw messages and error objects may carry URLs or headers and never reach the message.
 * Returns undefined for failures that are not transport problems (bugs are rethrown as they are).
 */
export function transportError(where: string, err: unknown): DriftlineError | undefined {
  const codes = errorCodes(err);
  const untrusted = codes.find((c) => UNTRUSTED_CERT_CODES.has(c));
  if (untrusted !== undefined) {
    const why =
      untrusted === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'its certificate is not valid for this host name'
        : untrusted.startsWith('CERT_')
          ? 'its certificate has expired or is not yet valid'
          : 'its certificate is not signed by a trusted authority';
    return new DriftlineError(
      'tls_untrusted',
      `${where} failed: the server's TLS certificate is not trusted (${untrusted}): ${why}. ` +
        "If the server uses a private or corporate CA, add that CA's PEM bundle in the connection's CA setting.",
    );
  }
  const tls = codes.find(isTlsCode);
  if (tls !== undefined) {
    return new DriftlineError('tls_error', `${where} failed: the TLS handshake did not succeed (${tls}). Check the URL's scheme and port.`);
  }
  const proxyStatus = proxyRefusal(err);
  if (proxyStatus !== undefined) {
    const auth = proxyStatus === '407' ? ' (proxy authentication required: put credentials in the proxy URL)' : '';
    return new DriftlineError('network_error', `${where} failed: the proxy refused the connection with HTTP ${proxyStatus}${auth}. Check the HTTPS_PROXY / NO_PROXY settings.`);
  }
  const known = codes.find((c) => NETWORK_ADVICE[c] !== undefined);
  if (known !== undefined) {
    return new DriftlineError('network_error', `${where} failed: ${NETWORK_ADVICE[known]} (${known}).`);
  }
  if (codes.length > 0 || (err instanceof TypeError && (err.message === 'fetch failed' || err.message === 'terminated'))) {
    const code = codes.find((c) => /^[A-Z_]+$/.test(c));
    return new DriftlineError('network_error', `${where} failed: a network error occurred${code === undefined ? '' : ` (${code})`}. Check connectivity and any proxy settings.`);
  }
  return undefined;
}
