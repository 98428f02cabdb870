import { randomBytes } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

// Serving the built renderer, shared by the Electron `app://` protocol and the browser-mode server:
// paths confined to the bundle, and a strict Content-Security-Policy with a per-response nonce for
// the component library's <style> elements.

/** The placeholder in index.html that receives each response's nonce. */
export const NONCE_PLACEHOLDER = '__DRIFTLINE_CSP_NONCE__';

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // Style attributes carry the component library's CSS variables; they cannot run code.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/**
 * Resolves a URL path to a file inside `root`, or null: no `..`, no encoded traversal, no NUL,
 * no absolute paths, no symlinks leading out. Unknown paths fall back to index.html (SPA routes).
 */
export async function resolveAsset(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded.replace(/^\/+/, '') || 'index.html';
  if (isAbsolute(rel) || rel.split('/').some((seg) => seg === '..')) return null;
  const rootReal = await realpath(root);
  const candidate = resolve(rootReal, rel);
  const inside = (p: string): boolean => p === rootReal || p.startsWith(rootReal + sep);
  if (!inside(candidate)) return null;
  try {
    const real = await realpath(candidate);
    return inside(real) && relative(rootReal, real) !== '' ? real : null;
  } catch {
    // Client-side routes have no file: serve the app shell, but never for things that look like files.
    return extname(rel) === '' ? resolve(rootReal, 'index.html') : null;
  }
}

export interface Asset {
  body: Buffer;
  contentType: string;
  headers: Record<string, string>;
}

/** Reads an asset; index.html gets a fresh nonce and the CSP that names it. */
export async function loadAsset(file: string): Promise<Asset> {
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  let body = await readFile(file);
  const nonce = randomBytes(16).toString('base64');
  if (extname(file) === '.html') body = Buffer.from(body.toString('utf8').replaceAll(NONCE_PLACEHOLDER, nonce));
  return {
    body,
    contentType: type,
    headers: {
      'content-security-policy': contentSecurityPolicy(nonce),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  };
}
