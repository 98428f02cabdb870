import { afterEach, describe, expect, it } from 'vitest';
import { startScimApp, type ScimApp, type ScimAppOptions } from '../../src-main/demo/scim-app';

const TOKEN = 'demo-token';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

const apps: ScimApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(options: Partial<ScimAppOptions> = {}): Promise<ScimApp> {
  const app = await startScimApp({
    token: TOKEN,
    users: [
      {
        id: 'u-bjensen',
        userName: 'BJensen@example.com',
        displayName: 'Barbara Jensen',
        active: true,
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
        [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations' },
      },
      { id: 'u-jsmith', userName: 'jsmith@example.com', displayName: 'Jo Smith', active: true },
      { userName: 'mpepper@example.com', active: false },
    ],
    groups: [{ id: 'g-guides', displayName: 'Tour Guides', members: [{ value: 'u-bjensen' }, { value: 'u-jsmith', type: 'User' }] }],
    ...options,
  });
  apps.push(app);
  return app;
}

async function scim(
  app: ScimApp,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Reply> {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      accept: 'application/scim+json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : {} };
}

function resources(reply: Reply): Json[] {
  expect(reply.body.schemas).toEqual([LIST_RESPONSE]);
  return reply.body.Resources as Json[];
}

function patch(...operations: Json[]): Json {
  return { schemas: [PATCH_OP], Operations: operations };
}

describe('demo SCIM app: discovery and protocol basics', () => {
  it('serves ServiceProviderConfig, ResourceTypes and Schemas (with the enterprise extension)', async () => {
    const app = await start({ maxPageSize: 50 });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);

    const config = await scim(app, 'GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toBe('application/scim+json');
    expect(config.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 50 },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${app.url}/ServiceProviderConfig` },
    });

    const types = resources(await scim(app, 'GET', '/ResourceTypes'));
    expect(types.map((t) => [t.id, t.endpoint, t.schema])).toEqual([
      ['User', '/Users', 'urn:ietf:params:scim:schemas:core:2.0:User'],
      ['Group', '/Groups', 'urn:ietf:params:scim:schemas:core:2.0:Group'],
    ]);
    expect(types[0]?.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    expect((await scim(app, 'GET', '/ResourceTypes/Group')).body).toMatchObject({ id: 'Group', endpoint: '/Groups' });

    const schemas = resources(await scim(app, 'GET', '/Schemas'));
    expect(schemas.map((s) => s.id)).toEqual(expect.arrayContaining(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]));
    const enterprise = await scim(app, 'GET', `/Schemas/${ENTERPRISE}`);
    expect(enterprise.status).toBe(200);
    expect((enterprise.body.attributes as Json[]).map((a) => a.name)).toContain('department');
    expect(enterprise.body.meta).toEqual({ resourceType: 'Schema', location: `${app.url}/Schemas/${ENTERPRISE}` });
  });

  it('requires the bearer token everywhere, answering 401 with a SCIM error', async () => {
    const app = await start();
    for (const token of [null, 'wrong-token']) {
      for (const path of ['/Users', '/ServiceProviderConfig']) {
        const reply = await scim(app, 'GET', path, { token });
        expect(reply.status).toBe(401);
        expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(reply.body).toMatchObject({ schemas: [ERROR], status: '401' });
      }
    }
    expect((await scim(app, 'GET', '/Users', { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect(app.requests.filter((r) => r.status === 401)).toHaveLength(4);
  });

  it('answers unknown endpoints, methods and malformed input with SCIM errors', async () => {
    const app = await start();
    expect((await scim(app, 'GET', '/Nope')).body).toMatchObject({ schemas: [ERROR], status: '404' });
    const method = await scim(app, 'DELETE', '/Users');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET, POST');
    expect((await scim(app, 'GET', '/Users/u-missing')).status).toBe(404);
    expect((await scim(app, 'GET', '/Users?filter=userName%20xx%20%22a%22')).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await scim(app, 'GET', '/Groups?filter=members%20eq%20%22u-bjensen%22')).body).toMatchObject({ scimType: 'invalidFilter' });
    expect((await scim(app, 'GET', '/Users?count=ten')).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const garbled = await fetch(`${app.url}/Users`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{nope' });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('keeps each server in a process separate (scimmy is a process-wide singleton)', async () => {
    const [a, b] = await Promise.all([start(), start({ users: [{ id: 'u-other', userName: 'other@example.com' }], groups: [] })]);
    const [fromA, fromB] = await Promise.all([scim(a, 'GET', '/Users/u-bjensen'), scim(b, 'GET', '/Users/u-other')]);
    expect(fromA.body.meta).toMatchObject({ location: `${a.url}/Users/u-bjensen` });
    expect(fromB.body.meta).toMatchObject({ location: `${b.url}/Users/u-other` });
    expect((await scim(b, 'GET', '/Users/u-bjensen')).status).toBe(404);
    const patched = await scim(b, 'PATCH', '/Users/u-other', { body: patch({ op: 'replace', path: 'active', value: false }) });
    expect(patched.body.active).toBe(false);
    expect(a.store.userCount).toBe(3);
    expect(b.store.userCount).toBe(1);
  });
});

describe('demo SCIM app: users', () => {
  it('creates users with server-assigned id, meta, ETag and Location', async () => {
    const app = await start();
    const created = await scim(app, 'POST', '/Users', {
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        userName: 'ajones@example.com',
        externalId: 'okta-00u1',
        active: true,
        password: 'never returned',
        emails: [{ value: 'ajones@example.com', type: 'work', primary: true }],
        [ENTERPRISE]: { department: 'Sales' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`${app.url}/Users/${id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'ajones@example.com',
      externalId: 'okta-00u1',
      active: true,
      [ENTERPRISE]: { department: 'Sales' },
      meta: { resourceType: 'User', location: `${app.url}/Users/${id}`, version: 'W/"1"' },
    });
    expect(created.body).not.toHaveProperty('password');
    const meta = created.body.meta as Json;
    expect(Date.parse(meta.created as string)).not.toBeNaN();
    expect(app.store.getUser(id)).toMatchObject({ userName: 'ajones@example.com' });

    const duplicate = await scim(app, 'POST', '/Users', { body: { userName: 'AJONES@example.com' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ scimType: 'uniqueness' });
    expect((await scim(app, 'POST', '/Users', { body: { displayName: 'no userName' } })).status).toBe(400);
  });

  it('pages by startIndex/count with correct totals, capping count at maxPageSize', async () => {
    const users = Array.from({ length: 7 }, (_, i) => ({ id: `u${i + 1}`, userName: `user${i + 1}@example.com` }));
    const app = await start({ users, groups: [], maxPageSize: 3 });

    const first = await scim(app, 'GET', '/Users?startIndex=1&count=2');
    expect(first.body).toMatchObject({ totalResults: 7, startIndex: 1, itemsPerPage: 2 });
    expect(resources(first).map((u) => u.id)).toEqual(['u1', 'u2']);

    const middle = await scim(app, 'GET', '/Users?startIndex=2&count=2');
    expect(resources(middle).map((u) => u.id)).toEqual(['u2', 'u3']);

    const capped = await scim(app, 'GET', '/Users?startIndex=3&count=100');
    expect(capped.body).toMatchObject({ totalResults: 7, startIndex: 3, itemsPerPage: 3 });
    expect(resources(capped).map((u) => u.id)).toEqual(['u3', 'u4', 'u5']);

    const last = await scim(app, 'GET', '/Users?startIndex=7');
    expect(resources(last).map((u) => u.id)).toEqual(['u7']);
    expect(resources(await scim(app, 'GET', '/Users?startIndex=8'))).toEqual([]);
    expect((await scim(app, 'GET', '/Users?count=0')).body).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
    expect((await scim(app, 'GET', '/Users?startIndex=0&count=1')).body).toMatchObject({ startIndex: 1, itemsPerPage: 1 });

    // A full pass advancing by what came back sees every user exactly once.
    const seen: string[] = [];
    for (let start = 1; ; ) {
      const page = resources(await scim(app, 'GET', `/Users?startIndex=${start}&count=3`));
      if (page.length === 0) break;
      seen.push(...page.map((u) => u.id as string));
      start += page.length;
    }
    expect(seen).toEqual(users.map((u) => u.id));
    expect(app.requests.at(-1)).toMatchObject({ method: 'GET', path: '/Users', query: 'startIndex=8&count=3', status: 200 });
  });

  it('filters userName case-insensitively and with scimmy operators, and sorts', async () => {
    const app = await start();
    const byName = await scim(app, 'GET', `/Users?filter=${encodeURIComponent('userName eq "bjensen@EXAMPLE.com"')}`);
    expect(byName.body).toMatchObject({ totalResults: 1 });
    expect(resources(byName)[0]).toMatchObject({ id: 'u-bjensen' });

    const q = async (filter: string): Promise<unknown[]> =>
      resources(await scim(app, 'GET', `/Users?filter=${encodeURIComponent(filter)}`)).map((u) => u.id);
    expect(await q('USERNAME Eq "JSMITH@example.com" and active eq true')).toEqual(['u-jsmith']);
    expect(await q('active eq false')).toHaveLength(1);
    expect(await q('emails[type eq "work" and value co "JENSEN"]')).toEqual(['u-bjensen']);
    expect(await q(`${ENTERPRISE}:department eq "tour operations"`)).toEqual(['u-bjensen']);
    expect(await q('groups.value eq "g-guides"')).toEqual(['u-bjensen', 'u-jsmith']);
    expect(await q('id eq "U-BJENSEN"')).toEqual([]);
    // Sub-attribute filters must skip users without the complex attribute (scimmy's matcher throws on them).
    expect(await q('name.familyName eq "JENSEN"')).toEqual(['u-bjensen']);
    expect(await q('not (name.givenName eq "Barbara")')).toHaveLength(2);
    expect(await q('emails.value pr')).toEqual(['u-bjensen']);
    const unsupported = await scim(app, 'GET', `/Users?filter=${encodeURIComponent('emails eq "bjensen@example.com"')}`);
    expect(unsupported.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });

    const sorted = await scim(app, 'GET', '/Users?sortBy=userName&sortOrder=descending&attributes=userName');
    expect(resources(sorted).map((u) => u.userName)).toEqual(['mpepper@example.com', 'jsmith@example.com', 'BJensen@example.com']);

    const search = await scim(app, 'POST', '/Users/.search', {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'userName sw "j"',
        attributes: ['userName'],
        startIndex: 1,
        count: 10,
      },
    });
    expect(resources(search)).toEqual([
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u-jsmith', userName: 'jsmith@example.com' },
    ]);
  });

  it('applies attributes and excludedAttributes, including sub-attributes and extension attributes', async () => {
    const app = await start();
    const only = await scim(app, 'GET', '/Users/u-bjensen?attributes=userName,name.familyName,' + `${ENTERPRISE}:department`);
    expect(only.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      id: 'u-bjensen',
      userName: 'BJensen@example.com',
      name: { familyName: 'Jensen' },
      [ENTERPRISE]: { department: 'Tour Operations' },
    });
    const without = await scim(app, 'GET', '/Users/u-bjensen?excludedAttributes=emails,meta,groups,id');
    expect(without.body).toHaveProperty('id', 'u-bjensen');
    expect(without.body).not.toHaveProperty('emails');
    expect(without.body).not.toHaveProperty('meta');
    expect(without.body).not.toHaveProperty('groups');
    expect(without.body).toHaveProperty('name');
  });

  it('deactivates with PATCH replace active=false (path and no-path forms)', async () => {
    const app = await start();
    const deactivated = await scim(app, 'PATCH', '/Users/u-bjensen', { body: patch({ op: 'replace', path: 'active', value: false }) });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ id: 'u-bjensen', active: false, meta: { version: 'W/"2"' } });
    expect(deactivated.headers.get('etag')).toBe('W/"2"');
    expect(app.store.getUser('u-bjensen')).toMatchObject({ active: false });

    const okta = await scim(app, 'PATCH', '/Users/u-jsmith', { body: patch({ op: 'Replace', value: { active: false } }) });
    expect(okta.body).toMatchObject({ active: false });

    const department = await scim(app, 'PATCH', '/Users/u-bjensen', {
      body: patch({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' }),
    });
    expect(department.body[ENTERPRISE]).toMatchObject({ department: 'Sales', employeeNumber: '701984' });

    const invalid = await scim(app, 'PATCH', '/Users/u-bjensen', { body: patch({ op: 'replace', path: 'active', value: 'maybe' }) });
    expect(invalid.status).toBe(400);
    const noTarget = await scim(app, 'PATCH', '/Users/u-bjensen', { body: patch({ op: 'remove' }) });
    expect(noTarget.body).toMatchObject({ status: '400', scimType: 'noTarget' });
  });

  it('honours If-Match (412 on a stale version) and If-None-Match', async () => {
    const app = await start();
    const current = await scim(app, 'GET', '/Users/u-jsmith');
    const etag = current.headers.get('etag') ?? '';
    expect(etag).toBe('W/"1"');
    expect((await scim(app, 'GET', '/Users/u-jsmith', { headers: { 'if-none-match': etag } })).status).toBe(304);

    const ok = await scim(app, 'PATCH', '/Users/u-jsmith', {
      body: patch({ op: 'replace', path: 'displayName', value: 'Joanna Smith' }),
      headers: { 'if-match': etag },
    });
    expect(ok.status).toBe(200);
    const stale = await scim(app, 'PATCH', '/Users/u-jsmith', {
      body: patch({ op: 'replace', path: 'active', value: false }),
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ schemas: [ERROR], status: '412' });
    expect(app.store.getUser('u-jsmith')).toMatchObject({ active: true, displayName: 'Joanna Smith' });
    expect((await scim(app, 'DELETE', '/Users/u-jsmith', { headers: { 'if-match': etag } })).status).toBe(412);
    expect(app.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/Users/u-jsmith', ifMatch: etag, status: 412 });

    // A PATCH that changes nothing keeps the version, so clients' ETags stay valid.
    const noop = await scim(app, 'PATCH', '/Users/u-jsmith', { body: patch({ op: 'replace', path: 'active', value: true }) });
    expect(noop.headers.get('etag')).toBe('W/"2"');
  });

  it('runs without ETags when asked to', async () => {
    const app = await start({ etags: false });
    expect((await scim(app, 'GET', '/ServiceProviderConfig')).body).toMatchObject({ etag: { supported: false } });
    const user = await scim(app, 'GET', '/Users/u-jsmith');
    expect(user.headers.get('etag')).toBeNull();
    expect(user.body.meta).not.toHaveProperty('version');
    const patched = await scim(app, 'PATCH', '/Users/u-jsmith', {
      body: patch({ op: 'replace', path: 'active', value: false }),
      headers: { 'if-match': 'W/"stale"' },
    });
    expect(patched.status).toBe(200);
  });

  it('replaces users with PUT and deletes them (404 afterwards, gone from groups)', async () => {
    const app = await start();
    const replaced = await scim(app, 'PUT', '/Users/u-bjensen', {
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'ignored', userName: 'barbara@example.com', active: false },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: 'u-bjensen', userName: 'barbara@example.com', active: false });
    expect(replaced.body).not.toHaveProperty('emails');
    expect(replaced.body).not.toHaveProperty(ENTERPRISE);
    expect(replaced.body.groups).toEqual([expect.objectContaining({ value: 'g-guides' })]);
    expect(app.store.findUserByUserName('BJensen@example.com')).toBeUndefined();
    const taken = await scim(app, 'PUT', '/Users/u-bjensen', { body: { userName: 'JSMITH@example.com' } });
    expect(taken.status).toBe(409);
    expect((await scim(app, 'PUT', '/Users/u-missing', { body: { userName: 'x@example.com' } })).status).toBe(404);

    expect((await scim(app, 'DELETE', '/Users/u-bjensen')).status).toBe(204);
    expect((await scim(app, 'GET', '/Users/u-bjensen')).status).toBe(404);
    expect((await scim(app, 'DELETE', '/Users/u-bjensen')).status).toBe(404);
    const group = await scim(app, 'GET', '/Groups/g-guides');
    expect((group.body.members as Json[]).map((m) => m.value)).toEqual(['u-jsmith']);
    expect(group.body.meta).toMatchObject({ version: 'W/"2"' });
    expect((await scim(app, 'GET', '/Users')).body).toMatchObject({ totalResults: 2 });
  });
});

