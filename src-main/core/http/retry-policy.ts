// When to retry and how long to wait. Pure functions: the client supplies the clock's "now".

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/** Why a failed attempt may be repeated; matches HttpEvent['reason']. */
export type RetryReason = 'rate_limited' | 'server_busy' | 'network';

const QUOTA_REASONS = new Set(['userratelimitexceeded', 'quotaexceeded', 'ratelimitexceeded']);

/** True when a (Google-style) 403 carries a quota reason: a rate limit, not a permission problem. */
export function isQuotaReason(reasons: readonly string[]): boolean {
  return reasons.some((r) => QUOTA_REASONS.has(r.replaceAll('_', '').toLowerCase()));
}

/** The retry reason for a response status, or undefined when the status is final. */
export function retryReasonForStatus(status: number, reasons: readonly string[]): RetryReason | undefined {
  if (status === 429) return 'rate_limited';
  if (status === 403 && isQuotaReason(reasons)) return 'rate_limited';
  if (status === 503 || status === 504) return 'server_busy';
  return undefined;
}

/** Delay in ms asked for by a Retry-After value (delta-seconds or HTTP-date), or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  return delayUntil(parseDate(trimmed), nowMs);
}

/**
 * Delay in ms until a rate-limit reset value. Vendors disagree on units, so: above 1e12 it is epoch
 * milliseconds, above 1e9 epoch seconds (Okta), otherwise seconds from now; a non-number may be a date.
 */
export function parseResetValue(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n > 1e12) return delayUntil(n, nowMs);
    if (n > 1e9) return delayUntil(n * 1000, nowMs);
    return Math.round(n * 1000);
  }
  return delayUntil(parseDate(trimmed), nowMs);
}

/** Dates always spell a month, weekday or ISO "T"; V8 would otherwise read "-5" as the year -5. */
function parseDate(text: string): number {
  return /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
}

function delayUntil(epochMs: number, nowMs: number): number | undefined {
  return Number.isFinite(epochMs) ? Math.max(0, Math.round(epochMs - nowMs)) : undefined;
}

/** Server-relative "now": reset times are stamped by the server's clock, which may differ from ours. */
export function referenceNow(headers: Headers, localNowMs: number): number {
  const date = Date.parse(headers.get('date') ?? '');
  return Number.isFinite(date) ? date : localNowMs;
}

function firstHeader(headers: Headers, names: readonly string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) return value;
  }
  return null;
}

function rateLimitRemaining(headers: Headers): number | undefined {
  const value = firstHeader(headers, ['x-rate-limit-remaining', 'x-ratelimit-remaining', 'ratelimit-remaining']);
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

function rateLimitReset(headers: Headers, nowMs: number): number | undefined {
  return parseResetValue(firstHeader(headers, ['x-rate-limit-reset', 'x-ratelimit-reset', 'ratelimit-reset']), nowMs);
}

/**
 * The wait a failed response asks for: Retry-After first; otherwise a rate-limit reset header when the
 * response is a 429 or says no requests remain (Okta). Undefined when the server gave no usable hint.
 */
export function serverWaitHint(headers: Headers, status: number, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  if (status === 429 || rateLimitRemaining(headers) === 0) return rateLimitReset(headers, nowMs);
  return undefined;
}

/** After a success that spent the last request of the window, how long to hold the next one. */
export function quotaPauseAfterSuccess(headers: Headers, nowMs: number): number | undefined {
  if (rateLimitRemaining(headers) !== 0) return undefined;
  const delay = rateLimitReset(headers, nowMs);
  return delay === undefined || delay <= 0 ? undefined : delay;
}

/** Exponential backoff with full jitter; `failures` counts the failed attempts so far (1 = first retry). */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}
