import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isApiEventName } from '../../contract/events';
import type { Core } from '../../core/core';
import type { Logger } from '../../core/ports';
import { dispatch } from '../../transport/dispatch';
import { loadAsset, resolveAsset } from '../shared/renderer-assets';
import { cookieValue, hostAllowed, requestFromOwnPage, safeEqual, SESSION_COOKIE } from './request-guard';

export interface BrowserServer {
  /** The one URL to open: carries the per-launch token, valid for one exchange. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * Browser mode: the core's API over loopback HTTP. Bound to 127.0.0.1 only; a random per-launch
 * token is exchanged once for an HttpOnly SameSite=Strict session cookie; Host and Origin are
 * checked on every request; no CORS headers are ever sent.
 */
export async function startBrowserServer(options: { core: Core; rendererDir: string; port?: number; logger: Logger }): Promise<BrowserServer> {
  const { core, rendererDir, logger } = options;
  const token = randomBytes(32).toString('base64url');
  const session = randomBytes(32).toString('base64url');
  let tokenUsed = false;
  let port = 0;
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();

  const hasSession = (req: IncomingMessage): boolean => {
    const value = cookieValue(req.headers.cookie, SESSION_COOKIE);
    return value !== undefined && safeEqual(value, session);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, port)) {
      send(res, 403, 'Driftline only answers on its loopback address.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const offered = url.searchParams.get('token');
    if (req.method === 'GET' && offered !== null) {
      if (!tokenUsed && safeEqual(offered, token)) {
        tokenUsed = true;
        send(res, 303, '', 'text/plain', {
          location: '/',
          'set-cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        });
        return;
      }
      if (hasSession(req)) {
        send(res, 303, '', 'text/plain', { location: '/' });
        return;
      }
      send(res, 403, 'This Driftline link is not valid (each link works once). Restart `driftline serve` for a new one.');
      return;
    }
    if (!hasSession(req)) {
      send(res, 401, 'Open the link printed by `driftline serve` (or `npm start`) to use Driftline.');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') {
        if (!requestFromOwnPage(req, port, false)) {
          send(res, 403, 'Cross-site request refused.');
          return;
        }
        openEventStream(res);
        return;
      }
      if (req.method !== 'POST') {
        send(res, 405, 'Method not allowed.', 'text/plain', { allow: 'POST' });
        return;
      }
      if (!requestFromOwnPage(req, port, true)) {
        send(res, 403, 'Cross-site request refused.');
        return;
      }
      if (!/^application\/json(;|$)/.test(req.headers['content-type'] ?? '')) {
        send(res, 415, 'Expected application/json.');
        return;
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid_argument', message: 'The request body is not valid JSON.' } }), 'application/json');
        return;
      }
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      const args = body !== null && typeof body === 'object' && 'args' in body ? (body as { args: unknown }).args : undefined;
      const result = await dispatch(core.handlers, method, args, logger);
      send(res, 200, JSON.stringify(result), 'application/json');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed.', 'text/plain', { allow: 'GET' });
      return;
    }
    const file = await resolveAsset(rendererDir, url.pathname);
    if (!file) {
      send(res, 404, 'Not found.');
      return;
    }
    const asset = await loadAsset(file);
    res.writeHead(200, { 'content-type': asset.contentType, ...asset.headers });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };

  const openEventStream = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = core.events.subscribe((name, payload) => {
      if (isApiEventName(name)) res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error('browser server request failed', { message: (err as Error).message });
      if (!res.headersSent) send(res, 500, 'Internal error.');
      else res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
