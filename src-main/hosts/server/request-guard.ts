import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// The browser-mode server's checks, as pure functions: DNS-rebinding (Host), cross-site requests
// (Origin, Sec-Fetch-Site) and the session cookie.

export const SESSION_COOKIE = 'driftline_session';

/** Only the loopback literal (or localhost) with our own port: anything else is DNS rebinding. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * A state-changing request must come from our own page: Origin present and ours, and the browser
 * not reporting it as cross-site. Reads (SSE) may omit Origin, but never come from another site.
 */
export function requestFromOwnPage(req: IncomingMessage, port: number, requireOrigin: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined ? requireOrigin : !ownOrigins(port).includes(origin)) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
