import { afterEach, describe, expect, it } from 'vitest';
import { idpSchema, type LimitsConfig, type OktaIdpConfig } from '../../src-main/core/config/schema';
import { createOktaConnector } from '../../src-main/core/connectors/okta/okta-connector';
import type { HttpClientFactory } from '../../src-main/core/connectors/types';
import { isDriftlineError } from '../../src-main/core/errors';
import { createHttpClient } from '../../src-main/core/http/client';
import type { HttpClientOptions } from '../../src-main/core/http/types';
import type { Clock, Logger, SecretStore } from '../../src-main/core/ports';
import { startOktaSimulator, type OktaSimulator, type OktaSimulatorOptions, type OktaUserSeed } from '../../src-main/demo/okta-simulator';
import { memoryContext } from '../helpers/memory-sink';

const TOKEN = 'okta-test-token-0123456789';
const ENGINEERING = '00g0engineering00001';
const SALES = '00g0sales00000000001';
const EMPTY = '00g0empty00000000001';

// 450 users: every 10th from index 3 DEPROVISIONED, from index 5 SUSPENDED, index 7 an unknown status.
function statusFor(i: number): string {
  if (i === 7) return 'ARCHIVED';
  if (i % 10 === 3) return 'DEPROVISIONED';
  if (i % 10 === 5) return 'SUSPENDED';
  if (i % 10 === 9) return 'STAGED';
  return 'ACTIVE';
}
const USERS: OktaUserSeed[] = Array.from({ length: 450 }, (_, i) => ({
  login: `user${i}@example.com`,
  firstName: `First${i}`,
  lastName: `Last${i}`,
  status: statusFor(i),
  department: i % 2 === 0 ? 'Engineering' : 'Sales',
}));
const DEPROVISIONED_COUNT = USERS.filter((u) => u.status === 'DEPROVISIONED').length;
const logins = (from: number, to: number): string[] => USERS.slice(from, to).map((u) => u.login);

const started: OktaSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

interface FakeClock extends Clock {
  sleeps: number[];
}

/** Time that only moves when someone sleeps: waits are instant but recorded. */
function fakeClock(start = Date.UTC(2025, 0, 1, 12, 0, 0)): FakeClock {
  let now = start;
  return {
    sleeps: [],
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
      this.sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

async function simulator(clock: Clock, overrides: Partial<OktaSimulatorOptions> = {}): Promise<OktaSimulator> {
  const sim = await startOktaSimulator({
    token: TOKEN,
    users: USERS,
    groups: [
      { id: ENGINEERING, name: 'Engineering', description: 'Everyone who builds', members: logins(0, 250) },
      { id: SALES, name: 'Sales', members: logins(300, 310) },
      { id: EMPTY, name: 'Empty', members: [] },
    ],
    clock,
    ...overrides,
  });
  started.push(sim);
  return sim;
}

function config(orgUrl: string, limits: Partial<LimitsConfig> = {}): OktaIdpConfig {
  const parsed = idpSchema.parse({
    name: 'Acme Okta',
    type: 'okta',
    orgUrl,
    token: { env: 'OKTA_TOKEN' },
    limits: { pageSize: 100, requestsPerSecond: 1000, ...limits },
  });
  if (parsed.type !== 'okta') throw new Error('expected an Okta config');
  return parsed;
}

function secrets(env: Record<string, string>): SecretStore {
  return { get: (ref) => Promise.resolve('env' in ref ? env[ref.env] : undefined) };
}

function clientFactory(clock: Clock): HttpClientFactory {
  return (options) => createHttpClient({ ...options, clock });
}

function recordingLogger(lines: string[]): Logger {
  const log = (message: string, fields?: Record<string, unknown>): void => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { debug: log, info: log, warn: log, error: log };
}

async function pollError(promise: Promise<unknown>): Promise<{ code: string; message: string; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isDriftlineError(error)) return { code: error.code, message: error.message, error };
    throw error;
  }
  throw new Error('expected the poll to fail');
}

