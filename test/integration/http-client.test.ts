import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DriftlineError } from '../../src-main/core/errors';
import { createHttpClient } from '../../src-main/core/http/client';
import { HttpStatusError } from '../../src-main/core/http/http-errors';
import type { HttpClient, HttpClientOptions, HttpEvent } from '../../src-main/core/http/types';
import { systemClock, type Clock, type Logger } from '../../src-main/core/ports';
import { listen, readBody, sendJson, startHttpServer, type TestServer } from '../helpers/http-server';
import { generateTestCerts, type TestCerts } from '../helpers/tls-certs';

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const savedEnv = new Map<string, string | undefined>();
const servers: TestServer[] = [];
const clients: HttpClient[] = [];

beforeAll(() => {
  // The suite must not depend on (or be routed through) a proxy configured on the machine running it.
  for (const name of PROXY_VARS) {
    savedEnv.set(name, process.env[name]);
    setEnv(name, undefined);
  }
});

afterAll(() => {
  for (const [name, value] of savedEnv) setEnv(name, value);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}

/** Runs `fn` with some environment variables set, restoring them afterwards. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const before = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  for (const [name, value] of Object.entries(vars)) setEnv(name, value);
  try {
    return fn();
  } finally {
    for (const [name, value] of before) setEnv(name, value);
  }
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<TestServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

function client(options: HttpClientOptions = {}): HttpClient {
  const c = createHttpClient({ requestsPerSecond: 1000, concurrency: 16, ...options });
  clients.push(c);
  return c;
}

/** A clock whose sleeps resolve at once and are recorded, so retry waits can be asserted quickly. */
function fakeClock(): { clock: Clock; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    clock: {
      now: () => Date.now(),
      sleep: (ms, signal) => {
        delays.push(ms);
        return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
      },
    },
  };
}

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, fields }));
  };
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

async function failure(promise: Promise<unknown>): Promise<DriftlineError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DriftlineError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

const scimError = (status: number | string, detail: string, scimType?: string): Record<string, unknown> => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status,
  detail,
  ...(scimType === undefined ? {} : { scimType }),
});

