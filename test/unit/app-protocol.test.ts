import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppRequestHandler } from '../../src-main/hosts/electron/app-protocol';
import { NONCE_PLACEHOLDER, resolveAsset } from '../../src-main/hosts/shared/renderer-assets';
import { useTempDir } from '../helpers/temp-dir';

const SECRET = 'TOP SECRET, outside the bundle';
const tempDir = useTempDir();

interface Bundle {
  root: string;
  rootReal: string;
  outside: string;
}

/** A built-renderer folder, a secret next to it, and symlinks from inside pointing out. */
function makeBundle(): Bundle {
  const base = tempDir();
  const root = join(base, 'renderer');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(
    join(root, 'index.html'),
    `<!doctype html><html><head><meta property="csp-nonce" nonce="${NONCE_PLACEHOLDER}"><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(outside, join(root, 'linked'));
  return { root, rootReal: realpathSync(root), outside };
}

function inside(b: Bundle, file: string): boolean {
  return file.startsWith(b.rootReal + sep);
}

const dotDot = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E.', '.%2E');
const separator = fc.constantFrom('/', '%2f', '%2F', '//');
const segment = fc.oneof(fc.webSegment(), fc.constantFrom('assets', 'index.html', 'outside', 'etc', 'passwd', 'secret.txt'));

describe('renderer asset resolver (app:// and browser mode)', () => {
  it('serves the bundle’s own files, and the app shell for client-side routes', async () => {
    const { root, rootReal } = makeBundle();
    expect(await resolveAsset(root, '/')).toBe(join(rootReal, 'index.html'));
    expect(await resolveAsset(root, '/index.html')).toBe(join(rootReal, 'index.html'));
    expect(await resolveAsset(root, '/assets/app.js')).toBe(join(rootReal, 'assets', 'app.js'));
    expect(await resolveAsset(root, '/assets/app.js?v=3')).toBe(join(rootReal, 'assets', 'app.js'));
    expect(await resolveAsset(root, '/findings/F-0123456789abcdef')).toBe(join(rootReal, 'index.html'));
    expect(await resolveAsset(root, '/assets/missing.js')).toBeNull();
  });

  it('refuses any path with a parent segment, however it is encoded or separated', async () => {
    const b = makeBundle();
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 4 }), dotDot, fc.array(fc.oneof(segment, dotDot), { maxLength: 4 }), separator, async (before, up, after, sepr) => {
        const path = `/${[...before, up, ...after].join(sepr)}`;
        expect(await resolveAsset(b.root, path)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses NUL bytes and backslashes anywhere in the path, raw or encoded', async () => {
    const b = makeBundle();
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.nat(), fc.constantFrom('%00', '\0', '\\', '%5c', '%5C'), async (path, at, bad) => {
        const i = at % (path.length + 1);
        expect(await resolveAsset(b.root, `/${path.slice(0, i)}${bad}${path.slice(i)}`)).toBeNull();
      }),
      { numRuns: 300 },
    );
    expect(await resolveAsset(b.root, '/index.html%00.js')).toBeNull();
  });

  it('never reaches a file outside the bundle by absolute path', async () => {
    const b = makeBundle();
    const secret = join(b.outside, 'secret.txt');
    for (const path of [secret, `/${secret}`, `//${secret}`, encodeURIComponent(secret), `/${encodeURIComponent(secret)}`, '/C:/Windows/win.ini', 'C:\\Windows\\win.ini']) {
      expect(await resolveAsset(b.root, path), path).toBeNull();
    }
  });

  it('refuses symlinks that lead out of the bundle, to a file or through a folder', async () => {
    const b = makeBundle();
    expect(await resolveAsset(b.root, '/leak.txt')).toBeNull();
    expect(await resolveAsset(b.root, '/linked/secret.txt')).toBeNull();
    expect(await resolveAsset(b.root, '/linked%2fsecret.txt')).toBeNull();
  });

  it('only ever answers with null or a real file inside the bundle, for any string at all', async () => {
    const b = makeBundle();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.webPath(), fc.string({ unit: 'binary' })), async (path) => {
        const file = await resolveAsset(b.root, path);
        if (file !== null) expect(inside(b, file), file).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('app:// protocol handler', () => {
  const get = (handler: (r: Request) => Promise<Response>, url: string, method = 'GET'): Promise<Response> => handler(new Request(url, { method }));

  it('registers app as a standard, secure scheme and nothing more', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true } });
  });

  it('serves index.html with the CSP header, its nonce substituted into the page, fresh per response', async () => {
    const handler = createAppRequestHandler(makeBundle().root);
    const nonces: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await get(handler, 'app://driftline/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      if (!nonce) throw new Error(`no nonce in CSP: ${csp}`);
      const body = await res.text();
      expect(body).toContain(`nonce="${nonce}"`);
      expect(body).not.toContain(NONCE_PLACEHOLDER);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('sends a strict policy: nothing by default, scripts only from the app, no plugins, framing, forms or base changes', async () => {
    const res = await get(createAppRequestHandler(makeBundle().root), 'app://driftline/index.html');
    const directives = new Map(
      (res.headers.get('content-security-policy') ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves scripts and styles with their types and the CSP header', async () => {
    const handler = createAppRequestHandler(makeBundle().root);
    const js = await get(handler, 'app://driftline/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await js.text()).toBe('console.log("app")');
    expect((await get(handler, 'app://driftline/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await get(handler, 'app://driftline/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('never serves a file from outside the bundle', async () => {
    const b = makeBundle();
    const handler = createAppRequestHandler(b.root);
    for (const url of [
      'app://driftline/../../outside/secret.txt',
      'app://driftline/%2e%2e/%2e%2e/outside/secret.txt',
      'app://driftline/..%2f..%2foutside%2fsecret.txt',
      'app://driftline/..%252f..%252foutside%252fsecret.txt',
      `app://driftline/${encodeURIComponent(join(b.outside, 'secret.txt'))}`,
      'app://driftline/leak.txt',
      'app://driftline/linked/secret.txt',
      'app://driftline/../../etc/passwd',
    ]) {
      const res = await get(handler, url);
      const body = await res.text();
      expect(body, url).not.toContain(SECRET);
      expect(body, url).not.toMatch(/^root:/m);
      // Either refused, or normalized by the URL parser into a client-side route (the app shell).
      if (res.status === 200) expect(body, url).toContain('<div id="root">');
      else expect(res.status, url).toBe(404);
    }
  });

  it('answers only its own host, and only reads', async () => {
    const handler = createAppRequestHandler(makeBundle().root);
    for (const url of ['app://evil/index.html', 'app://driftline.evil/index.html', 'app://driftline:8080/index.html']) {
      expect((await get(handler, url)).status, url).toBe(404);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await get(handler, 'app://driftline/index.html', method)).status).toBe(405);
  });
});
