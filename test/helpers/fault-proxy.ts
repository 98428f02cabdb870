import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, sendJson, startHttpServer, type TestServer } from './http-server';

// A reverse proxy in front of a real SCIM server that can bend individual responses: the
// misbehaving-server cases of the remediation tests (412, 2xx without applying, a response that
// never comes after the write was applied, PATCH rejected, noTarget).

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type FaultRule =
  | { kind: 'respond'; status: number; body?: unknown }
  | { kind: 'forwardThenHang' }
  | { kind: 'hang' }
  | { kind: 'forwardThenRespond'; status: number; body?: unknown };

export interface FaultProxy extends TestServer {
  base: string;
  seen: ProxiedRequest[];
  /** Decides per request; return undefined to forward untouched. */
  rule: ((r: ProxiedRequest) => FaultRule | undefined) | null;
}

function forward(target: URL, r: ProxiedRequest): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers, host: target.host };
    const req = request(new URL(r.path, target.origin), { method: r.method, headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && k !== 'content-length' && k !== 'transfer-encoding') out[k] = v;
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end(r.body || undefined);
  });
}

export async function startFaultProxy(targetBase: string): Promise<FaultProxy> {
  const target = new URL(targetBase);
  const proxy: Partial<FaultProxy> & { seen: ProxiedRequest[]; rule: FaultProxy['rule'] } = { seen: [], rule: null };
  const server = await startHttpServer(async (req: IncomingMessage, res: ServerResponse) => {
    const r: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: await readBody(req) };
    proxy.seen.push(r);
    const fault = proxy.rule?.(r);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'respond') {
      sendJson(res, fault.status, fault.body ?? {});
      return;
    }
    const upstream = await forward(target, r);
    if (fault?.kind === 'forwardThenHang') return;
    if (fault?.kind === 'forwardThenRespond') {
      sendJson(res, fault.status, fault.body ?? {});
      return;
    }
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  });
  const base = `${server.url}${target.pathname}`;
  return Object.assign(proxy, server, { base }) as FaultProxy;
}
