import type { Dispatcher } from 'undici';
import { DriftlineError, isDriftlineError } from '../errors';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { sendAttempt, type RawResponse } from './attempt';
import { describeContentType, isJsonContentType } from './content-type';
import * as defaults from './defaults';
import { createDispatcher } from './dispatcher';
import { explainErrorBody } from './error-body';
import { cancelledError, contentTypeError, HttpStatusError, redirectError, statusError, waitTooLongError } from './http-errors';
import { parseJsonBody } from './json-body';
import { createRateLimiter, type RateLimiter } from './rate-limiter';
import { buildRequestHeaders, maskSecrets, type HeaderDefaults } from './request-headers';
import { backoffDelay, quotaPauseAfterSuccess, referenceNow, retryReasonForStatus, serverWaitHint, type RetryReason } from './retry-policy';
import type { HttpClient, HttpClientOptions, HttpEvent, HttpRequest, HttpResponse } from './types';
import { describeUrl, parseBaseUrl, resolveRequestUrl } from './url';

interface ClientContext {
  base: URL | undefined;
  auth: HttpClientOptions['auth'];
  timeoutMs: number;
  maxResponseBytes: number;
  maxAttempts: number;
  maxRetryWaitMs: number;
  headerDefaults: HeaderDefaults;
  clock: Clock;
  logger: Logger;
  emit: (event: HttpEvent) => void;
  limiter: RateLimiter;
  dispatcher: Dispatcher;
}

/**
 * The outbound HTTP client every connector uses: per-attempt deadlines, response size caps, no
 * redirects, JSON content checks, retries for GET only, per-client rate limit, custom CAs and proxies.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const clock = options.clock ?? systemClock;
  const onEvent = options.onEvent;
  const ctx: ClientContext = {
    base: options.baseUrl === undefined ? undefined : parseBaseUrl(options.baseUrl),
    auth: options.auth,
    timeoutMs: options.timeoutMs ?? defaults.DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? defaults.DEFAULT_MAX_RESPONSE_BYTES,
    maxAttempts: Math.max(1, options.maxAttempts ?? defaults.DEFAULT_MAX_ATTEMPTS),
    maxRetryWaitMs: options.maxRetryWaitMs ?? defaults.DEFAULT_MAX_RETRY_WAIT_MS,
    headerDefaults: {
      accept: options.accept ?? defaults.DEFAULT_ACCEPT,
      userAgent: options.userAgent ?? defaults.DEFAULT_USER_AGENT,
      writeContentType: options.writeContentType ?? defaults.DEFAULT_WRITE_CONTENT_TYPE,
    },
    clock,
    logger: options.logger ?? silentLogger,
    emit: (event) => {
      // An observer's bug must not fail the request it is watching.
      try {
        onEvent?.(event);
      } catch {
        /* ignored */
      }
    },
    limiter: createRateLimiter({
      requestsPerSecond: options.requestsPerSecond ?? defaults.DEFAULT_REQUESTS_PER_SECOND,
      concurrency: options.concurrency ?? defaults.DEFAULT_CONCURRENCY,
      clock,
    }),
    dispatcher: createDispatcher({ caPem: options.caPem }),
  };
  return {
    request: (req) => sendRequest(ctx, req),
    close: () => ctx.dispatcher.close(),
  };
}

async function sendRequest(ctx: ClientContext, req: HttpRequest): Promise<HttpResponse> {
  const url = resolveRequestUrl(ctx.base, req.url);
  const state: RequestState = {
    req,
    url,
    where: `${req.method} ${describeUrl(url)}`,
    body: req.json === undefined ? undefined : JSON.stringify(req.json),
    secrets: new Set(),
  };
  try {
    return await sendWithRetries(ctx, state);
  } catch (err) {
    throw redact(err, state.secrets);
  }
}

/** One caller request as it moves through its attempts. */
interface RequestState {
  req: HttpRequest;
  url: URL;
  /** "GET https://host/path", for messages. */
  where: string;
  body: string | undefined;
  secrets: Set<string>;
}

