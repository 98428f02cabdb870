import { afterEach, describe, expect, it } from 'vitest';
import { unreadGroups } from '../../src-main/core/store/analysis.repo';
import type { Db } from '../../src-main/core/store/database';
import { getRun, latestCompleteRun } from '../../src-main/core/store/runs.repo';
import { nastyData, startNastyScim, NASTY_TOKEN, type NastyBehaviours, type NastyServer } from '../helpers/nasty-scim';
import { scimConfig, syncScim } from '../helpers/scim-sync';
import { connection, openTestDb, snapshotUsers } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();
const servers: NastyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(b: NastyBehaviours, users = 120): Promise<NastyServer> {
  const s = await startNastyScim(nastyData(users), b);
  servers.push(s);
  return s;
}

/** A database whose CRM connection already has one good snapshot of 5 users. */
async function withPreviousSnapshot(): Promise<{ db: Db; app: number; previousRun: number }> {
  const db = openTestDb(tempDir());
  const app = connection(db, 'CRM');
  const good = await serve({}, 5);
  const first = await syncScim(db, app, scimConfig(good.base));
  expect(first.state).toBe('complete');
  return { db, app, previousRun: first.runId };
}

function userIds(db: Db, app: number, runId: number): string[] {
  return snapshotUsers(db, { connectionId: app, runId })
    .map((u) => u.remoteId)
    .sort();
}

