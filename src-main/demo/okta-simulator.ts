import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// An Okta Management API look-alike for the demo tenant and the integration tests. It follows
// Okta's documented wire format: SSWS auth, JSON arrays with cursor paging through `Link` headers
// (one header per relation), X-Rate-Limit-* headers on every response, Okta error objects, and
// a list-all users call that hides DEPROVISIONED users while `search` finds them.

/** One seeded user. Missing ids and dates are generated deterministically. */
export interface OktaUserSeed {
  id?: string;
  /**
   * STAGED, PROVISIONED, ACTIVE (the default), RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED or
   * DEPROVISIONED; any other word is served as is, to mimic a status added by a later Okta release.
   */
  status?: string;
  login: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  title?: string;
  department?: string;
  employeeNumber?: string;
  manager?: string;
  /** Further (custom) profile properties. */
  profile?: Record<string, unknown>;
  created?: string;
  lastLogin?: string | null;
  lastUpdated?: string;
}

/** One seeded group; `members` holds user ids (or logins, resolved to ids). */
export interface OktaGroupSeed {
  id?: string;
  name: string;
  description?: string;
  type?: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
  members: readonly string[];
}

export interface OktaSimulatorFaults {
  /** Member listings of these group ids answer 403 E0000006. */
  failGroupMembers?: ReadonlySet<string>;
  /** From the second page of GET /users on, the `next` link points back to the first page. */
  loopNextLink?: boolean;
}

export interface OktaSimulatorOptions {
  /** The API token clients must send as `Authorization: SSWS <token>`. */
  token: string;
  users: readonly OktaUserSeed[];
  groups: readonly OktaGroupSeed[];
  /** Requests allowed per window before 429 E0000047; defaults to 1200 per 60 s. */
  rateLimit?: { limit: number; windowSeconds: number };
  /** Defaults to a free port. The simulator binds 127.0.0.1 only. */
  port?: number;
  /** Time source for rate-limit windows (tests share a fake clock with the HTTP client). */
  clock?: { now(): number };
  faults?: OktaSimulatorFaults;
}

/** One request the simulator answered, for assertions. The Authorization value is never kept. */
export interface OktaSimulatorRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  status: number;
  authorized: boolean;
}