describe('successful responses', () => {
  it('returns parsed JSON with status, headers and byte count', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, { totalResults: 1 }, { etag: 'W/"1"' }));
    const res = await client().request({ method: 'GET', url: `${srv.url}/Users` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ totalResults: 1 });
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.bytes).toBe(Buffer.byteLength('{"totalResults":1}'));
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/scim+json;charset=UTF-8',
    'application/json+scim;charset=UTF-8',
    'application/vnd.okta+json',
  ])('accepts the JSON-ish content type %s', async (contentType) => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end('{"ok":true}');
    });
    expect((await client().request({ method: 'GET', url: srv.url })).body).toEqual({ ok: true });
  });

  it('decodes UTF-8 characters split between body chunks', async () => {
    const body = Buffer.from(JSON.stringify({ displayName: 'Zoë Ångström 🎉' }));
    const cut = body.indexOf(Buffer.from('🎉')) + 2;
    const srv = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.write(body.subarray(0, cut));
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.end(body.subarray(cut));
    });
    const res = await client().request({ method: 'GET', url: srv.url });
    expect(res.body).toEqual({ displayName: 'Zoë Ångström 🎉' });
    expect(res.bytes).toBe(body.length);
  });

  it('reads a large all-ASCII body with escaped characters, and a UTF-8 body that starts with a byte order mark', async () => {
    // ASCII-only: non-ASCII names escaped, as .NET and many Java servers send them; over 1 MB.
    const people = Array.from({ length: 20_000 }, (_, i) => ({ id: `u${i}`, displayName: `Zo\u00eb ${i} \u{1F389}` }));
    const ascii = JSON.stringify({ Resources: people }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(Buffer.byteLength(ascii)).toBeGreaterThan(1_000_000);
    const srv = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end(req.url === '/bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"displayName":"Zoë"}')]) : ascii);
    });
    const asciiRes = await client().request({ method: 'GET', url: srv.url });
    expect(asciiRes.body).toEqual({ Resources: people });
    expect(asciiRes.bytes).toBe(ascii.length);
    const bomRes = await client().request({ method: 'GET', url: `${srv.url}/bom` });
    expect(bomRes.body).toEqual({ displayName: 'Zoë' });
  });

  it('reads bodies of every size in turn, each exactly, whether or not it fits the buffer kept between bodies', async () => {
    const bodies = [3, 20_000, 17 * 1024 * 1024, 10].map((size, n) => JSON.stringify({ n, pad: 'x'.repeat(size) }));
    const srv = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end(bodies[Number(req.url?.slice(1))]);
    });
    const http = client();
    for (const [n, body] of bodies.entries()) {
      const res = await http.request({ method: 'GET', url: `${srv.url}/${n}` });
      expect(res.body).toEqual(JSON.parse(body));
      expect(res.bytes).toBe(body.length);
    }
  });

  it('returns body undefined for 204 and for an empty 200', async () => {
    const srv = await serve((req, res) => {
      res.writeHead(req.url === '/empty' ? 200 : 204, { 'content-type': 'application/scim+json' });
      res.end();
    });
    const c = client();
    const noContent = await c.request({ method: 'DELETE', url: `${srv.url}/Users/1` });
    expect(noContent).toMatchObject({ status: 204, body: undefined, bytes: 0 });
    expect((await c.request({ method: 'GET', url: `${srv.url}/empty` })).body).toBeUndefined();
  });

  it('refuses an HTML page served with 200 (a login page in the way)', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><form>Sign in</form></body></html>');
    });
    const err = await failure(client().request({ method: 'GET', url: `${srv.url}/scim/v2/Users` }));
    expect(err.code).toBe('unexpected_content_type');
    expect(err.message).toContain('text/html');
    expect(err.message).toContain('login page or proxy in the way');
    expect(err.message).not.toContain('Sign in');
  });

  it('reports malformed JSON with its position and only a short excerpt', async () => {
    const body = '{"note":"Jane Doe <jane.doe@example.com>","padding":"xxxxxxxxxxxxxxxxxxxxxx","active": tru}';
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end(body);
    });
    const err = await failure(client().request({ method: 'GET', url: `${srv.url}/Users/1` }));
    expect(err.code).toBe('invalid_json');
    expect(err.message).toContain(`position ${body.indexOf('tru}')}`);
    expect(err.message).toContain('line 1');
    expect(err.message).not.toContain('jane.doe');
  });

  it('reports truncated JSON at its end, with the line', async () => {
    const body = '{\n  "Resources": [\n    {"id": "1"}';
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const err = await failure(client().request({ method: 'GET', url: srv.url }));
    expect(err.code).toBe('invalid_json');
    expect(err.message).toContain(`position ${body.length}, line 3`);
  });

  it('returns an allowed error status instead of throwing, with its JSON body', async () => {
    const srv = await serve((_req, res) => sendJson(res, 404, scimError(404, 'Resource 1 not found')));
    const res = await client().request({ method: 'GET', url: `${srv.url}/Users/1`, allowStatus: [404] });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ detail: 'Resource 1 not found' });
  });
});

describe('limits', () => {
  it('stops a response larger than maxResponseBytes (declared length)', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, { data: 'x'.repeat(5000) }));
    const err = await failure(client({ maxResponseBytes: 1000 }).request({ method: 'GET', url: srv.url }));
    expect(err.code).toBe('response_too_large');
    expect(err.message).toContain('1000 bytes');
  });

  it('stops a chunked response once it passes maxResponseBytes, without reading it all', async () => {
    let written = 0;
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => {
        written += 1024;
        res.write(`"${'y'.repeat(1020)}",`);
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
    const err = await failure(client({ maxResponseBytes: 16 * 1024 }).request({ method: 'GET', url: srv.url }));
    expect(err.code).toBe('response_too_large');
    expect(written).toBeLessThan(256 * 1024);
  });

  it('stops waiting for headers at the deadline, naming the host and the limit', async () => {
    const srv = await serve(() => undefined);
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 300, maxAttempts: 1 }).request({ method: 'GET', url: `${srv.url}/Users?filter=x` }));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(`${srv.url}/Users`);
    expect(err.message).toContain('300 ms');
    expect(err.message).not.toContain('filter');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops a server trickling its body at the deadline', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items":[');
      const timer = setInterval(() => res.write('1,'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 400, maxAttempts: 1 }).request({ method: 'GET', url: srv.url }));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries a timed-out GET once, and never a timed-out write', async () => {
    let hits = 0;
    const srv = await serve(() => {
      hits++;
    });
    const { clock, delays } = fakeClock();
    const c = client({ timeoutMs: 250, clock });
    expect((await failure(c.request({ method: 'GET', url: srv.url }))).code).toBe('timeout');
    expect(hits).toBe(2);
    expect(delays).toHaveLength(1);
    hits = 0;
    expect((await failure(c.request({ method: 'POST', url: srv.url, json: {} }))).code).toBe('timeout');
    expect(hits).toBe(1);
  });

  it("reports the caller's abort as cancelled, not as a timeout", async () => {
    const srv = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 5000 }).request({ method: 'GET', url: srv.url, signal: controller.signal }));
    expect(err.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await failure(client().request({ method: 'GET', url: srv.url, signal: AbortSignal.abort() }))).code).toBe('cancelled');
  });
});