describe('demo SCIM app: groups', () => {
  it('renders members with value, $ref, display and type, and User.groups from memberships', async () => {
    const app = await start();
    const group = await scim(app, 'GET', '/Groups/g-guides');
    expect(group.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'g-guides',
      displayName: 'Tour Guides',
      meta: { resourceType: 'Group', location: `${app.url}/Groups/g-guides`, version: 'W/"1"' },
    });
    expect(group.body.members).toEqual([
      { value: 'u-bjensen', $ref: `${app.url}/Users/u-bjensen`, display: 'Barbara Jensen', type: 'User' },
      { value: 'u-jsmith', $ref: `${app.url}/Users/u-jsmith`, display: 'Jo Smith', type: 'User' },
    ]);
    const user = await scim(app, 'GET', '/Users/u-bjensen');
    expect(user.body.groups).toEqual([{ value: 'g-guides', $ref: `${app.url}/Groups/g-guides`, display: 'Tour Guides', type: 'direct' }]);
    const notMember = await scim(app, 'GET', '/Users?filter=userName%20eq%20%22mpepper%40example.com%22');
    expect(resources(notMember)[0]).not.toHaveProperty('groups');
  });

  it('lists groups without members on excludedAttributes=members, and filters them', async () => {
    const app = await start({
      groups: [
        { id: 'g-guides', displayName: 'Tour Guides', members: [{ value: 'u-bjensen' }, { value: 'u-jsmith' }] },
        { id: 'g-empty', displayName: 'Nobody Yet' },
      ],
    });
    const list = await scim(app, 'GET', '/Groups?excludedAttributes=members');
    expect(list.body).toMatchObject({ totalResults: 2, itemsPerPage: 2 });
    const [group] = resources(list);
    expect(group).toMatchObject({ id: 'g-guides', displayName: 'Tour Guides', meta: { resourceType: 'Group' } });
    expect(group).not.toHaveProperty('members');
    expect(resources(await scim(app, 'GET', '/Groups'))[0]?.members).toHaveLength(2);
    const withMember = await scim(app, 'GET', `/Groups?filter=${encodeURIComponent('members[value eq "u-bjensen"]')}`);
    expect(resources(withMember).map((g) => g.id)).toEqual(['g-guides']);
    const probe = await scim(app, 'GET', `/Groups?filter=${encodeURIComponent('id eq "g-guides" and members.value eq "u-jsmith"')}`);
    expect(probe.body).toMatchObject({ totalResults: 1 });
    const named = await scim(app, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "tour guides"')}&attributes=displayName`);
    expect(resources(named)).toEqual([{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g-guides', displayName: 'Tour Guides' }]);
  });

  it('removes a member with members[value eq "…"] and adds members through PATCH', async () => {
    const app = await start();
    const removed = await scim(app, 'PATCH', '/Groups/g-guides', {
      body: patch({ op: 'remove', path: 'members[value eq "u-bjensen"]' }),
    });
    expect(removed.status).toBe(200);
    expect((removed.body.members as Json[]).map((m) => m.value)).toEqual(['u-jsmith']);
    expect(app.store.getUser('u-bjensen')).not.toHaveProperty('groups');

    const mpepper = app.store.findUserByUserName('mpepper@example.com');
    const mpepperId = mpepper?.id as string;
    const added = await scim(app, 'PATCH', '/Groups/g-guides', {
      body: patch({ op: 'add', path: 'members', value: [{ value: 'u-bjensen' }, { value: mpepperId }, { value: 'u-jsmith' }] }),
    });
    expect((added.body.members as Json[]).map((m) => m.value)).toEqual(['u-jsmith', 'u-bjensen', mpepperId]);
    expect(added.body.meta).toMatchObject({ version: 'W/"3"' });
    expect((await scim(app, 'GET', `/Users/${mpepperId}`)).body.groups).toEqual([expect.objectContaining({ value: 'g-guides' })]);

    const unknown = await scim(app, 'PATCH', '/Groups/g-guides', { body: patch({ op: 'add', path: 'members', value: [{ value: 'u-ghost' }] }) });
    expect(unknown.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const renamed = await scim(app, 'PATCH', '/Groups/g-guides', { body: patch({ op: 'replace', path: 'displayName', value: 'Guides' }) });
    expect(renamed.body.displayName).toBe('Guides');
    expect((await scim(app, 'GET', '/Users/u-jsmith')).body.groups).toEqual([expect.objectContaining({ display: 'Guides' })]);
  });

  it('creates, replaces and deletes groups, nested groups included', async () => {
    const app = await start();
    const created = await scim(app, 'POST', '/Groups', {
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'All Staff', members: [{ value: 'g-guides' }] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.members).toEqual([{ value: 'g-guides', $ref: `${app.url}/Groups/g-guides`, display: 'Tour Guides', type: 'Group' }]);

    const replaced = await scim(app, 'PUT', `/Groups/${id}`, { body: { displayName: 'Everyone', members: [{ value: 'u-jsmith' }] } });
    expect(replaced.body).toMatchObject({ displayName: 'Everyone', members: [expect.objectContaining({ value: 'u-jsmith' })] });
    expect((await scim(app, 'GET', '/Users/u-jsmith')).body.groups).toHaveLength(2);

    expect((await scim(app, 'DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await scim(app, 'GET', `/Groups/${id}`)).status).toBe(404);
    expect((await scim(app, 'GET', '/Users/u-jsmith')).body.groups).toHaveLength(1);
  });
});

describe('demo SCIM app: seeding', () => {
  it('keeps given ids, assigns missing ones, and canonicalises attribute names', async () => {
    const app = await start({
      users: [{ id: 'u-kept', userName: 'kept@example.com', DisplayName: 'Kept', NAME: { GivenName: 'K' } }],
      groups: [],
    });
    expect(app.store.getUser('u-kept')).toMatchObject({ displayName: 'Kept', name: { givenName: 'K' } });
    const assigned = await start({ users: [{ userName: 'fresh@example.com' }], groups: [] });
    expect(app.store.userCount).toBe(1);
    expect(assigned.store.findUserByUserName('FRESH@example.com')?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects seeds with unknown attributes, duplicate userNames or dangling members', async () => {
    await expect(start({ users: [{ userName: 'x', favouriteColour: 'teal' }], groups: [] })).rejects.toThrow(
      "users[0]: unknown attribute 'favouriteColour'",
    );
    await expect(start({ users: [{ userName: 'x' }, { userName: 'X' }], groups: [] })).rejects.toThrow('users[1]');
    await expect(start({ groups: [{ displayName: 'G', members: [{ value: 'nobody' }] }] })).rejects.toThrow('groups[0]');
  });
});
