import { fetch, type Dispatcher } from 'undici';
import { DriftlineError } from '../errors';
import { bodyText, readLimited } from './body-reader';
import { EXCERPT_BYTES } from './defaults';
import { cancelledError, timeoutError, tooLargeError, transportError } from './http-errors';
import type { HttpMethod } from './types';

/** One HTTP exchange, exactly as it goes on the wire. */
export interface AttemptInput {
  url: URL;
  /** "GET https://host/path", for messages. */
  where: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
  dispatcher: Dispatcher;
  /** Whether this response is a result to parse (read in full, up to the cap) or only needs an excerpt. */
  wantsFullBody(status: number, contentType: string | null): boolean;
}

/** A received response with its body (or, for one we will not parse, the start of it) as text. */
export interface RawResponse {
  status: number;
  headers: Headers;
  contentType: string | null;
  text: string;
  bytes: number;
}

/**
 * Sends one request under one deadline that covers connecting, headers and the whole body, so a server
 * trickling bytes is stopped too. Redirects are returned, never followed.
 */
export async function sendAttempt(input: AttemptInput): Promise<RawResponse> {
  const { where, signal } = input;
  if (signal?.aborted) throw cancelledError(where);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, input.timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const res = await fetch(input.url, {
      method: input.method,
      headers: input.headers,
      body: input.body,
      redirect: 'manual',
      signal: controller.signal,
      dispatcher: input.dispatcher,
    });
    const contentType = res.headers.get('content-type');
    const full = input.wantsFullBody(res.status, contentType);
    const limit = full ? input.maxResponseBytes : EXCERPT_BYTES;
    if (full && Number(res.headers.get('content-length')) > limit) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLargeError(where, limit);
    }
    const read = await readLimited(res.body, limit);
    if (full && read.overflow) throw tooLargeError(where, limit);
    return { status: res.status, headers: res.headers, contentType, text: bodyText(read), bytes: read.bytes };
  } catch (err) {
    if (signal?.aborted) throw cancelledError(where);
    if (timedOut) throw timeoutError(where, input.timeoutMs);
    if (err instanceof DriftlineError) throw err;
    throw transportError(where, err) ?? err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}