/**
 * Only GET is retried: a write that failed may still have been applied, so repeating it is the
 * caller's decision after re-reading. A timed-out GET is retried once: a stall may be transient,
 * but a consistently slow server should not cost maxAttempts full deadlines.
 */
async function sendWithRetries(ctx: ClientContext, state: RequestState): Promise<HttpResponse> {
  const { req, url, where, secrets } = state;
  const idempotent = req.method === 'GET';
  const maxAttempts = idempotent ? ctx.maxAttempts : 1;
  let timeoutRetried = false;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(ctx, state, attempt);
    if (!outcome.ok) {
      const code = isDriftlineError(outcome.error) ? outcome.error.code : undefined;
      const retryable = code === 'network_error' || (code === 'timeout' && !timeoutRetried);
      if (!idempotent || !retryable || attempt >= maxAttempts) throw outcome.error;
      timeoutRetried ||= code === 'timeout';
      await waitBeforeRetry(ctx, state, 'network', backoffDelay(attempt), attempt + 1);
      continue;
    }
    const raw = outcome.raw;
    if (isSuccess(raw.status) || isAllowed(req, raw.status)) {
      if (isSuccess(raw.status)) holdForQuotaReset(ctx, raw.headers);
      return toResponse(raw, where, isSuccess(raw.status), secrets);
    }
    if (raw.status >= 300 && raw.status < 400) throw redirectError(where, raw.status, locationOf(raw.headers, url));

    // Masked before the explanation is truncated, so a cut cannot leave half a token behind.
    const explanation = explainErrorBody(maskSecrets(raw.text, secrets), raw.contentType);
    const reason = retryReasonForStatus(raw.status, explanation.reasons);
    const hint = reason === undefined ? undefined : serverWaitHint(raw.headers, raw.status, referenceNow(raw.headers, ctx.clock.now()));
    if (reason !== undefined && idempotent) {
      if (hint !== undefined && hint > ctx.maxRetryWaitMs) {
        throw waitTooLongError(where, raw.status, explanation, hint, ctx.maxRetryWaitMs, reason === 'rate_limited');
      }
      if (attempt < maxAttempts) {
        // A hint of 0 (a reset time already past, by a skewed clock) is no reason to hammer the server.
        const delay = hint !== undefined && hint > 0 ? hint : backoffDelay(attempt);
        await waitBeforeRetry(ctx, state, reason, delay, attempt + 1, raw.status);
        continue;
      }
    }
    throw statusError({
      where,
      status: raw.status,
      explanation,
      rateLimited: reason === 'rate_limited',
      attempts: attempt,
      writeNotRetried: reason !== undefined && !idempotent,
      retryAfterMs: hint,
    });
  }
}

type AttemptOutcome = { ok: true; raw: RawResponse } | { ok: false; error: unknown };

/** One attempt inside a concurrency slot and a rate-limit token; the slot is freed before any retry wait. */
async function attemptOnce(ctx: ClientContext, state: RequestState, attempt: number): Promise<AttemptOutcome> {
  const { req, url, where } = state;
  const authorization = ctx.auth === undefined ? undefined : await ctx.auth();
  const headers = buildRequestHeaders(ctx.headerDefaults, req.headers, authorization, state.body !== undefined, state.secrets);
  const release = await waitOrCancel(ctx.limiter.acquire(req.signal), req.signal, where);
  const started = ctx.clock.now();
  const fields = { method: req.method, url: describeUrl(url), attempt };
  try {
    const raw = await sendAttempt({
      url,
      where,
      method: req.method,
      headers,
      body: state.body,
      signal: req.signal,
      timeoutMs: ctx.timeoutMs,
      maxResponseBytes: ctx.maxResponseBytes,
      dispatcher: ctx.dispatcher,
      wantsFullBody: (status, contentType) => (isSuccess(status) || isAllowed(req, status)) && isJsonContentType(contentType),
    });
    const ms = ctx.clock.now() - started;
    ctx.logger.debug('http request', { ...fields, status: raw.status, ms, bytes: raw.bytes });
    ctx.emit({ type: 'request', method: req.method, status: raw.status, ms });
    return { ok: true, raw };
  } catch (error) {
    const code = isDriftlineError(error) ? error.code : 'internal';
    ctx.logger.debug('http request failed', { ...fields, code, ms: ctx.clock.now() - started });
    return { ok: false, error };
  } finally {
    release();
  }
}

