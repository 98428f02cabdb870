import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startHttpServer, type TestServer } from './http-server';

// A deliberately misbehaving SCIM service provider, one switch per behaviour from
// protocols.md §6. Data is a fixed list of users and groups; every page is computed from the
// request like a real server would, then bent by the behaviours switched on.

export interface NastyBehaviours {
  /** Every list request returns the first page (better-auth, WSO2 filters). */
  ignoreStartIndex?: boolean;
  /** Silently serve at most this many items per page, whatever `count` says (Slack, AWS). */
  capCount?: number;
  /** How totalResults lies. */
  totalResults?: 'string' | 'clampedToCount' | 'missing' | 'inflated';
  /** Send `active` as "True"/"False" strings and keys in odd case (`UserName`, lowercase `resources`). */
  oddTyping?: boolean;
  /** Answer /Users with an HTML login page and status 200. */
  htmlLoginPage?: boolean;
  /** The first N requests to /Users get a plain-text 429. */
  plainText429?: number;
  /** Pages starting past this index fail with 500. */
  error500From?: number;
  /** Groups never show members, listed or read by id (users still list their groups). */
  omitMembers?: boolean;
  /** Users carry no `groups` attribute (with omitMembers: the AWS IAM Identity Center black hole). */
  hideUserGroups?: boolean;
  /** The body of the second Users page trickles for this long. */
  slowBodyMs?: number;
  /** Pad each Users page to at least this many bytes. */
  padBytes?: number;
  /** Serve RFC 9865 cursor pagination (and advertise it). */
  cursor?: boolean;
}

export interface NastyServer extends TestServer {
  base: string;
  hits: { method: string; path: string }[];
}

export interface NastyData {
  users: { id: string; userName: string; active: boolean; groups?: string[] }[];
  groups: { id: string; displayName: string; members: string[] }[];
}

export function nastyData(userCount: number, groupCount = 2): NastyData {
  const users = Array.from({ length: userCount }, (_, i) => ({ id: `u${String(i).padStart(5, '0')}`, userName: `user${i}@example.com`, active: i % 10 !== 3 }));
  const groups = Array.from({ length: groupCount }, (_, g) => ({
    id: `g${g}`,
    displayName: `Group ${g}`,
    members: users.filter((_, i) => i % groupCount === g).map((u) => u.id),
  }));
  return { users, groups };
}

export const NASTY_TOKEN = 'nasty-canary-token-7f3a';

export async function startNastyScim(data: NastyData, b: NastyBehaviours = {}): Promise<NastyServer> {
  const hits: { method: string; path: string }[] = [];
  let usersRequests = 0;
  const groupsOf = (uid: string): string[] => data.groups.filter((g) => g.members.includes(uid)).map((g) => g.id);

  const userJson = (u: NastyData['users'][number]): Record<string, unknown> =>
    b.oddTyping
      ? { id: u.id, UserName: u.userName, Active: u.active ? 'True' : 'False', groups: groupsOf(u.id).map((value) => ({ value })) }
      : {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          id: u.id,
          userName: u.userName,
          active: u.active,
          emails: [{ value: u.userName, type: 'work', primary: true }],
          ...(b.hideUserGroups ? {} : { groups: groupsOf(u.id).map((value) => ({ value })) }),
        };

  const listPage = (res: ServerResponse, url: URL, items: Record<string, unknown>[], kind: 'Users' | 'Groups'): void => {
    const count = Number(url.searchParams.get('count') ?? '100');
    const limit = Math.min(count, b.capCount ?? Infinity);
    let start = b.ignoreStartIndex ? 1 : Math.max(1, Number(url.searchParams.get('startIndex') ?? '1'));
    const cursorParam = url.searchParams.get('cursor');
    if (b.cursor && cursorParam !== null) start = cursorParam === '' ? 1 : Number(Buffer.from(cursorParam, 'base64').toString());
    if (b.error500From !== undefined && kind === 'Users' && start > b.error500From) {
      sendJson(res, 500, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'database timeout' });
      return;
    }
    const page = items.slice(start - 1, start - 1 + limit);
    let total: unknown = items.length;
    if (b.totalResults === 'string') total = String(items.length);
    if (b.totalResults === 'clampedToCount') total = Math.min(items.length, count);
    if (b.totalResults === 'inflated') total = items.length * 10;
    const body: Record<string, unknown> = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      ...(b.totalResults === 'missing' ? {} : { totalResults: total }),
      startIndex: start,
      itemsPerPage: page.length,
      [b.oddTyping ? 'resources' : 'Resources']: page,
    };
    if (b.cursor && start - 1 + page.length < items.length) body.nextCursor = Buffer.from(String(start + page.length)).toString('base64');
    let text = JSON.stringify(body);
    if (b.padBytes && kind === 'Users') text = JSON.stringify({ ...body, padding: 'x'.repeat(b.padBytes) });
    if (b.slowBodyMs && kind === 'Users' && start > 1) {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.write(text.slice(0, 10));
      setTimeout(() => res.end(text.slice(10)), b.slowBodyMs).unref();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/scim\/v2/, '');
    hits.push({ method: req.method ?? 'GET', path: `${path}${url.search}` });
    if (req.headers.authorization !== `Bearer ${NASTY_TOKEN}`) {
      sendJson(res, 401, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'invalid token' });
      return;
    }
    if (path === '/ServiceProviderConfig') {
      sendJson(res, 200, {
        patch: { supported: true },
        filter: { supported: true, maxResults: 1000 },
        etag: { supported: false },
        ...(b.cursor ? { pagination: { cursor: true, index: false, defaultPaginationMethod: 'cursor' } } : {}),
      });
      return;
    }
    if (path === '/ResourceTypes' || path === '/Schemas') {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
      return;
    }
    if (path === '/Users') {
      usersRequests++;
      if (b.htmlLoginPage) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><head><title>Sign in</title></head><body><form>Password</form></body></html>');
        return;
      }
      if (b.plainText429 !== undefined && usersRequests <= b.plainText429) {
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '0' });
        res.end('Too Many Requests! Wait for 0s');
        return;
      }
      listPage(res, url, data.users.map(userJson), 'Users');
      return;
    }
    if (path === '/Groups') {
      const exclude = url.searchParams.get('excludedAttributes') === 'members' || b.omitMembers === true;
      listPage(
        res,
        url,
        data.groups.map((g) => ({ id: g.id, displayName: g.displayName, ...(exclude ? {} : { members: g.members.map((value) => ({ value })) }) })),
        'Groups',
      );
      return;
    }
    const m = /^\/Groups\/(.+)$/.exec(path);
    const g = m ? data.groups.find((x) => x.id === decodeURIComponent(m[1] ?? '')) : undefined;
    if (g) {
      sendJson(res, 200, {
        id: g.id,
        displayName: g.displayName,
        ...(b.omitMembers ? {} : { members: g.members.map((value) => ({ value, type: 'User' })) }),
      });
      return;
    }
    sendJson(res, 404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'not found' });
  });
  return { ...server, base: `${server.url}/scim/v2`, hits };
}