describe('redirects and URLs', () => {
  it('refuses a redirect, saying where it pointed without its query', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      res.writeHead(302, { location: 'https://login.example.com/sso/start?SAMLRequest=abc' });
      res.end();
    });
    const err = await failure(client().request({ method: 'GET', url: `${srv.url}/scim/v2/Users` }));
    expect(err.code).toBe('redirect_refused');
    expect(err.status).toBe(302);
    expect(err.message).toContain('https://login.example.com/sso/start');
    expect(err.message).toContain('configure the final URL');
    expect(err.message).not.toContain('SAMLRequest');
    expect(hits).toBe(1);
  });

  it('does not follow a relative redirect either', async () => {
    const paths: string[] = [];
    const srv = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(301, { location: '/scim/v2/Users' });
      res.end();
    });
    const err = await failure(client().request({ method: 'GET', url: `${srv.url}/scim/Users` }));
    expect(err.code).toBe('redirect_refused');
    expect(err.message).toContain(`${srv.url}/scim/v2/Users`);
    expect(paths).toEqual(['/scim/Users']);
  });

  it('resolves relative URLs under the base path, with or without slashes', async () => {
    const paths: string[] = [];
    const srv = await serve((req, res) => {
      paths.push(req.url ?? '');
      sendJson(res, 200, {});
    });
    for (const base of [`${srv.url}/scim/v2`, `${srv.url}/scim/v2/`]) {
      const c = client({ baseUrl: base });
      await c.request({ method: 'GET', url: 'Users?count=10' });
      await c.request({ method: 'GET', url: '/Users' });
      await c.request({ method: 'GET', url: `${srv.url}/scim/v2/Groups?after=abc` });
    }
    expect(paths).toEqual([
      '/scim/v2/Users?count=10',
      '/scim/v2/Users',
      '/scim/v2/Groups?after=abc',
      '/scim/v2/Users?count=10',
      '/scim/v2/Users',
      '/scim/v2/Groups?after=abc',
    ]);
  });

  it('refuses an absolute URL on another origin, so credentials stay with the configured host', async () => {
    let otherHits = 0;
    const other = await serve((_req, res) => {
      otherHits++;
      sendJson(res, 200, {});
    });
    const home = await serve((_req, res) => sendJson(res, 200, {}));
    const c = client({ baseUrl: `${home.url}/api/v1`, auth: () => Promise.resolve('SSWS token') });
    const err = await failure(c.request({ method: 'GET', url: `${other.url}/api/v1/users?after=x` }));
    expect(err.code).toBe('redirect_refused');
    expect(err.message).toContain(other.url);
    expect(otherHits).toBe(0);
  });

  it('needs a base URL for a relative request', async () => {
    expect((await failure(client().request({ method: 'GET', url: 'Users' }))).code).toBe('invalid_argument');
  });
});

