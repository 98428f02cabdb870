import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startOktaSimulator, type OktaSimulator, type OktaSimulatorOptions, type OktaUserSeed } from '../../src-main/demo/okta-simulator';

// The simulator stands in for real Okta tenants, so its wire format is checked on its own.

const TOKEN = 'sim-token-1';
const started: OktaSimulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

async function simulator(overrides: Partial<OktaSimulatorOptions> = {}): Promise<OktaSimulator> {
  const users: OktaUserSeed[] = [
    { id: '00u0000000000000000a', login: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', department: 'Sales' },
    { id: '00u0000000000000000b', login: 'bob@example.com', firstName: 'Bob', lastName: 'Ray', status: 'SUSPENDED' },
    { id: '00u0000000000000000c', login: 'cat@example.com', firstName: 'Cat', lastName: 'Kim', status: 'DEPROVISIONED' },
    { id: '00u0000000000000000d', login: 'dan@example.com', firstName: 'Dan', lastName: 'Ng', status: 'STAGED' },
  ];
  const sim = await startOktaSimulator({
    token: TOKEN,
    users,
    groups: [{ id: '00g000000000000000a1', name: 'Sales', members: ['00u0000000000000000a', 'bob@example.com'] }],
    ...overrides,
  });
  started.push(sim);
  return sim;
}

async function api(sim: OktaSimulator, path: string, token: string | null = TOKEN): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${sim.url}${path}`, {
    headers: { accept: 'application/json', ...(token === null ? {} : { authorization: `SSWS ${token}` }) },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

function ids(body: unknown): string[] {
  return (body as Array<{ id: string }>).map((u) => u.id);
}

/** Raw response header lines, to see repeated headers that fetch would join. */
function rawHeaderLines(url: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `SSWS ${TOKEN}` } }, (res) => {
      const pairs: string[][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
      res.resume();
      res.on('end', () => resolve(pairs));
    }).on('error', reject);
  });
}

describe('Okta simulator', () => {
  it('answers a missing or wrong SSWS token with 401 E0000011', async () => {
    const sim = await simulator();
    for (const token of [null, 'wrong']) {
      const { status, body, headers } = await api(sim, '/api/v1/users', token);
      expect(status).toBe(401);
      expect(headers.get('content-type')).toBe('application/json');
      expect(body).toEqual({
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
        errorLink: 'E0000011',
        errorId: expect.stringMatching(/^oae/),
        errorCauses: [],
      });
    }
    expect(sim.requests.map((r) => r.authorized)).toEqual([false, false]);
  });

  it('lists users without DEPROVISIONED ones and serves realistic user objects', async () => {
    const sim = await simulator();
    const { status, body, headers } = await api(sim, '/api/v1/users');
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['00u0000000000000000a', '00u0000000000000000b', '00u0000000000000000d']);
    const [ann] = body as Array<Record<string, unknown>>;
    expect(ann).toMatchObject({
      id: '00u0000000000000000a',
      status: 'ACTIVE',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      activated: expect.any(String),
      statusChanged: expect.any(String),
      lastLogin: expect.any(String),
      lastUpdated: expect.any(String),
      passwordChanged: expect.any(String),
      type: { id: expect.stringMatching(/^oty/) },
      profile: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', login: 'ann@example.com', department: 'Sales' },
      credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      _links: { self: { href: `${sim.url}/api/v1/users/00u0000000000000000a` } },
    });
    expect(headers.get('x-rate-limit-limit')).toBe('1200');
    expect(headers.get('x-rate-limit-remaining')).toBe('1199');
    expect(Number(headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('sends self and next as separate Link headers and pages by cursor', async () => {
    const sim = await simulator();
    const lines = await rawHeaderLines(`${sim.url}/api/v1/users?limit=2`);
    const links = lines.filter(([name]) => name?.toLowerCase() === 'link').map(([, value]) => value);
    expect(links).toEqual([
      `<${sim.url}/api/v1/users?limit=2>; rel="self"`,
      `<${sim.url}/api/v1/users?after=00u0000000000000000b&limit=2>; rel="next"`,
    ]);
    const second = await api(sim, '/api/v1/users?after=00u0000000000000000b&limit=2');
    expect(ids(second.body)).toEqual(['00u0000000000000000d']);
    expect(second.headers.get('link')).toBe(`<${sim.url}/api/v1/users?after=00u0000000000000000b&limit=2>; rel="self"`);
  });

  it('clamps limit to the documented maximum of 200 users', async () => {
    const users = Array.from({ length: 205 }, (_, i) => ({ login: `u${i}@example.com` }));
    const sim = await simulator({ users, groups: [] });
    const { body, headers } = await api(sim, '/api/v1/users?limit=1000');
    expect((body as unknown[]).length).toBe(200);
    expect(headers.get('link')).toContain('rel="next"');
  });

  it.each([
    ['status eq "DEPROVISIONED"', ['00u0000000000000000c']],
    ['status eq "deprovisioned"', ['00u0000000000000000c']],
    ['status eq "SUSPENDED" or status eq "DEPROVISIONED"', ['00u0000000000000000b', '00u0000000000000000c']],
    ['status EQ "ACTIVE" AND profile.department eq "sales"', ['00u0000000000000000a']],
    ['profile.login eq "BOB@example.com"', ['00u0000000000000000b']],
    ['(status lt "STAGED" or status gt "STAGED") and profile.firstName sw "c"', ['00u0000000000000000c']],
    ['Status eq "ACTIVE"', []],
  ])('search %s', async (search, expected) => {
    const sim = await simulator();
    const { status, body } = await api(sim, `/api/v1/users?search=${encodeURIComponent(search)}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected);
  });

  it('keeps the search in next links', async () => {
    const sim = await simulator();
    const { headers } = await api(sim, `/api/v1/users?search=${encodeURIComponent('status lt "Z"')}&limit=1`);
    expect(headers.get('link')).toContain(`<${sim.url}/api/v1/users?search=status%20lt%20%22Z%22&after=00u0000000000000000a&limit=1>; rel="next"`);
  });

  it.each(['status eq', 'status eq "A" or', '(status eq "A"', 'status like "A"', 'status eq "unterminated'])(
    'answers invalid search %s with 400 E0000031',
    async (search) => {
      const sim = await simulator();
      const { status, body } = await api(sim, `/api/v1/users?search=${encodeURIComponent(search)}`);
      expect(status).toBe(400);
      expect(body).toMatchObject({ errorCode: 'E0000031', errorSummary: 'Invalid search criteria.', errorCauses: [{ errorSummary: 'Invalid search syntax.' }] });
    },
  );

  it('gets one user by id or login, DEPROVISIONED included, and 404s an unknown one', async () => {
    const sim = await simulator();
    expect((await api(sim, '/api/v1/users/00u0000000000000000c')).body).toMatchObject({ status: 'DEPROVISIONED' });
    expect((await api(sim, '/api/v1/users/ann%40example.com')).body).toMatchObject({ id: '00u0000000000000000a' });
    const missing = await api(sim, '/api/v1/users/00unknown');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00unknown (User)' });
  });

  it('lists groups and their members in Okta shape', async () => {
    const sim = await simulator();
    const groups = await api(sim, '/api/v1/groups');
    expect(groups.body).toEqual([
      {
        id: '00g000000000000000a1',
        created: expect.any(String),
        lastUpdated: expect.any(String),
        lastMembershipUpdated: expect.any(String),
        objectClass: ['okta:user_group'],
        type: 'OKTA_GROUP',
        profile: { name: 'Sales', description: null },
        _links: expect.objectContaining({ users: { href: `${sim.url}/api/v1/groups/00g000000000000000a1/users` } }),
      },
    ]);
    const members = await api(sim, '/api/v1/groups/00g000000000000000a1/users');
    expect(ids(members.body)).toEqual(['00u0000000000000000a', '00u0000000000000000b']);
    expect((await api(sim, '/api/v1/groups/00gmissing/users')).status).toBe(404);
  });

  it('can refuse a group member listing with 403 E0000006', async () => {
    const sim = await simulator({ faults: { failGroupMembers: new Set(['00g000000000000000a1']) } });
    const { status, body } = await api(sim, '/api/v1/groups/00g000000000000000a1/users');
    expect(status).toBe(403);
    expect(body).toMatchObject({ errorCode: 'E0000006' });
  });

  it('enforces a rate-limit budget with 429 E0000047 and the reset in epoch seconds', async () => {
    let now = Date.UTC(2025, 0, 1, 12, 0, 0);
    const sim = await simulator({ rateLimit: { limit: 2, windowSeconds: 60 }, clock: { now: () => now } });
    expect((await api(sim, '/api/v1/groups')).headers.get('x-rate-limit-remaining')).toBe('1');
    expect((await api(sim, '/api/v1/groups')).status).toBe(200);
    const limited = await api(sim, '/api/v1/groups');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' });
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(limited.headers.get('x-rate-limit-reset')).toBe(String(now / 1000 + 60));
    expect(limited.headers.get('date')).toBe(new Date(now).toUTCString());
    now += 60_000;
    expect((await api(sim, '/api/v1/groups')).status).toBe(200);
  });

  it('answers a malformed path with an Okta error instead of crashing', async () => {
    const sim = await simulator();
    const { status, body } = await api(sim, '/api/v1/users/%E0%A4%A');
    expect(status).toBe(400);
    expect(body).toMatchObject({ errorCode: 'E0000001' });
    expect((await api(sim, '/api/v1/groups')).status).toBe(200);
  });

  it('rejects unknown seed members and writes', async () => {
    await expect(startOktaSimulator({ token: TOKEN, users: [], groups: [{ name: 'X', members: ['nobody'] }] })).rejects.toThrow(/unknown member "nobody"/);
    const sim = await simulator();
    const response = await fetch(`${sim.url}/api/v1/users`, { method: 'POST', headers: { authorization: `SSWS ${TOKEN}` }, body: '{}' });
    expect(response.status).toBe(405);
  });
});