describe('Okta connector against the simulator', () => {
  it('reads every user, group and membership, streaming page by page', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock);
    const { ctx, sink } = memoryContext();
    const batchSizes: number[] = [];
    const addUsers = sink.users;
    sink.users = (batch) => {
      batchSizes.push(batch.length);
      return addUsers(batch);
    };
    const connector = createOktaConnector(config(sim.url), { secrets: secrets({ OKTA_TOKEN: TOKEN }), createHttpClient: clientFactory(clock) });

    const result = await connector.poll(ctx);

    // Users: > 2 pages of the plain listing plus the DEPROVISIONED search, each page written as it came.
    expect(sink.usersSeen).toHaveLength(450);
    expect(new Set(sink.usersSeen.map((u) => u.id)).size).toBe(450);
    expect(batchSizes.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(100);
    const byLogin = new Map(sink.usersSeen.map((u) => [u.userName, u]));
    expect(byLogin.get('user3@example.com')).toMatchObject({ status: 'DEPROVISIONED', active: false });
    expect(byLogin.get('user5@example.com')).toMatchObject({ status: 'SUSPENDED', active: false });
    expect(byLogin.get('user7@example.com')).toMatchObject({ status: 'ARCHIVED', active: null });
    expect(byLogin.get('user9@example.com')).toMatchObject({ status: 'STAGED', active: true });
    expect(byLogin.get('user0@example.com')).toMatchObject({
      active: true,
      email: 'user0@example.com',
      givenName: 'First0',
      familyName: 'Last0',
      displayName: 'First0 Last0',
      externalId: null,
      attributes: expect.objectContaining({ department: 'Engineering', status: 'ACTIVE', login: 'user0@example.com' }),
    });
    expect(sink.usersSeen.filter((u) => u.status === 'DEPROVISIONED')).toHaveLength(DEPROVISIONED_COUNT);

    // Groups and members.
    expect(sink.groupsSeen.map((g) => [g.id, g.displayName, g.members])).toEqual([
      [EMPTY, 'Empty', undefined],
      [ENGINEERING, 'Engineering', undefined],
      [SALES, 'Sales', undefined],
    ]);
    const idOf = (login: string): string => byLogin.get(login)?.id ?? 'missing';
    expect(sink.membersByGroup.get(ENGINEERING)?.map((m) => m.value).sort()).toEqual(logins(0, 250).map(idOf).sort());
    expect(sink.membersByGroup.get(SALES)).toEqual(logins(300, 310).map((l) => ({ value: idOf(l), type: 'User' })));
    expect(sink.membersByGroup.get(EMPTY)).toEqual([]);

    expect(result.coverage).toEqual({ users: true, inactiveUsers: true, groups: true, memberships: 'all', notes: [] });
    expect(result.warnings).toEqual([]);
    expect(result.capabilities).toMatchObject({ api: 'okta', rateLimit: 1200 });

    // On the wire: SSWS everywhere, the search URL-encoded, Link headers followed verbatim.
    expect(sim.requests.every((r) => r.authorized && r.method === 'GET' && r.status === 200)).toBe(true);
    const urls = sim.requests.map((r) => r.url);
    expect(urls[0]).toBe('/api/v1/users?limit=100');
    expect(urls).toContain('/api/v1/users?search=status%20eq%20%22DEPROVISIONED%22&limit=100');
    expect(urls.filter((u) => u.startsWith('/api/v1/users?after='))).toHaveLength(4);
    expect(urls.filter((u) => u.startsWith(`/api/v1/groups/${ENGINEERING}/users`))).toHaveLength(3);

    const phases = sink.progressSeen.map((p) => p.phase);
    expect(phases.indexOf('users')).toBeLessThan(phases.indexOf('groups'));
    expect(phases.indexOf('groups')).toBeLessThan(phases.indexOf('members'));
    expect(sink.progressSeen.at(-1)).toMatchObject({ phase: 'members', resources: 3, total: 3 });
  });

  it('waits for the rate-limit reset when another integration spent the budget (429 E0000047)', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock, { rateLimit: { limit: 3, windowSeconds: 60 } });
    for (let i = 0; i < 3; i++) await fetch(`${sim.url}/api/v1/groups`, { headers: { authorization: `SSWS ${TOKEN}` } });
    const { ctx, sink } = memoryContext();
    const connector = createOktaConnector(config(sim.url), { secrets: secrets({ OKTA_TOKEN: TOKEN }), createHttpClient: clientFactory(clock) });

    const result = await connector.poll(ctx);

    expect(sink.usersSeen).toHaveLength(450);
    expect(result.coverage.memberships).toBe('all');
    expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    // The first wait lasts exactly until the window resets (60 s after the window opened at clock start).
    expect(clock.sleeps[0]).toBe(60_000);
    expect(sink.progressSeen.some((p) => p.message?.includes('Okta rate limit reached') === true)).toBe(true);
  });

  it('pauses on its own when Okta reports the budget spent, without provoking 429s', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock, { rateLimit: { limit: 4, windowSeconds: 60 } });
    const { ctx, sink } = memoryContext();
    // One request at a time: with several in flight, the ones already sent when the budget runs out get 429.
    const connector = createOktaConnector(config(sim.url, { concurrency: 1 }), {
      secrets: secrets({ OKTA_TOKEN: TOKEN }),
      createHttpClient: clientFactory(clock),
    });

    await connector.poll(ctx);

    expect(sink.usersSeen).toHaveLength(450);
    expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
    // 12 requests at 4 per window: two full-window pauses, each until the reset Okta announced.
    expect(sim.requests).toHaveLength(12);
    expect(clock.sleeps.filter((ms) => ms >= 1000)).toEqual([60_000, 60_000]);
    expect(sink.progressSeen.some((p) => p.message?.includes('budget used up') === true)).toBe(true);
  });

  it('fails with auth_rejected on 401 and never shows the token', async () => {
    const clock = fakeClock();
    const canary = 'CANARY-7d1f0c3e9b5a4e2f';
    const sim = await simulator(clock);
    const lines: string[] = [];
    const { ctx, sink } = memoryContext();
    const connector = createOktaConnector(config(sim.url), {
      secrets: secrets({ OKTA_TOKEN: canary }),
      createHttpClient: clientFactory(clock),
    });

    const failure = await pollError(connector.poll({ ...ctx, logger: recordingLogger(lines) }));

    expect(failure.code).toBe('auth_rejected');
    expect(failure.message).toContain('Invalid token provided');
    expect(sim.requests).toHaveLength(1);
    const everything = [failure.message, String(failure.error), JSON.stringify(failure.error), ...lines, JSON.stringify(sink.progressSeen)].join('\n');
    expect(everything).not.toContain(canary);
  });

  it('keeps the token out of errors of every kind', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock, { faults: { loopNextLink: true } });
    const { ctx } = memoryContext();
    const connector = createOktaConnector(config(sim.url), { secrets: secrets({ OKTA_TOKEN: TOKEN }), createHttpClient: clientFactory(clock) });
    const failure = await pollError(connector.poll(ctx));
    expect(`${failure.message} ${JSON.stringify(failure.error)}`).not.toContain(TOKEN);
  });

  it('stops with okta_pagination_broken when a next link loops back', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock, { faults: { loopNextLink: true } });
    const { ctx } = memoryContext();
    const connector = createOktaConnector(config(sim.url), { secrets: secrets({ OKTA_TOKEN: TOKEN }), createHttpClient: clientFactory(clock) });

    const failure = await pollError(connector.poll(ctx));

    expect(failure.code).toBe('okta_pagination_broken');
    expect(failure.message).toContain('GET /api/v1/users');
    expect(failure.message).toContain('already read');
    expect(sim.requests).toHaveLength(2);
  });

  it('stops with okta_pagination_broken past limits.maxPages', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock);
    const { ctx } = memoryContext();
    const connector = createOktaConnector(config(sim.url, { maxPages: 2 }), {
      secrets: secrets({ OKTA_TOKEN: TOKEN }),
      createHttpClient: clientFactory(clock),
    });

    const failure = await pollError(connector.poll(ctx));

    expect(failure.code).toBe('okta_pagination_broken');
    expect(failure.message).toContain('limits.maxPages');
    expect(sim.requests).toHaveLength(2);
  });

  it('marks memberships partial when a member listing answers 403', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock, { faults: { failGroupMembers: new Set([SALES]) } });
    const { ctx, sink } = memoryContext();
    const connector = createOktaConnector(config(`${sim.url}/`), { secrets: secrets({ OKTA_TOKEN: TOKEN }), createHttpClient: clientFactory(clock) });

    const result = await connector.poll(ctx);

    expect(sink.membersByGroup.get(SALES)).toBeNull();
    expect(sink.membersByGroup.get(ENGINEERING)).toHaveLength(250);
    expect(result.coverage.memberships).toBe('partial');
    expect(result.coverage.notes).toEqual([expect.stringContaining('1 of 3 groups')]);
    expect(result.warnings).toEqual([expect.stringMatching(/"Sales" \(00g0sales00000000001\).*403.*E0000006/)]);
  });

  it('is cancelled mid-poll without further requests', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock);
    const { ctx, sink, abort } = memoryContext();
    const addUsers = sink.users;
    sink.users = async (batch) => {
      await addUsers(batch);
      abort.abort();
    };
    const connector = createOktaConnector(config(sim.url), { secrets: secrets({ OKTA_TOKEN: TOKEN }), createHttpClient: clientFactory(clock) });

    const failure = await pollError(connector.poll(ctx));

    expect(failure.code).toBe('cancelled');
    expect(sim.requests).toHaveLength(1);
    expect(sink.usersSeen).toHaveLength(100);
  });

  it('fails with secret_missing naming the environment variable before any request', async () => {
    const clock = fakeClock();
    const sim = await simulator(clock);
    const { ctx } = memoryContext();
    const connector = createOktaConnector(config(sim.url), { secrets: secrets({}), createHttpClient: clientFactory(clock) });

    const failure = await pollError(connector.poll(ctx));

    expect(failure.code).toBe('secret_missing');
    expect(failure.message).toContain('OKTA_TOKEN');
    expect(failure.message).toContain('Acme Okta');
    expect(sim.requests).toHaveLength(0);
  });
});