describe('error statuses', () => {
  it.each([
    [401, 'auth_rejected'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'http_error'],
    [500, 'server_error'],
    [502, 'server_error'],
  ] as const)('maps HTTP %i to %s with status, location and the server explanation', async (status, code) => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      sendJson(res, status, scimError(String(status), `explained ${status}`));
    });
    const err = await failure(client({ clock: fakeClock().clock }).request({ method: 'GET', url: `${srv.url}/scim/v2/Users?filter=userName eq "jane@example.com"` }));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).toContain(`GET ${srv.url}/scim/v2/Users`);
    expect(err.message).toContain(`explained ${status}`);
    expect(err.message).not.toContain('jane');
    expect(hits).toBe(1);
  });

  it.each([
    ['SCIM 2.0 with numeric status', scimError(400, 'Unknown attribute foo', 'invalidFilter'), 'Unknown attribute foo', 'invalidFilter'],
    ['SCIM 2.0 with scimType "null"', scimError('400', 'Bad value', 'null'), 'Bad value', undefined],
    ['SCIM 1.1 Errors', { Errors: [{ description: 'Start index too big', code: 400 }] }, 'Start index too big', undefined],
    ['a wrapped response', { status: '400', response: scimError('400', 'Wrapped detail', 'invalidValue') }, 'Wrapped detail', 'invalidValue'],
    [
      'Okta',
      { errorCode: 'E0000001', errorSummary: 'Api validation failed: login', errorCauses: [{ errorSummary: 'login: already exists' }] },
      'Api validation failed: login: login: already exists',
      undefined,
    ],
    ['Graph', { error: { code: 'Request_BadRequest', message: 'Invalid filter clause' } }, 'Invalid filter clause', undefined],
    ['OAuth', { error: 'invalid_client', error_description: 'Client authentication failed' }, 'Client authentication failed', undefined],
  ])('explains a %s error body', async (_name, body, text, scimType) => {
    const srv = await serve((_req, res) => sendJson(res, 400, body));
    const err = await failure(client().request({ method: 'GET', url: srv.url }));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.message).toContain(`"${text}"`);
    expect((err as HttpStatusError).scimType).toBe(scimType);
  });

  it('exposes vendor codes for connectors to branch on', async () => {
    const srv = await serve((req, res) =>
      req.url === '/okta'
        ? sendJson(res, 400, { errorCode: 'E0000001', errorSummary: 'Api validation failed' })
        : sendJson(res, 403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } }),
    );
    const c = client();
    expect(await failure(c.request({ method: 'GET', url: `${srv.url}/okta` }))).toMatchObject({ serverCode: 'E0000001', code: 'http_error' });
    expect(await failure(c.request({ method: 'GET', url: `${srv.url}/graph` }))).toMatchObject({
      serverCode: 'Authorization_RequestDenied',
      code: 'forbidden',
      detail: 'Insufficient privileges',
    });
  });

  it('explains plain-text and HTML error bodies, stripped and truncated', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/text') {
        res.writeHead(422, { 'content-type': 'text/plain' });
        res.end('Too Many Requests! Wait for 0s');
        return;
      }
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        `<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>` +
          `<body><h1>Bad&nbsp;Gateway</h1><p>${'upstream unavailable '.repeat(30)}</p><script>track()</script></body></html>`,
      );
    });
    const c = client();
    const text = await failure(c.request({ method: 'GET', url: `${srv.url}/text` }));
    expect(text.message).toContain('"Too Many Requests! Wait for 0s"');
    const html = await failure(c.request({ method: 'GET', url: `${srv.url}/html` }));
    expect(html.code).toBe('server_error');
    expect(html.message).toContain('"502 Bad Gateway Bad Gateway upstream unavailable');
    expect(html.message).not.toMatch(/[<>]|color:red|track\(\)/);
    expect((html as HttpStatusError).detail?.length).toBeLessThanOrEqual(200);
  });
});