function isAllowed(req: HttpRequest, status: number): boolean {
  return req.allowStatus?.includes(status) ?? false;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * A 2xx body must be JSON; empty means `undefined`. A status the caller allowed (e.g. a 404 probe)
 * is returned whatever it carries: its body is parsed when it is JSON and undefined otherwise.
 */
function toResponse(raw: RawResponse, where: string, success: boolean, secrets: ReadonlySet<string>): HttpResponse {
  const result = { status: raw.status, headers: raw.headers, bytes: raw.bytes };
  if (raw.text.trim() === '') return { ...result, body: undefined };
  if (!isJsonContentType(raw.contentType)) {
    if (success) throw contentTypeError(where, describeContentType(raw.contentType));
    return { ...result, body: undefined };
  }
  if (success) return { ...result, body: parseJsonBody(raw.text, where, secrets) };
  try {
    return { ...result, body: parseJsonBody(raw.text, where, secrets) };
  } catch {
    return { ...result, body: undefined };
  }
}

/** Okta-style headers said this was the window's last request: hold the next ones until the reset. */
function holdForQuotaReset(ctx: ClientContext, headers: Headers): void {
  const pause = quotaPauseAfterSuccess(headers, referenceNow(headers, ctx.clock.now()));
  if (pause === undefined) return;
  const delayMs = Math.min(pause, ctx.maxRetryWaitMs);
  ctx.limiter.pauseUntil(ctx.clock.now() + delayMs);
  ctx.logger.debug('http rate limit exhausted, pausing', { delayMs });
  ctx.emit({ type: 'retry_wait', reason: 'rate_limited', delayMs, attempt: 0 });
}

async function waitBeforeRetry(
  ctx: ClientContext,
  state: RequestState,
  reason: RetryReason,
  delayMs: number,
  nextAttempt: number,
  status?: number,
): Promise<void> {
  const { req } = state;
  ctx.logger.debug('http retry wait', { method: req.method, url: describeUrl(state.url), reason, delayMs, attempt: nextAttempt, status });
  ctx.emit({ type: 'retry_wait', reason, delayMs, attempt: nextAttempt, ...(status === undefined ? {} : { status }) });
  await waitOrCancel(ctx.clock.sleep(delayMs, req.signal), req.signal, state.where);
}

/** Awaits a wait that the caller's signal can interrupt, reporting the interruption as `cancelled`. */
async function waitOrCancel<T>(wait: Promise<T>, signal: AbortSignal | undefined, where: string): Promise<T> {
  try {
    return await wait;
  } catch (err) {
    if (signal?.aborted) throw cancelledError(where);
    throw err;
  }
}

function locationOf(headers: Headers, url: URL): URL | undefined {
  const location = headers.get('location');
  if (location === null) return undefined;
  try {
    return new URL(location, url);
  } catch {
    return undefined;
  }
}

/** Masks secrets a server echoed back (e.g. a token in an error body) before the error leaves the client. */
function redact(err: unknown, secrets: ReadonlySet<string>): unknown {
  if (!(err instanceof DriftlineError) || secrets.size === 0) return err;
  const mask = (text: string): string => maskSecrets(text, secrets);
  if (err instanceof HttpStatusError) return err.redacted(mask);
  const message = mask(err.message);
  return message === err.message ? err : new DriftlineError(err.code, message, { status: err.status });
}