export interface OktaSimulator {
  /** The org URL, e.g. http://127.0.0.1:41234 (the API lives under /api/v1). */
  url: string;
  requests: OktaSimulatorRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** Documented list limits: GET /users max 200 (the default); groups 200 for most orgs; members default 1000. */
const USERS_LIMIT = { default: 200, max: 200 };
const GROUPS_LIMIT = { default: 200, max: 200 };
const MEMBERS_LIMIT = { default: 1000, max: 1000 };

export async function startOktaSimulator(options: OktaSimulatorOptions): Promise<OktaSimulator> {
  const requests: OktaSimulatorRequest[] = [];
  const sockets = new Set<Socket>();
  let origin = '';
  const state = buildDirectory(options);
  const clock = options.clock ?? Date;
  const limiter = rateLimiter(options.rateLimit ?? { limit: 1200, windowSeconds: 60 }, clock);

  const server = createServer((req, res) => {
    const result = answer(req, origin, state, options);
    const quota = limiter();
    const [status, body, extraHeaders] = quota.exceeded
      ? [429, oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'), {}]
      : result;
    requests.push({ method: req.method ?? '', url: req.url ?? '', status, authorized: isAuthorized(req, options.token) });
    // Date comes from the same clock as the reset header, as a real server's would.
    send(res, status, body, { ...extraHeaders, ...quota.headers, date: new Date(clock.now()).toUTCString() });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Routing

type Answer = [status: number, body: unknown, headers: Record<string, string | string[]>];

interface Directory {
  users: Json[];
  usersById: Map<string, Json>;
  groups: Json[];
  membersByGroup: Map<string, Json[]>;
}

/** Never lets a malformed request (e.g. bad percent-encoding) take the demo process down. */
function answer(req: IncomingMessage, origin: string, dir: Directory, options: OktaSimulatorOptions): Answer {
  try {
    return handle(req, origin, dir, options);
  } catch {
    return [400, oktaError('E0000001', 'Api validation failed'), {}];
  }
}

function handle(req: IncomingMessage, origin: string, dir: Directory, options: OktaSimulatorOptions): Answer {
  if (!isAuthorized(req, options.token)) return [401, oktaError('E0000011', 'Invalid token provided'), {}];
  if (req.method !== 'GET') return [405, oktaError('E0000022', 'The endpoint does not support the provided HTTP method'), {}];
  const url = new URL(req.url ?? '/', origin);
  const path = url.pathname.replace(/\/+$/, '');
  const params = url.searchParams;
  const withLinks = (objects: Json[]): Json[] => objects.map((o) => withSelfLink(o, origin));

  if (path === '/api/v1/users') {
    const search = params.get('search');
    let candidates: Json[];
    if (search === null) {
      // Documented: listing all users returns every user that does not have a DEPROVISIONED status.
      candidates = dir.users.filter((u) => u['status'] !== 'DEPROVISIONED');
    } else {
      const predicate = parseSearch(search);
      if (predicate === null) return [400, oktaError('E0000031', 'Invalid search criteria.', ['Invalid search syntax.']), {}];
      candidates = dir.users.filter(predicate);
    }
    const loop = options.faults?.loopNextLink === true && search === null && params.has('after');
    return page(withLinks(candidates), url, origin, USERS_LIMIT, loop);
  }
  const userMatch = /^\/api\/v1\/users\/([^/]+)$/.exec(path);
  if (userMatch !== null) {
    const key = decodeURIComponent(userMatch[1] ?? '');
    const user = dir.usersById.get(key) ?? dir.users.find((u) => profileOf(u)['login'] === key);
    return user === undefined
      ? [404, oktaError('E0000007', `Not found: Resource not found: ${key} (User)`), {}]
      : [200, withSelfLink(user, origin), {}];
  }
  if (path === '/api/v1/groups') {
    return page(dir.groups.map((g) => withGroupLinks(g, origin)), url, origin, GROUPS_LIMIT, false);
  }
  const membersMatch = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(path);
  if (membersMatch !== null) {
    const groupId = decodeURIComponent(membersMatch[1] ?? '');
    const members = dir.membersByGroup.get(groupId);
    if (members === undefined) return [404, oktaError('E0000007', `Not found: Resource not found: ${groupId} (UserGroup)`), {}];
    if (options.faults?.failGroupMembers?.has(groupId) === true) {
      return [403, oktaError('E0000006', 'You do not have permission to perform the requested action'), {}];
    }
    return page(withLinks(members), url, origin, MEMBERS_LIMIT, false);
  }
  return [404, oktaError('E0000007', `Not found: Resource not found: ${path} (Path)`), {}];
}

function isAuthorized(req: IncomingMessage, token: string): boolean {
  const match = /^SSWS\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match !== null && match[1] === token;
}

/**
 * One page of a cursor listing. Objects are in id order and the `after` cursor is the last id
 * returned, so a deletion between pages never shifts the listing.
 */
function page(all: Json[], url: URL, origin: string, limits: { default: number; max: number }, loop: boolean): Answer {
  const requested = Number(url.searchParams.get('limit'));
  const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, limits.max) : limits.default;
  const after = url.searchParams.get('after');
  const rest = after === null ? all : all.filter((o) => String(o['id']) > after);
  const items = rest.slice(0, limit);
  const links = [`<${origin}${url.pathname}${url.search}>; rel="self"`];
  if (loop) {
    const firstPage = new URL(url.href);
    firstPage.searchParams.delete('after');
    links.push(`<${origin}${firstPage.pathname}${firstPage.search}>; rel="next"`);
  } else if (rest.length > limit) {
    const next = new URLSearchParams(url.searchParams);
    next.delete('after');
    next.delete('limit');
    next.set('after', String(items[items.length - 1]?.['id']));
    next.set('limit', String(limit));
    links.push(`<${origin}${url.pathname}?${next.toString().replace(/\+/g, '%20')}>; rel="next"`);
  }
  return [200, items, { link: links }];
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-okta-request-id': randomId('X'),
    ...headers,
  });
  res.end(text);
}

function oktaError(code: string, summary: string, causes: string[] = []): Json {
  return {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: randomId('oae'),
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
}

function randomId(prefix: string): string {
  return prefix + randomBytes(16).toString('base64url').slice(0, 22);
}

// ---------------------------------------------------------------------------------------------
// Rate limiting: a fixed window per org, reported the way Okta does (reset in epoch seconds).

interface Quota {
  exceeded: boolean;
  headers: Record<string, string>;
}

function rateLimiter(budget: { limit: number; windowSeconds: number }, clock: { now(): number }): () => Quota {
  let windowEnd = 0;
  let used = 0;
  return () => {
    const now = clock.now();
    if (now >= windowEnd) {
      windowEnd = now + budget.windowSeconds * 1000;
      used = 0;
    }
    used++;
    const exceeded = used > budget.limit;
    return {
      exceeded,
      headers: {
        'x-rate-limit-limit': String(budget.limit),
        'x-rate-limit-remaining': String(Math.max(0, budget.limit - used)),
        'x-rate-limit-reset': String(Math.ceil(windowEnd / 1000)),
      },
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Seeds → Okta objects

const BASE_TIME = Date.UTC(2023, 0, 16, 9, 0, 0);
const DAY = 86_400_000;

function buildDirectory(options: OktaSimulatorOptions): Directory {
  const users = options.users.map((seed, i) => userObject(seed, i)).sort(byId);
  const usersById = new Map(users.map((u) => [String(u['id']), u]));
  const byLogin = new Map(users.map((u) => [String(profileOf(u)['login']), u]));
  const groups: Json[] = [];
  const membersByGroup = new Map<string, Json[]>();
  options.groups.forEach((seed, i) => {
    const group = groupObject(seed, i);
    const members = seed.members.map((ref) => {
      const user = usersById.get(ref) ?? byLogin.get(ref);
      if (user === undefined) throw new Error(`Okta simulator seed: group "${seed.name}" lists unknown member "${ref}".`);
      return user;
    });
    groups.push(group);
    membersByGroup.set(String(group['id']), [...new Set(members)].sort(byId));
  });
  groups.sort(byId);
  return { users, usersById, groups, membersByGroup };
}

function userObject(seed: OktaUserSeed, index: number): Json {
  const status = seed.status ?? 'ACTIVE';
  const created = seed.created ?? iso(BASE_TIME + index * 3_600_000);
  const neverActivated = status === 'STAGED';
  const neverSignedIn = status === 'STAGED' || status === 'PROVISIONED';
  const lastLogin = seed.lastLogin !== undefined ? seed.lastLogin : neverSignedIn ? null : iso(BASE_TIME + 400 * DAY + index * 60_000);
  const profile: Json = {
    firstName: seed.firstName ?? null,
    lastName: seed.lastName ?? null,
    mobilePhone: null,
    secondEmail: null,
    login: seed.login,
    email: seed.email ?? seed.login,
    ...(seed.displayName === undefined ? {} : { displayName: seed.displayName }),
    ...(seed.title === undefined ? {} : { title: seed.title }),
    ...(seed.department === undefined ? {} : { department: seed.department }),
    ...(seed.employeeNumber === undefined ? {} : { employeeNumber: seed.employeeNumber }),
    ...(seed.manager === undefined ? {} : { manager: seed.manager }),
    ...seed.profile,
  };
  return {
    id: seed.id ?? generatedId('00u', index),
    status,
    created,
    activated: neverActivated ? null : created,
    statusChanged: status === 'ACTIVE' ? created : iso(BASE_TIME + 300 * DAY + index * 60_000),
    lastLogin,
    lastUpdated: seed.lastUpdated ?? iso(BASE_TIME + 200 * DAY + index * 60_000),
    passwordChanged: neverActivated ? null : created,
    type: { id: 'oty1a2b3c4d5e6f7g8h9' },
    profile,
    credentials: {
      ...(neverActivated ? {} : { password: {} }),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
  };
}

function groupObject(seed: OktaGroupSeed, index: number): Json {
  const created = iso(BASE_TIME + index * DAY);
  return {
    id: seed.id ?? generatedId('00g', index),
    created,
    lastUpdated: created,
    lastMembershipUpdated: iso(BASE_TIME + 100 * DAY + index * DAY),
    objectClass: [seed.type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
    type: seed.type ?? 'OKTA_GROUP',
    profile: { name: seed.name, description: seed.description ?? null },
  };
}

/** A 20-character Okta-style id whose order follows the seed order (fixed-width base 36). */
function generatedId(prefix: string, index: number): string {
  return `${prefix}${index.toString(36).padStart(5, '0')}a1B2c3D4e5F6`;
}

function withSelfLink(user: Json, origin: string): Json {
  return { ...user, _links: { self: { href: `${origin}/api/v1/users/${String(user['id'])}` } } };
}

function withGroupLinks(group: Json, origin: string): Json {
  const id = String(group['id']);
  return {
    ...group,
    _links: {
      logo: [
        { name: 'medium', href: `${origin}/img/logos/groups/okta-medium.png`, type: 'image/png' },
        { name: 'large', href: `${origin}/img/logos/groups/okta-large.png`, type: 'image/png' },
      ],
      users: { href: `${origin}/api/v1/groups/${id}/users` },
      apps: { href: `${origin}/api/v1/groups/${id}/apps` },
    },
  };
}

function profileOf(user: Json): Json {
  return user['profile'] as Json;
}

function byId(a: Json, b: Json): number {
  const x = String(a['id']);
  const y = String(b['id']);
  return x < y ? -1 : x > y ? 1 : 0;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// The `search` expression language (the part of it the simulator needs): attribute paths such as
// `status` or `profile.login`, the operators eq, sw, gt, ge, lt, le, pr, `and` binding tighter
// than `or`, and parentheses. Operators and string values are case-insensitive, attribute names
// case-sensitive, as Okta documents for user search.

type Predicate = (user: Json) => boolean;
type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'paren'; text: '(' | ')' };

/** A predicate for a search expression, or null when the expression is not valid. */
function parseSearch(expression: string): Predicate | null {
  const tokens = tokenize(expression);
  if (tokens === null) return null;
  let pos = 0;
  const peekWord = (): string | undefined => {
    const token = tokens[pos];
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };
  const parseOr = (): Predicate | null => {
    const parts: Predicate[] = [];
    for (;;) {
      const part = parseAnd();
      if (part === null) return null;
      parts.push(part);
      if (peekWord() !== 'or') return (user) => parts.some((p) => p(user));
      pos++;
    }
  };
  const parseAnd = (): Predicate | null => {
    const parts: Predicate[] = [];
    for (;;) {
      const part = parseTerm();
      if (part === null) return null;
      parts.push(part);
      if (peekWord() !== 'and') return (user) => parts.every((p) => p(user));
      pos++;
    }
  };
  const parseTerm = (): Predicate | null => {
    const token = tokens[pos++];
    if (token?.kind === 'paren' && token.text === '(') {
      const inner = parseOr();
      const close = tokens[pos++];
      return inner !== null && close?.kind === 'paren' && close.text === ')' ? inner : null;
    }
    if (token?.kind !== 'word') return null;
    const op = tokens[pos++];
    if (op?.kind !== 'word') return null;
    const operator = op.text.toLowerCase();
    if (operator === 'pr') return (user) => valuesAt(user, token.text).length > 0;
    const literal = tokens[pos++];
    if (literal?.kind !== 'string') return null;
    const compare = comparator(operator, literal.text.toLowerCase());
    if (compare === null) return null;
    return (user) => valuesAt(user, token.text).some((v) => compare(v.toLowerCase()));
  };
  const predicate = parseOr();
  return predicate !== null && pos === tokens.length ? predicate : null;
}

function comparator(operator: string, expected: string): ((actual: string) => boolean) | null {
  switch (operator) {
    case 'eq':
      return (a) => a === expected;
    case 'sw':
      return (a) => a.startsWith(expected);
    case 'gt':
      return (a) => a > expected;
    case 'ge':
      return (a) => a >= expected;
    case 'lt':
      return (a) => a < expected;
    case 'le':
      return (a) => a <= expected;
    default:
      return null;
  }
}

/** The scalar values at a dotted path; arrays match when any element does (SCIM semantics). */
function valuesAt(user: Json, path: string): string[] {
  let value: unknown = user;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
    value = (value as Json)[key];
  }
  const scalars = Array.isArray(value) ? value : [value];
  return scalars.filter((v) => v !== null && v !== undefined && typeof v !== 'object').map(String);
}

function tokenize(expression: string): Token[] | null {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\()|(\))|("(?:[^"\\]|\\.)*")|([A-Za-z_][\w.]*))/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (match === null) return null;
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'paren', text: '(' });
    else if (match[2] !== undefined) tokens.push({ kind: 'paren', text: ')' });
    else if (match[3] !== undefined) {
      try {
        tokens.push({ kind: 'string', text: String(JSON.parse(match[3])) });
      } catch {
        return null;
      }
    } else tokens.push({ kind: 'word', text: match[4] ?? '' });
  }
  return tokens;
}