describe('retries', () => {
  it('waits for Retry-After in seconds, then succeeds', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      if (hits === 1) sendJson(res, 429, scimError(429, 'slow down'), { 'retry-after': '2' });
      else sendJson(res, 200, { ok: true });
    });
    const { clock, delays } = fakeClock();
    const events: HttpEvent[] = [];
    const res = await client({ clock, onEvent: (e) => events.push(e) }).request({ method: 'GET', url: srv.url });
    expect(res.body).toEqual({ ok: true });
    expect(hits).toBe(2);
    expect(delays).toEqual([2000]);
    expect(events.filter((e) => e.type === 'retry_wait')).toEqual([
      { type: 'retry_wait', reason: 'rate_limited', delayMs: 2000, attempt: 2, status: 429 },
    ]);
    expect(events.filter((e) => e.type === 'request').map((e) => e.type === 'request' && e.status)).toEqual([429, 200]);
  });

  it('waits for Retry-After given as an HTTP-date', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      if (hits === 1) sendJson(res, 429, {}, { 'retry-after': new Date(Date.now() + 5000).toUTCString() });
      else sendJson(res, 200, {});
    });
    const { clock, delays } = fakeClock();
    await client({ clock }).request({ method: 'GET', url: srv.url });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(4000);
    expect(delays[0]).toBeLessThanOrEqual(6000);
  });

  it("waits until Okta's X-Rate-Limit-Reset", async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      const reset = String(Math.floor(Date.now() / 1000) + 3);
      if (hits === 1) sendJson(res, 429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' }, { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset });
      else sendJson(res, 200, []);
    });
    const { clock, delays } = fakeClock();
    await client({ clock }).request({ method: 'GET', url: srv.url });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
    expect(delays[0]).toBeLessThanOrEqual(4000);
  });

  it('fails at once when the server asks to wait longer than maxRetryWaitMs', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      sendJson(res, 429, {}, { 'retry-after': '600' });
    });
    const { clock, delays } = fakeClock();
    const err = await failure(client({ clock }).request({ method: 'GET', url: srv.url }));
    expect(err.code).toBe('rate_limited');
    expect(err.status).toBe(429);
    expect(err.message).toContain('asked to wait 10 min');
    expect((err as HttpStatusError).retryAfterMs).toBe(600_000);
    expect(hits).toBe(1);
    expect(delays).toEqual([]);
  });

  it('gives up with rate_limited after maxAttempts, backing off with jitter when there is no hint', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      res.writeHead(429, { 'content-type': 'text/plain' });
      res.end('Too Many Requests');
    });
    const { clock, delays } = fakeClock();
    const err = await failure(client({ clock, maxAttempts: 3 }).request({ method: 'GET', url: srv.url }));
    expect(err.code).toBe('rate_limited');
    expect(err.message).toContain('Gave up after 3 attempts');
    expect(hits).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThan(500);
    expect(delays[1]).toBeLessThan(1000);
  });

  it('retries a 503 and then succeeds', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      if (hits === 1) sendJson(res, 503, {});
      else sendJson(res, 200, { ok: 1 });
    });
    const { clock, delays } = fakeClock();
    const events: HttpEvent[] = [];
    const res = await client({ clock, onEvent: (e) => events.push(e) }).request({ method: 'GET', url: srv.url });
    expect(res.body).toEqual({ ok: 1 });
    expect(delays).toHaveLength(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry_wait', reason: 'server_busy', status: 503 }));
  });

  it('retries a Google quota 403 but not a permission 403', async () => {
    let quotaHits = 0;
    const srv = await serve((req, res) => {
      if (req.url === '/quota') {
        quotaHits++;
        if (quotaHits === 1) {
          sendJson(res, 403, { error: { code: 403, message: 'Quota exceeded', errors: [{ reason: 'userRateLimitExceeded', domain: 'usageLimits' }] } });
        } else sendJson(res, 200, { users: [] });
        return;
      }
      sendJson(res, 403, { error: { code: 403, message: 'Not Authorized to access this resource/api', errors: [{ reason: 'forbidden' }] } });
    });
    const { clock, delays } = fakeClock();
    const c = client({ clock });
    expect((await c.request({ method: 'GET', url: `${srv.url}/quota` })).body).toEqual({ users: [] });
    expect(quotaHits).toBe(2);
    const err = await failure(c.request({ method: 'GET', url: `${srv.url}/denied` }));
    expect(err.code).toBe('forbidden');
    expect(delays).toHaveLength(1);
  });

  it.each(['PATCH', 'POST', 'PUT', 'DELETE'] as const)('never retries a %s, even on 503 or 429', async (method) => {
    let hits = 0;
    const srv = await serve(async (req, res) => {
      hits++;
      await readBody(req);
      if (req.url === '/busy') sendJson(res, 503, {}, { 'retry-after': '1' });
      else sendJson(res, 429, {}, { 'retry-after': '1' });
    });
    const { clock, delays } = fakeClock();
    const c = client({ clock });
    const busy = await failure(c.request({ method, url: `${srv.url}/busy`, json: { Operations: [] } }));
    expect(busy.code).toBe('server_error');
    expect(busy.message).toContain('never retried automatically');
    const limited = await failure(c.request({ method, url: `${srv.url}/limited`, json: {} }));
    expect(limited.code).toBe('rate_limited');
    expect(limited.message).toContain('asked to wait 1 s');
    expect(hits).toBe(2);
    expect(delays).toEqual([]);
  });

  it('retries a GET after a dropped connection but never a write', async () => {
    let hits = 0;
    const srv = await serve((req, res) => {
      hits++;
      if (req.method === 'POST' || hits === 1) req.socket.destroy();
      else sendJson(res, 200, { ok: true });
    });
    const { clock, delays } = fakeClock();
    const c = client({ clock });
    expect((await c.request({ method: 'GET', url: srv.url })).body).toEqual({ ok: true });
    expect(hits).toBe(2);
    expect(delays).toHaveLength(1);
    hits = 0;
    const err = await failure(c.request({ method: 'POST', url: `${srv.url}/Users`, json: { userName: 'x' } }));
    expect(err.code).toBe('network_error');
    expect(hits).toBe(1);
  });

  it('can be cancelled during a retry wait', async () => {
    const srv = await serve((_req, res) => sendJson(res, 429, {}, { 'retry-after': '30' }));
    const controller = new AbortController();
    const started = Date.now();
    const events: HttpEvent[] = [];
    const c = client({
      clock: systemClock,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'retry_wait') setTimeout(() => controller.abort(), 50);
      },
    });
    const err = await failure(c.request({ method: 'GET', url: srv.url, signal: controller.signal }));
    expect(err.code).toBe('cancelled');
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry_wait', delayMs: 30_000 }));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('holds the next request until the reset when a success reports no requests remaining', async () => {
    const srv = await serve((_req, res) =>
      sendJson(res, 200, [], { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 2) }),
    );
    const { clock, delays } = fakeClock();
    const events: HttpEvent[] = [];
    const c = client({ clock, onEvent: (e) => events.push(e) });
    await c.request({ method: 'GET', url: srv.url });
    expect(delays).toEqual([]);
    await c.request({ method: 'GET', url: srv.url });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(500);
    expect(delays[0]).toBeLessThanOrEqual(3000);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry_wait', reason: 'rate_limited', attempt: 0 }));
  });
});

