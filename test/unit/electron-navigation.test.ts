import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../src-main/hosts/electron/app-protocol';
import { EXTERNAL_LINK_HOSTS, allowedExternalUrl, guardNavigation } from '../../src-main/hosts/electron/navigation';
import { FakeContents } from '../helpers/electron-fakes';

const ALLOWED = ['ok.example.com'];

function guarded(): { contents: FakeContents; opened: string[] } {
  const contents = new FakeContents();
  const opened: string[] = [];
  guardNavigation(contents, (url) => opened.push(url), ALLOWED);
  return { contents, opened };
}

const foreignUrls = [
  'app://evil/',
  'app://evil/index.html',
  'app://driftline.evil/',
  'app://driftlinex/',
  'app://driftline:8080/',
  'app://user@driftline/',
  'app://user:pw@driftline/',
  'https://driftline/',
  'https://example.com/',
  'http://127.0.0.1:5173/',
  'file:///etc/passwd',
  'file://driftline/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://driftline/0b7c',
  'about:blank',
  'devtools://devtools/bundled/inspector.html',
  'chrome://gpu',
  '',
  'not a url',
  '//driftline/',
];

describe('navigation guard', () => {
  it('lets the window navigate inside app://driftline', () => {
    const { contents } = guarded();
    for (const url of ['app://driftline/', 'app://driftline/index.html', 'app://driftline/findings?app=CRM#F-1', 'APP://driftline/x']) {
      expect(contents.emit('will-navigate', url), url).toBe(false);
      expect(contents.emit('will-redirect', url), url).toBe(false);
    }
  });

  it('prevents navigations and redirects to any other origin or scheme', () => {
    const { contents } = guarded();
    for (const url of foreignUrls) {
      expect(contents.emit('will-navigate', url), url).toBe(true);
      expect(contents.emit('will-redirect', url), url).toBe(true);
    }
  });

  it('prevents every web URL and every arbitrary string that is not the app origin', () => {
    const { contents } = guarded();
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(contents.emit('will-navigate', url)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (url) => {
        expect(contents.emit('will-navigate', url)).toBe(!isAppUrl(url));
      }),
    );
  });

  it('refuses <webview> attachment', () => {
    expect(guarded().contents.emit('will-attach-webview', 'app://driftline/')).toBe(true);
  });

  it('denies every window.open, and hands only allowlisted https links to the system browser', () => {
    const { contents, opened } = guarded();
    const open = contents.openHandler;
    if (!open) throw new Error('no window-open handler installed');
    for (const url of [...foreignUrls, 'app://driftline/', 'https://ok.example.com/docs']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://ok.example.com/docs']);
    open({ url: 'https://OK.example.com:443/a/../guide' });
    expect(opened.at(-1)).toBe('https://ok.example.com/guide');
  });
});

const externalUrlAllowed = (raw: string, hosts: readonly string[]): boolean => allowedExternalUrl(raw, hosts) !== null;

describe('openExternal allowlist', () => {
  const evilHost = fc.domain().filter((d) => !ALLOWED.includes(d));
  const path = fc.webPath();

  it('accepts https URLs on an allowlisted host, whatever the path, query and fragment', () => {
    fc.assert(
      fc.property(path, fc.webQueryParameters(), fc.webFragments(), (p, q, f) => {
        expect(externalUrlAllowed(`https://ok.example.com${p}?${q}#${f}`, ALLOWED)).toBe(true);
      }),
    );
    expect(externalUrlAllowed('HTTPS://OK.EXAMPLE.COM/', ALLOWED)).toBe(true);
  });

  it('refuses other schemes, even for the allowlisted host', () => {
    const schemes = fc.constantFrom('http:', 'javascript:', 'file:', 'data:', 'vbscript:', 'ftp:', 'ws:', 'wss:', 'app:', 'blob:', 'about:');
    fc.assert(
      fc.property(schemes, fc.constantFrom('//', ''), path, (scheme, slashes, p) => {
        expect(externalUrlAllowed(`${scheme}${slashes}ok.example.com${p}`, ALLOWED)).toBe(false);
      }),
    );
    expect(externalUrlAllowed('javascript:alert(document.domain)//https://ok.example.com', ALLOWED)).toBe(false);
    expect(externalUrlAllowed('file:///C:/Windows/System32/calc.exe', ALLOWED)).toBe(false);
  });

  it('refuses look-alike hosts: suffixes, prefixes, subdomains and lookalike labels', () => {
    fc.assert(
      fc.property(evilHost, path, (evil, p) => {
        for (const url of [
          `https://${evil}${p}`,
          `https://ok.example.com.${evil}${p}`,
          `https://${evil}.ok.example.com${p}`,
          `https://x${'ok.example.com'}${p}`,
          `https://ok.example.com-${evil}${p}`,
          `https://${evil}/ok.example.com${p}`,
          `https://${evil}?ok.example.com`,
          `https://${evil}#ok.example.com`,
        ]) {
          expect(externalUrlAllowed(url, ALLOWED), url).toBe(false);
        }
      }),
    );
  });

  it('refuses userinfo tricks in either direction, backslash tricks and explicit ports', () => {
    fc.assert(
      fc.property(evilHost, fc.stringMatching(/^[a-z0-9]{1,12}$/), (evil, user) => {
        for (const url of [
          `https://ok.example.com@${evil}/`,
          `https://ok.example.com:443@${evil}/`,
          `https://${user}@ok.example.com/`,
          `https://${evil}@ok.example.com/`,
          `https://:pw@ok.example.com/`,
          `https://${evil}\\@ok.example.com/`,
          `https://${evil}\\ok.example.com/`,
          `https://ok.example.com:8443/`,
        ]) {
          expect(externalUrlAllowed(url, ALLOWED), url).toBe(false);
        }
      }),
    );
  });

  it('returns the normalized URL it checked, and only ever one on the allowlisted host', () => {
    expect(allowedExternalUrl('https://:@OK.example.com/a/../b', ALLOWED)).toBe('https://ok.example.com/b');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })), (raw) => {
        const checked = allowedExternalUrl(raw, ALLOWED);
        if (checked === null) return;
        const url = new URL(checked);
        expect([url.protocol, url.hostname, url.port, url.username, url.password]).toEqual(['https:', 'ok.example.com', '', '', '']);
      }),
    );
    expect(externalUrlAllowed('', ALLOWED)).toBe(false);
    expect(externalUrlAllowed('ok.example.com', ALLOWED)).toBe(false);
    expect(externalUrlAllowed('//ok.example.com/', ALLOWED)).toBe(false);
  });

  it('ships an allowlist of bare https host names', () => {
    for (const host of EXTERNAL_LINK_HOSTS) expect(externalUrlAllowed(`https://${host}/`, EXTERNAL_LINK_HOSTS)).toBe(true);
  });
});
