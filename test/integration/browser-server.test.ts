import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import { silentLogger } from '../../src-main/core/ports';
import { memoryVault } from '../../src-main/core/secrets/vault';
import { startBrowserServer, type BrowserServer } from '../../src-main/hosts/server/browser-server';
import { NONCE_PLACEHOLDER } from '../../src-main/hosts/shared/renderer-assets';
import { httpCall, rawRequest, signIn } from '../helpers/browser-session';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();
const running: Array<{ core: Core; server: BrowserServer }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.server.close();
    await r.core.stop();
  }
});

async function start(): Promise<{ core: Core; server: BrowserServer; rendererDir: string }> {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), `<html><head><meta name="csp-nonce" content="${NONCE_PLACEHOLDER}"></head><body>app</body></html>`);
  writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
  const core = createCore({ dataDir: join(dir, 'data'), secrets: memoryVault('memory only'), logger: silentLogger, operator: 'tester@test' });
  const server = await startBrowserServer({ core, rendererDir, logger: silentLogger });
  running.push({ core, server });
  return { core, server, rendererDir };
}

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only and prints a one-time link', async () => {
    const { server } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('exchanges the token once for an HttpOnly SameSite=Strict cookie', async () => {
    const { server } = await start();
    const first = await rawRequest(server.url);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(new URL(server.url).searchParams.get('token') ?? '?');
    const again = await rawRequest(server.url);
    expect(again.status).toBe(403);
    const wrong = await rawRequest(`${server.origin}/?token=${'A'.repeat(43)}`);
    expect(wrong.status).toBe(403);
  });

  it('refuses everything without the session cookie', async () => {
    const { server } = await start();
    expect((await rawRequest(`${server.origin}/`)).status).toBe(401);
    const api = await rawRequest(`${server.origin}/api/app.info`, {
      method: 'POST',
      headers: { origin: server.origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(401);
    expect((await rawRequest(`${server.origin}/`, { headers: { cookie: 'driftline_session=forged' } })).status).toBe(401);
  });

  it('serves the renderer with a strict CSP and a fresh nonce', async () => {
    const { server } = await start();
    const cookie = await signIn(server.url);
    const a = await rawRequest(`${server.origin}/`, { headers: { cookie } });
    const b = await rawRequest(`${server.origin}/findings`, { headers: { cookie } });
    expect(a.status).toBe(200);
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce && a.body.includes(nonce)).toBe(true);
    expect(a.body).not.toContain(NONCE_PLACEHOLDER);
    expect(b.body).toContain('app');
    expect(/'nonce-([^']+)'/.exec(String(b.headers['content-security-policy']))?.[1]).not.toBe(nonce);
    expect((await rawRequest(`${server.origin}/..%2f..%2fetc/passwd`, { headers: { cookie } })).status).toBe(404);
    expect((await rawRequest(`${server.origin}/missing.js`, { headers: { cookie } })).status).toBe(404);
  });

  it('refuses any Host but its own loopback address (DNS rebinding)', async () => {
    const { server } = await start();
    const cookie = await signIn(server.url);
    const allowed = new Set([`127.0.0.1:${server.port}`, `localhost:${server.port}`]);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.domain(), fc.string(), fc.constantFrom(`evil.com:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `0.0.0.0:${server.port}`)), async (host) => {
        fc.pre(!allowed.has(host) && /^[\x21-\x7e]+$/.test(host));
        const res = await rawRequest(`${server.origin}/`, { headers: { host, cookie } });
        return res.status === 403;
      }),
      { numRuns: 300 },
    );
    expect((await rawRequest(`${server.origin}/`, { headers: { host: `localhost:${server.port}`, cookie } })).status).toBe(200);
  });

  it('requires a matching Origin on API calls and refuses cross-site requests', async () => {
    const { server } = await start();
    const cookie = await signIn(server.url);
    const call = (headers: Record<string, string>) =>
      rawRequest(`${server.origin}/api/app.info`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(403);
    expect((await call({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await call({ origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await call({ origin: server.origin, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const ok = await call({ origin: server.origin, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, data: { version: '0.1.0' } });
    expect((await rawRequest(`${server.origin}/api/app.info`, { headers: { cookie, origin: server.origin } })).status).toBe(405);
    const events = await rawRequest(`${server.origin}/api/events`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(events.status).toBe(403);
  });

  it('sends no CORS headers, ever', async () => {
    const { server } = await start();
    const cookie = await signIn(server.url);
    const responses = await Promise.all([
      rawRequest(`${server.origin}/`, { headers: { cookie, origin: 'http://evil.example' } }),
      rawRequest(`${server.origin}/api/app.info`, { method: 'OPTIONS', headers: { cookie, origin: 'http://evil.example' } }),
      rawRequest(`${server.origin}/api/app.info`, {
        method: 'POST',
        headers: { cookie, origin: server.origin, 'content-type': 'application/json' },
        body: '{}',
      }),
    ]);
    for (const r of responses) expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('answers unknown methods and bad arguments with typed errors', async () => {
    const { server } = await start();
    const cookie = await signIn(server.url);
    expect((await httpCall(server.origin, cookie, 'constructor')).result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect((await httpCall(server.origin, cookie, '__proto__')).result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect((await httpCall(server.origin, cookie, 'findings.get', { key: "'; DROP TABLE findings;--" })).result).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });
});