describe('rate limit and concurrency', () => {
  it('paces requests with a token bucket (burst of one second)', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, {}));
    const c = client({ requestsPerSecond: 20, concurrency: 50, clock: systemClock });
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, () => c.request({ method: 'GET', url: srv.url })));
    const elapsed = Date.now() - started;
    // 20 go at once; the other 10 come at 20/s, the last one 500 ms in.
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const srv = await serve(async (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight--;
      sendJson(res, 200, {});
    });
    const c = client({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => c.request({ method: 'GET', url: srv.url })));
    expect(maxInFlight).toBe(3);
  });

  it('frees the slot while a request waits to retry', async () => {
    let drops = 0;
    const srv = await serve((req, res) => {
      if (req.url === '/flaky' && drops++ === 0) req.socket.destroy();
      else sendJson(res, 200, {});
    });
    const slowRetries: Clock = { now: () => Date.now(), sleep: (_ms, signal) => systemClock.sleep(800, signal) };
    const c = client({ concurrency: 1, clock: slowRetries });
    const started = Date.now();
    const flaky = c.request({ method: 'GET', url: `${srv.url}/flaky` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await c.request({ method: 'GET', url: `${srv.url}/other` });
    // Had the flaky request kept its slot through its 800 ms retry wait, this one would have waited too.
    expect(Date.now() - started).toBeLessThan(700);
    await flaky;
  });

  it('lets a request waiting for a slot be cancelled', async () => {
    const srv = await serve(() => undefined);
    const c = client({ concurrency: 1, timeoutMs: 1000, maxAttempts: 1 });
    const blocker = c.request({ method: 'GET', url: srv.url }).catch((err: unknown) => err);
    const controller = new AbortController();
    const queued = c.request({ method: 'GET', url: srv.url, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(queued)).code).toBe('cancelled');
    expect(await blocker).toMatchObject({ code: 'timeout' });
  });
});

