import { request } from 'node:http';
import type { ApiResult } from '../../src-main/contract/api';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (node:http lets tests set Host, Origin and Sec-Fetch-Site freely). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Exchanges the one-time link for the session cookie, as a browser would. */
export async function signIn(url: string): Promise<string> {
  const res = await rawRequest(url);
  const setCookie = res.headers['set-cookie'];
  const cookie = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie.split(';')[0] ?? '';
}

/** Calls the API the way the renderer does in browser mode. */
export async function httpCall(origin: string, cookie: string, method: string, args?: unknown): Promise<{ raw: string; result: ApiResult<unknown> }> {
  const res = await rawRequest(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ args }),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body}`);
  return { raw: res.body, result: JSON.parse(res.body) as ApiResult<unknown> };
}
