import type { CustomScheme } from 'electron';
import { loadAsset, resolveAsset } from '../shared/renderer-assets';

// The UI is served only from the package, through `app://driftline/…`: no file:// (which would
// expose the whole disk to a compromised page) and no remote content. One origin, checked by the
// navigation guard and by every IPC handler.

export const APP_SCHEME = 'app';
export const APP_HOST = 'driftline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `standard` gives the scheme real origins and relative URL resolution (module scripts, chunks);
 * `secure` makes it a secure context. Nothing else: no CSP bypass, no service workers, no fetch
 * from the page (the UI talks to the core over IPC only).
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true },
};

/**
 * Whether `raw` is a URL of the app's own origin. For a non-special scheme the WHATWG `origin`
 * is the string "null", so scheme, host, port and userinfo are compared one by one.
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/** Answers `app://` requests from the built renderer folder, with the CSP as a header. */
export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed.', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    if (!isAppUrl(request.url)) return new Response('Not found.', { status: 404 });
    const file = await resolveAsset(rendererDir, new URL(request.url).pathname);
    if (file === null) return new Response('Not found.', { status: 404 });
    const asset = await loadAsset(file);
    return new Response(request.method === 'HEAD' ? null : asset.body, {
      status: 200,
      headers: { 'content-type': asset.contentType, ...asset.headers },
    });
  };
}