describe('network and TLS', () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = generateTestCerts();
  });

  async function serveHttps(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
    const server = await listen(createHttpsServer({ cert: certs.certPem, key: certs.keyPem }, handler), 'https');
    servers.push(server);
    return server;
  }

  it('maps a refused connection to network_error', async () => {
    const gone = await startHttpServer(() => undefined);
    await gone.close();
    const { clock } = fakeClock();
    const err = await failure(client({ clock, maxAttempts: 2 }).request({ method: 'GET', url: `${gone.url}/scim/v2/Users` }));
    expect(err.code).toBe('network_error');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain(`${gone.url}/scim/v2/Users`);
  });

  it('rejects a certificate from an unknown CA with tls_untrusted and does not retry', async () => {
    let hits = 0;
    const srv = await serveHttps((_req, res) => {
      hits++;
      sendJson(res, 200, {});
    });
    const { clock, delays } = fakeClock();
    const err = await failure(client({ clock }).request({ method: 'GET', url: `${srv.url}/scim/v2/Users` }));
    expect(err.code).toBe('tls_untrusted');
    expect(err.message).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(err.message).toContain('CA');
    expect(hits).toBe(0);
    expect(delays).toEqual([]);
  });

  it('accepts the server when its CA is given as caPem', async () => {
    const srv = await serveHttps((_req, res) => sendJson(res, 200, { secure: true }));
    const res = await client({ caPem: certs.caPem }).request({ method: 'GET', url: srv.url });
    expect(res.body).toEqual({ secure: true });
  });

  it('still trusts the public roots when caPem is set (it adds, not replaces)', async () => {
    // A client with caPem must keep Node's bundled roots; checked without network access via the CA list.
    const { trustedCas } = await import('../../src-main/core/http/dispatcher');
    const { rootCertificates } = await import('node:tls');
    const cas = trustedCas(certs.caPem, {});
    expect(cas).toEqual(expect.arrayContaining([...rootCertificates, certs.caPem]));
  });

  it('reports a TLS handshake with a non-TLS server as tls_error', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, {}));
    const { clock } = fakeClock();
    const err = await failure(client({ clock }).request({ method: 'GET', url: srv.url.replace('http:', 'https:') }));
    expect(err.code).toBe('tls_error');
  });

  describe('through a proxy from the environment', () => {
    interface TestProxy {
      url: string;
      tunnels: string[];
    }

    async function startConnectProxy(): Promise<TestProxy> {
      const tunnels: string[] = [];
      const upstreams = new Set<Socket>();
      const server = createServer((_req, res) => {
        res.writeHead(405);
        res.end();
      });
      server.on('connect', (req: IncomingMessage, downstream: Socket, head: Buffer) => {
        const target = req.url ?? '';
        tunnels.push(target);
        const [host = '', port = ''] = target.split(':');
        const upstream = connect(Number(port), host, () => {
          downstream.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(downstream);
          downstream.pipe(upstream);
        });
        upstreams.add(upstream);
        upstream.on('error', () => downstream.destroy());
        upstream.on('close', () => upstreams.delete(upstream));
        downstream.on('error', () => upstream.destroy());
        downstream.on('close', () => upstream.destroy());
      });
      const handle = await listen(server);
      servers.push({
        ...handle,
        close: async () => {
          for (const s of upstreams) s.destroy();
          await handle.close();
        },
      });
      return { url: handle.url, tunnels };
    }

    it('tunnels https through HTTPS_PROXY with the custom CA applied to the target', async () => {
      const proxy = await startConnectProxy();
      const srv = await serveHttps((_req, res) => sendJson(res, 200, { via: 'proxy' }));
      const c = withEnv({ HTTPS_PROXY: proxy.url }, () => client({ caPem: certs.caPem }));
      expect((await c.request({ method: 'GET', url: `${srv.url}/scim/v2/Users` })).body).toEqual({ via: 'proxy' });
      expect(proxy.tunnels).toEqual([new URL(srv.url).host]);
    });

    it('keeps verifying the target through the proxy', async () => {
      const proxy = await startConnectProxy();
      const srv = await serveHttps((_req, res) => sendJson(res, 200, {}));
      const c = withEnv({ https_proxy: proxy.url }, () => client({ clock: fakeClock().clock }));
      expect((await failure(c.request({ method: 'GET', url: srv.url }))).code).toBe('tls_untrusted');
      expect(proxy.tunnels).toHaveLength(1);
    });

    it('sends plain http through HTTP_PROXY and honours NO_PROXY', async () => {
      const proxy = await startConnectProxy();
      const srv = await serve((_req, res) => sendJson(res, 200, {}));
      const proxied = withEnv({ HTTP_PROXY: proxy.url }, () => client());
      await proxied.request({ method: 'GET', url: srv.url });
      expect(proxy.tunnels).toHaveLength(1);
      const bypassed = withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, () => client());
      await bypassed.request({ method: 'GET', url: srv.url });
      expect(proxy.tunnels).toHaveLength(1);
    });

    it('reads the environment when the client is created, not later', async () => {
      const proxy = await startConnectProxy();
      const srv = await serve((_req, res) => sendJson(res, 200, {}));
      const direct = client();
      await withEnv({ HTTP_PROXY: proxy.url }, () => direct.request({ method: 'GET', url: srv.url }));
      expect(proxy.tunnels).toEqual([]);
    });
  });
});

