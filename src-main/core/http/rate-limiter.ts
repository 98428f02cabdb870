import type { Clock } from '../ports';

/** Per-client pacing: a concurrency cap plus a token bucket, and a pause a server can impose. */
export interface RateLimiter {
  /** Waits for a free slot and a token; resolves to the function that frees the slot. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Holds every request that has not started yet until `untilMs` (clock time). */
  pauseUntil(untilMs: number): void;
}

export interface RateLimiterOptions {
  requestsPerSecond: number;
  concurrency: number;
  clock: Clock;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const slots = createSemaphore(Math.max(1, Math.floor(options.concurrency)));
  const bucket = createTokenBucket(options.requestsPerSecond, options.clock);
  let resumeAt = 0;
  return {
    async acquire(signal) {
      const release = await slots.acquire(signal);
      try {
        const now = options.clock.now();
        const wait = Math.max(bucket.reserve(now), resumeAt - now);
        if (wait > 0) await options.clock.sleep(wait, signal);
        return release;
      } catch (err) {
        release();
        throw err;
      }
    },
    pauseUntil(untilMs) {
      resumeAt = Math.max(resumeAt, untilMs);
    },
  };
}

interface TokenBucket {
  /** Takes a token now or in the future; returns how long the caller must wait for it (ms). */
  reserve(nowMs: number): number;
}

/**
 * Holds up to one second's worth of tokens (the burst). Reserving lets the balance go negative, so each
 * caller learns its wait at once and sleeps exactly once, in arrival order.
 */
function createTokenBucket(requestsPerSecond: number, clock: Clock): TokenBucket {
  const rate = Math.max(requestsPerSecond, 0.001) / 1000;
  const capacity = Math.max(1, requestsPerSecond);
  let tokens = capacity;
  let updatedAt = clock.now();
  return {
    reserve(nowMs) {
      tokens = Math.min(capacity, tokens + Math.max(0, nowMs - updatedAt) * rate);
      updatedAt = Math.max(updatedAt, nowMs);
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil(-tokens / rate);
    },
  };
}

interface Semaphore {
  acquire(signal?: AbortSignal): Promise<() => void>;
}

/** FIFO counting semaphore; a waiter whose signal aborts leaves the queue. */
function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const waiters: { grant: () => void }[] = [];

  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.shift();
      if (next === undefined) active--;
      else next.grant();
    };
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (active < limit) {
        active++;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(releaser());
          },
        };
        const onAbort = (): void => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(abortReason(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
      });
    },
  };
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('Aborted', 'AbortError');
}