describe('SCIM sync against misbehaving servers', () => {
  it.each<[string, NastyBehaviours]>([
    ['capped page size', { capCount: 7 }],
    ['totalResults as a string', { totalResults: 'string' }],
    ['totalResults clamped to count', { totalResults: 'clampedToCount' }],
    ['totalResults missing', { totalResults: 'missing' }],
    ['RFC 9865 cursor paging', { cursor: true }],
    ['plain-text 429 before answering', { plainText429: 2 }],
  ])('%s → a complete, correct snapshot', async (_name, behaviours) => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve(behaviours);
    const outcome = await syncScim(db, app, scimConfig(server.base));
    expect(outcome.error).toBeNull();
    expect(outcome.state).toBe('complete');
    expect(userIds(db, app, outcome.runId)).toEqual(nastyData(120).users.map((u) => u.id));
    expect(outcome.totals).toMatchObject({ users: 120, groups: 2, memberships: 120 });
  });

  it('reads "True"/"False" strings, odd key case and lowercase "resources"', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({ oddTyping: true }, 30);
    const outcome = await syncScim(db, app, scimConfig(server.base));
    expect(outcome.state).toBe('complete');
    const users = snapshotUsers(db, { connectionId: app, runId: outcome.runId });
    expect(users).toHaveLength(30);
    expect(users.find((u) => u.remoteId === 'u00003')).toMatchObject({ active: false, userName: 'user3@example.com' });
    expect(users.find((u) => u.remoteId === 'u00004')).toMatchObject({ active: true });
  });

  it.each<[string, NastyBehaviours, string, RegExp]>([
    ['ignored startIndex', { ignoreStartIndex: true }, 'scim_pagination_broken', /ignores startIndex/],
    ['inflated totalResults', { totalResults: 'inflated' }, 'scim_pagination_broken', /announced 1200 users but stopped/],
    ['HTML login page with 200', { htmlLoginPage: true }, 'unexpected_content_type', /text\/html/],
    ['500 in the middle of the listing', { error500From: 60 }, 'server_error', /500/],
    ['a body that trickles past the deadline', { slowBodyMs: 3000 }, 'timeout', /./],
    ['a page larger than the size cap', { padBytes: 2 * 1024 * 1024 }, 'response_too_large', /./],
  ])('%s → a failed run with a clear code; the previous snapshot stays', async (_name, behaviours, code, message) => {
    const { db, app, previousRun } = await withPreviousSnapshot();
    const server = await serve(behaviours);
    const outcome = await syncScim(db, app, scimConfig(server.base, { limits: { requestsPerSecond: 1000, pageSize: 50, timeoutSeconds: 1, maxResponseMegabytes: 1 } }));
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.code).toBe(code);
    expect(outcome.error?.message).toMatch(message);
    expect(outcome.error?.message).not.toContain(NASTY_TOKEN);
    expect(getRun(db, outcome.runId)).toMatchObject({ state: 'failed', errorCode: code });
    expect(latestCompleteRun(db, app)?.id).toBe(previousRun);
    expect(userIds(db, app, previousRun)).toEqual(['u00000', 'u00001', 'u00002', 'u00003', 'u00004']);
    expect(db.prepare('SELECT count(*) FROM user_versions WHERE from_run = ?').pluck().get(outcome.runId)).toBe(0);
  });

  it('members hidden by the group resource → complete run, memberships marked unknown', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({ omitMembers: true }, 40);
    const outcome = await syncScim(db, app, scimConfig(server.base));
    expect(outcome.state).toBe('complete');
    expect(outcome.coverage?.memberships).toBe('none');
    expect(outcome.coverage?.notes.join(' ')).toMatch(/None of the 2 groups' member lists could be read/);
    expect(outcome.warnings.join(' ')).toMatch(/shows no members although 20 users list it in their "groups"/);
    expect(unreadGroups(db, outcome.runId).size).toBe(2);
  });

  it('no members anywhere and nothing to cross-check → memberships unknown, not empty', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({ omitMembers: true, hideUserGroups: true }, 40);
    const outcome = await syncScim(db, app, scimConfig(server.base));
    expect(outcome.state).toBe('complete');
    expect(outcome.coverage?.memberships).toBe('none');
    expect(outcome.coverage?.notes.join(' ')).toMatch(/no members for any of its 2 groups/);
    expect(unreadGroups(db, outcome.runId).size).toBe(2);
  });

  it('takes members from the group list when it carries them (no per-group reads)', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({}, 10);
    const outcome = await syncScim(db, app, scimConfig(server.base));
    expect(outcome.state).toBe('complete');
    expect(server.hits.filter((h) => /^\/Groups\/g\d$/.test(h.path))).toHaveLength(0);
    expect(outcome.coverage?.memberships).toBe('all');
    expect(outcome.totals?.memberships).toBe(10);
  });

  it('re-reads by id a group whose listed member count looks truncated (exactly 100)', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({}, 200);
    const outcome = await syncScim(db, app, scimConfig(server.base));
    expect(server.hits.filter((h) => /^\/Groups\/g\d$/.test(h.path)).map((h) => h.path).sort()).toEqual(['/Groups/g0', '/Groups/g1']);
    expect(outcome.totals?.memberships).toBe(200);
  });

  it('groupMembers "perGroup" lists groups without members, then reads each group by id', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({}, 10);
    const outcome = await syncScim(db, app, scimConfig(server.base, { groupMembers: 'perGroup' }));
    expect(outcome.state).toBe('complete');
    expect(server.hits.filter((h) => h.path.startsWith('/Groups?')).every((h) => h.path.includes('excludedAttributes=members'))).toBe(true);
    expect(server.hits.filter((h) => /^\/Groups\/g\d$/.test(h.path))).toHaveLength(2);
    expect(outcome.coverage?.memberships).toBe('all');
    expect(outcome.totals?.memberships).toBe(10);
  });

  it('a wrong token fails with auth_rejected and never echoes the token', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const server = await serve({}, 3);
    const outcome = await syncScim(db, app, scimConfig(server.base), { token: 'wrong-token-canary' });
    expect(outcome.error?.code).toBe('auth_rejected');
    expect(JSON.stringify(getRun(db, outcome.runId))).not.toContain('wrong-token-canary');
  });

  it('cancelling mid-sync ends the run as cancelled', async () => {
    const { db, app, previousRun } = await withPreviousSnapshot();
    const server = await serve({ slowBodyMs: 2000 });
    const abort = new AbortController();
    const outcome = await syncScim(db, app, scimConfig(server.base), {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'users' && p.pages === 1) abort.abort();
      },
    });
    expect(outcome.state).toBe('cancelled');
    expect(outcome.error?.code).toBe('cancelled');
    expect(latestCompleteRun(db, app)?.id).toBe(previousRun);
  });
});