describe('headers, auth and secrets', () => {
  it('sends the default headers, the auth header and a JSON body', async () => {
    const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
    const srv = await serve(async (req, res) => {
      seen.push({ headers: req.headers, body: await readBody(req) });
      sendJson(res, 200, {});
    });
    const c = client({ auth: () => Promise.resolve('Bearer abc123') });
    await c.request({ method: 'GET', url: srv.url });
    await c.request({
      method: 'PATCH',
      url: srv.url,
      json: { Operations: [{ op: 'replace', path: 'active', value: false }] },
      headers: { Accept: 'application/json', 'If-Match': 'W/"3"', Authorization: 'Bearer caller-override' },
    });
    expect(seen[0]?.headers).toMatchObject({
      accept: 'application/scim+json, application/json;q=0.9',
      'user-agent': 'Driftline/0.1.0',
      authorization: 'Bearer abc123',
    });
    expect(seen[0]?.headers['content-type']).toBeUndefined();
    expect(seen[1]?.headers).toMatchObject({
      accept: 'application/json',
      'content-type': 'application/scim+json',
      'if-match': 'W/"3"',
      authorization: 'Bearer abc123',
    });
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ Operations: [{ op: 'replace', path: 'active', value: false }] });
  });

  it('uses the configured write content type, user agent and accept', async () => {
    let headers: IncomingMessage['headers'] = {};
    const srv = await serve(async (req, res) => {
      headers = req.headers;
      await readBody(req);
      sendJson(res, 201, {});
    });
    const c = client({ writeContentType: 'application/json', userAgent: 'Custom/1', accept: 'application/json' });
    await c.request({ method: 'POST', url: srv.url, json: {} });
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Custom/1', accept: 'application/json' });
  });

  it('asks the auth provider again for every attempt', async () => {
    let hits = 0;
    const srv = await serve((_req, res) => {
      hits++;
      if (hits === 1) sendJson(res, 503, {});
      else sendJson(res, 200, {});
    });
    let calls = 0;
    const c = client({ clock: fakeClock().clock, auth: () => Promise.resolve(`Bearer token-${++calls}`) });
    await c.request({ method: 'GET', url: srv.url });
    expect(calls).toBe(2);
  });

  it('never lets the Authorization value into an error message or a log line', async () => {
    const credential = 'sk-CANARY-7f3a9c1e5b2d4f6a8c0e';
    const srv = await serve((req, res) => {
      const echo = req.headers.authorization ?? '';
      switch (new URL(req.url ?? '/', 'http://test').pathname) {
        case '/401':
          sendJson(res, 401, scimError(401, `invalid token ${echo}`));
          break;
        case '/500':
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`${'x'.repeat(170)} header was ${echo} and more`);
          break;
        case '/json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`{"token": "${echo}",,}`);
          break;
        case '/redirect':
          res.writeHead(302, { location: `/login/${encodeURIComponent(echo)}?auth=${echo}` });
          res.end();
          break;
        default:
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(`<p>${echo}</p>`);
      }
    });
    const { logger, lines } = recordingLogger();
    const c = client({ logger, auth: () => Promise.resolve(`Bearer ${credential}`), clock: fakeClock().clock });
    const errors = await Promise.all(
      ['/401', '/500', '/json', '/redirect', '/html'].map((path) => failure(c.request({ method: 'GET', url: `${srv.url}${path}?q=secretfilter` }))),
    );
    expect(errors.map((e) => e.code)).toEqual(['auth_rejected', 'server_error', 'invalid_json', 'redirect_refused', 'unexpected_content_type']);
    expect(errors[0]?.message).toContain('[redacted]');
    const everything = [...errors.map((e) => `${e.message} ${JSON.stringify(e)} ${String(e.stack)}`), ...lines].join('\n');
    expect(everything).not.toContain('CANARY');
    expect(everything).not.toContain(credential.slice(-8));
    expect(everything).not.toContain('secretfilter');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('logs each request at debug level with method, origin and path, status and time', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, {}));
    const { logger, lines } = recordingLogger();
    await client({ logger }).request({ method: 'GET', url: `${srv.url}/Users?filter=userName eq "jane"` });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as { level: string; fields: Record<string, unknown> };
    expect(line.level).toBe('debug');
    expect(line.fields).toMatchObject({ method: 'GET', url: `${srv.url}/Users`, status: 200 });
    expect(typeof line.fields.ms).toBe('number');
    expect(lines[0]).not.toContain('jane');
  });
});