describe('Okta connector HTTP client setup', () => {
  function stubFactory(seen: HttpClientOptions[]): HttpClientFactory {
    return (options) => {
      seen.push(options);
      return {
        request: () => Promise.resolve({ status: 200, headers: new Headers(), body: [], bytes: 2 }),
        close: () => Promise.resolve(),
      };
    };
  }

  it('builds its client from the config: base URL, SSWS auth, JSON, limits and the CA file', async () => {
    const seen: HttpClientOptions[] = [];
    const read: string[] = [];
    const okta = { ...config('https://acme.okta.com', { timeoutSeconds: 30, concurrency: 32 }), tls: { caFile: '/etc/ca.pem' } };
    const connector = createOktaConnector(okta, {
      secrets: secrets({ OKTA_TOKEN: TOKEN }),
      createHttpClient: stubFactory(seen),
      readFile: (path) => {
        read.push(path);
        return Promise.resolve('-----BEGIN CERTIFICATE-----');
      },
    });

    const result = await connector.poll(memoryContext().ctx);

    expect(read).toEqual(['/etc/ca.pem']);
    const [options] = seen;
    expect(options).toMatchObject({
      baseUrl: 'https://acme.okta.com/api/v1/',
      accept: 'application/json',
      timeoutMs: 30_000,
      requestsPerSecond: 1000,
      concurrency: 8,
      caPem: '-----BEGIN CERTIFICATE-----',
    });
    expect(await options?.auth?.()).toBe(`SSWS ${TOKEN}`);
    expect(result.coverage.memberships).toBe('all');
  });

  it('reports an unreadable CA file as file_unreadable', async () => {
    const okta = { ...config('https://acme.okta.com'), tls: { caFile: '/missing/ca.pem' } };
    const connector = createOktaConnector(okta, {
      secrets: secrets({ OKTA_TOKEN: TOKEN }),
      createHttpClient: stubFactory([]),
      readFile: () => Promise.reject(new Error('ENOENT: no such file or directory')),
    });
    const failure = await pollError(connector.poll(memoryContext().ctx));
    expect(failure.code).toBe('file_unreadable');
    expect(failure.message).toContain('/missing/ca.pem');
  });
});
