/** The version sent in the default User-Agent. */
export const DRIFTLINE_VERSION = '0.1.0';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_MAX_RETRY_WAIT_MS = 5 * 60_000;
export const DEFAULT_REQUESTS_PER_SECOND = 10;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_WRITE_CONTENT_TYPE = 'application/scim+json';
export const DEFAULT_ACCEPT = 'application/scim+json, application/json;q=0.9';
export const DEFAULT_USER_AGENT = `Driftline/${DRIFTLINE_VERSION}`;

/** Error bodies and unexpected pages are only read this far: enough for an explanation. */
export const EXCERPT_BYTES = 64 * 1024;
