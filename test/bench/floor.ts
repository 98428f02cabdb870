// The floor: what downloading and parsing the app's data costs with nothing else done to it. It asks
// for exactly the pages the SCIM connector asks for, in the same order and with the same concurrency
// (mirroring scim-connector.ts, scim-pager.ts and scim-members.ts), so "sync ÷ floor" is the price of
// everything Driftline adds: normalization, hashing, the store, bookkeeping.
import { GROUP_PAGE_WITH_MEMBERS } from '../../src-main/core/connectors/scim/scim-connector';
import { looksTruncated } from '../../src-main/core/connectors/scim/scim-members';

export interface FloorOptions {
  baseUrl: string;
  token: string;
  pageSize: number;
  /** In-flight GETs for the groups read by id, as limits.concurrency. */
  concurrency: number;
  /** Stop each listing after this many pages (a warm-up pass). */
  maxPages?: number;
}

export interface FloorResult {
  ms: number;
  /** CPU time (user + system) of this process over the floor. */
  cpuMs: number;
  bytes: number;
  /** `GET /path?query` per request, in the order sent. */
  requests: string[];
  pages: { discovery: number; users: number; groups: number; groupsById: number };
  /** Largest single JSON.parse, to compare with the sync's longest event-loop stall. */
  maxParseMs: number;
}

export async function measureFloor(options: FloorOptions): Promise<FloorResult> {
  const result: FloorResult = { ms: 0, cpuMs: 0, bytes: 0, requests: [], pages: { discovery: 0, users: 0, groups: 0, groupsById: 0 }, maxParseMs: 0 };
  const headers = { authorization: `Bearer ${options.token}`, accept: 'application/scim+json, application/json' };
  const basePath = new URL(options.baseUrl).pathname;

  const get = async (relative: string): Promise<unknown> => {
    const url = `${options.baseUrl}/${relative}`;
    const res = await fetch(url, { headers });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`floor: GET ${url} → ${res.status}`);
    const parseStart = performance.now();
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    result.maxParseMs = Math.max(result.maxParseMs, performance.now() - parseStart);
    result.bytes += body.length;
    const u = new URL(url);
    result.requests.push(`GET ${u.pathname.slice(basePath.length)}${u.search}`);
    return parsed;
  };

  /** Index paging as the pager does it: until a page comes back empty, one page at a time. */
  const list = async (endpoint: string, pageSize: number, onResource: (r: Record<string, unknown>) => void): Promise<number> => {
    let pages = 0;
    for (let startIndex = 1; options.maxPages === undefined || pages < options.maxPages; ) {
      const params = new URLSearchParams({ startIndex: String(startIndex), count: String(pageSize) });
      const page = await get(`${endpoint}?${params.toString()}`);
      pages++;
      const resources = resourcesOf(page);
      if (resources.length === 0) break;
      for (const r of resources) onResource(r);
      startIndex += resources.length;
    }
    return pages;
  };

  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const doc of ['ServiceProviderConfig', 'ResourceTypes', 'Schemas']) {
    await get(doc);
    result.pages.discovery++;
  }
  result.pages.users = await list('Users', options.pageSize, () => undefined);
  const byId: string[] = [];
  // Exactly the connector's group pages and its re-reads by id, so floor and sync request the same.
  result.pages.groups = await list('Groups', Math.min(options.pageSize, GROUP_PAGE_WITH_MEMBERS), (g) => {
    const members = g.members;
    if (!Array.isArray(members) || looksTruncated(members.length)) byId.push(String(g.id));
  });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < byId.length) {
      const id = byId[next++];
      if (id === undefined) continue;
      await get(`Groups/${encodeURIComponent(id)}`);
      result.pages.groupsById++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, byId.length)) }, worker));
  result.ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  result.cpuMs = (used.user + used.system) / 1000;
  return result;
}

function resourcesOf(page: unknown): Record<string, unknown>[] {
  if (typeof page !== 'object' || page === null || !('Resources' in page) || !Array.isArray(page.Resources)) return [];
  return page.Resources.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
}
