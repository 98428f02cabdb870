import type { Clock, Logger } from '../ports';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL, or a path resolved against the client's baseUrl. */
  url: string | URL;
  headers?: Record<string, string>;
  /** A JSON value, serialized with the client's write content type. */
  json?: unknown;
  signal?: AbortSignal;
  /** Statuses returned to the caller instead of thrown as errors (e.g. 404 for a probe). */
  allowStatus?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body; `undefined` for an empty body (204). */
  body: unknown;
  /** Size of the body in bytes as received. */
  bytes: number;
}

/**
 * Events a client reports while it works, for progress displays and logs. `retry_wait.attempt` is the
 * attempt that will follow the wait (2 = first retry); 0 means no request failed but the server's
 * rate-limit headers said the window is spent, so the client holds its next requests for `delayMs`.
 */
export type HttpEvent =
  | { type: 'retry_wait'; reason: 'rate_limited' | 'server_busy' | 'network'; delayMs: number; attempt: number; status?: number }
  | { type: 'request'; method: HttpMethod; status: number; ms: number };

/** Produces the Authorization header value, fetching or refreshing tokens as needed. */
export type AuthProvider = () => Promise<string>;

export interface HttpClientOptions {
  baseUrl?: string;
  auth?: AuthProvider;
  /** Overall deadline for one attempt, headers and body included. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes?: number;
  /** Attempts for idempotent requests (GET) on 429/503/504/network errors. Writes get exactly one. */
  maxAttempts?: number;
  /** Longest single wait the client accepts from a server's Retry-After or reset header. */
  maxRetryWaitMs?: number;
  /** Sustained request rate per client (token bucket). */
  requestsPerSecond?: number;
  /** Requests in flight at once per client. */
  concurrency?: number;
  /** Extra trusted CA certificates (PEM), for private PKI. Verification is never turned off. */
  caPem?: string;
  /** Content type for request bodies (SCIM: application/scim+json). */
  writeContentType?: string;
  accept?: string;
  userAgent?: string;
  clock?: Clock;
  logger?: Logger;
  onEvent?: (event: HttpEvent) => void;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}
