import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isQuotaReason,
  parseResetValue,
  parseRetryAfter,
  quotaPauseAfterSuccess,
  referenceNow,
  retryReasonForStatus,
  serverWaitHint,
} from '../../src-main/core/http/retry-policy';

const NOW = Date.UTC(2026, 9, 21, 7, 28, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, and a past date as no wait', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', NOW)).toBe(0);
  });

  it('ignores absent or unparsable values', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});

describe('parseResetValue', () => {
  it('treats values above 1e9 as epoch seconds (Okta)', () => {
    expect(parseResetValue(String(NOW / 1000 + 42), NOW)).toBe(42_000);
  });

  it('treats values above 1e12 as epoch milliseconds', () => {
    expect(parseResetValue(String(NOW + 1234), NOW)).toBe(1234);
  });

  it('treats small values as seconds from now', () => {
    expect(parseResetValue('30', NOW)).toBe(30_000);
  });

  it('accepts a human-readable date and clamps the past to zero', () => {
    expect(parseResetValue('2026-10-21T07:29:00Z', NOW)).toBe(60_000);
    expect(parseResetValue(String(NOW / 1000 - 10), NOW)).toBe(0);
    expect(parseResetValue('whenever', NOW)).toBeUndefined();
  });
});

describe('serverWaitHint', () => {
  const headers = (init: Record<string, string>): Headers => new Headers(init);

  it('prefers Retry-After over reset headers', () => {
    const h = headers({ 'retry-after': '5', 'x-rate-limit-reset': String(NOW / 1000 + 60), 'x-rate-limit-remaining': '0' });
    expect(serverWaitHint(h, 429, NOW)).toBe(5000);
  });

  it('uses X-Rate-Limit-Reset on a 429 even when requests remain (Okta concurrency limit)', () => {
    const h = headers({ 'x-rate-limit-reset': String(NOW / 1000 + 20), 'x-rate-limit-remaining': '12' });
    expect(serverWaitHint(h, 429, NOW)).toBe(20_000);
  });

  it('uses the reset header on other statuses only when no requests remain', () => {
    const reset = String(NOW / 1000 + 20);
    expect(serverWaitHint(headers({ 'x-rate-limit-reset': reset, 'x-rate-limit-remaining': '0' }), 503, NOW)).toBe(20_000);
    expect(serverWaitHint(headers({ 'x-rate-limit-reset': reset, 'x-rate-limit-remaining': '3' }), 503, NOW)).toBeUndefined();
  });

  it('understands the X-RateLimit-* spelling', () => {
    expect(serverWaitHint(headers({ 'x-ratelimit-reset': '7' }), 429, NOW)).toBe(7000);
  });

  it('returns undefined without hints', () => {
    expect(serverWaitHint(headers({}), 429, NOW)).toBeUndefined();
  });
});

describe('quotaPauseAfterSuccess', () => {
  it('pauses until the reset when the window is spent', () => {
    const h = new Headers({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(NOW / 1000 + 9) });
    expect(quotaPauseAfterSuccess(h, NOW)).toBe(9000);
  });

  it('does not pause while requests remain, or when the reset is already past', () => {
    expect(quotaPauseAfterSuccess(new Headers({ 'x-rate-limit-remaining': '1', 'x-rate-limit-reset': String(NOW / 1000 + 9) }), NOW)).toBeUndefined();
    expect(quotaPauseAfterSuccess(new Headers({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(NOW / 1000 - 1) }), NOW)).toBeUndefined();
    expect(quotaPauseAfterSuccess(new Headers({}), NOW)).toBeUndefined();
  });
});

describe('referenceNow', () => {
  it("uses the server's Date header, falling back to the local clock", () => {
    expect(referenceNow(new Headers({ date: 'Wed, 21 Oct 2026 07:28:00 GMT' }), 5)).toBe(NOW);
    expect(referenceNow(new Headers({}), 5)).toBe(5);
    expect(referenceNow(new Headers({ date: 'garbage' }), 5)).toBe(5);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially from 500 ms with full jitter', () => {
    expect(backoffDelay(1, () => 0.999999)).toBe(499);
    expect(backoffDelay(2, () => 0.999999)).toBe(999);
    expect(backoffDelay(4, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it('is capped at 30 s', () => {
    expect(backoffDelay(20, () => 0.999999)).toBeLessThanOrEqual(30_000);
    expect(backoffDelay(20, () => 0.999999)).toBeGreaterThan(29_000);
  });

  it('stays within its bounds with the real random source', () => {
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(2000);
    }
  });
});

describe('retry reasons', () => {
  it('retries 429, 503 and 504 only', () => {
    expect(retryReasonForStatus(429, [])).toBe('rate_limited');
    expect(retryReasonForStatus(503, [])).toBe('server_busy');
    expect(retryReasonForStatus(504, [])).toBe('server_busy');
    for (const status of [400, 401, 403, 404, 409, 500, 502]) expect(retryReasonForStatus(status, [])).toBeUndefined();
  });

  it('treats a Google 403 with a quota reason as a rate limit', () => {
    expect(retryReasonForStatus(403, ['userRateLimitExceeded'])).toBe('rate_limited');
    expect(retryReasonForStatus(403, ['quotaExceeded'])).toBe('rate_limited');
    expect(retryReasonForStatus(403, ['RATE_LIMIT_EXCEEDED'])).toBe('rate_limited');
    expect(retryReasonForStatus(403, ['insufficientPermissions'])).toBeUndefined();
    expect(isQuotaReason(['dailyLimitExceeded'])).toBe(false);
  });
});
