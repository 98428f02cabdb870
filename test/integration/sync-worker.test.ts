import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScimAppConfig } from '../../src-main/core/config/schema';
import type { Logger } from '../../src-main/core/ports';
import { envSecretStore } from '../../src-main/core/secrets/resolve';
import { groupMembers, recordAtRun, snapshotGroups } from '../../src-main/core/store/analysis.repo';
import type { Db } from '../../src-main/core/store/database';
import { getRun, latestCompleteRun } from '../../src-main/core/store/runs.repo';
import { createWorkerSnapshotStore } from '../../src-main/core/store/worker-snapshot-store';
import { syncConnection, type SyncOutcome, type SyncProgress } from '../../src-main/core/sync/sync-connection';
import { pollInWorker } from '../../src-main/core/sync/worker-poll';
import { builtWorkerFile } from '../../src-main/core/util/built-worker';
import { nastyData, startNastyScim, NASTY_TOKEN, type NastyBehaviours, type NastyServer } from '../helpers/nasty-scim';
import { scimConfig, syncScim } from '../helpers/scim-sync';
import { connection, openTestDb, snapshotUsers } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

// The sync as the built app runs it: each poll (HTTP, JSON.parse, normalization) in a sync worker
// that writes its pages straight to the snapshot store's worker. npm test builds first, so both
// bundled workers exist.
const BUILT = join(__dirname, '..', '..', 'out', 'main');
const syncWorkerFile = builtWorkerFile('sync-worker', BUILT);
const storeWorkerFile = builtWorkerFile('snapshot-worker', BUILT);

const tempDir = useTempDir();
const servers: NastyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(b: NastyBehaviours, users = 120, groups = 2): Promise<NastyServer> {
  const s = await startNastyScim(nastyData(users, groups), b);
  servers.push(s);
  return s;
}

interface LogLine {
  level: keyof Logger;
  message: string;
  fields?: Record<string, unknown>;
}

function collectingLogger(lines: LogLine[]): Logger {
  const log = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** One sync through the worker path; every log line the main thread receives is kept in `logs`. */
async function workerSync(
  db: Db,
  connectionId: number,
  config: ScimAppConfig,
  options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; onProgress?: (p: SyncProgress) => void; logs?: LogLine[]; workerFile?: string } = {},
): Promise<SyncOutcome> {
  expect(syncWorkerFile && storeWorkerFile, 'run `npm run build` first').toBeTruthy();
  const store = createWorkerSnapshotStore(storeWorkerFile ?? '', db.name);
  try {
    return await syncConnection({
      store,
      connectionId,
      name: config.name,
      poll: pollInWorker({
        workerFile: options.workerFile ?? syncWorkerFile ?? '',
        config,
        baseDir: tempDir(),
        secrets: envSecretStore(options.env ?? { TEST_SCIM_TOKEN: NASTY_TOKEN }),
        store,
      }),
      signal: options.signal ?? new AbortController().signal,
      logger: collectingLogger(options.logs ?? []),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    await store.close();
  }
}

/** A run's snapshot by remote ids only (resource ids differ between databases), with each user's raw resource as stored. */
function snapshotOf(db: Db, connectionId: number, runId: number): { users: unknown[]; groups: unknown[] } {
  const ref = { connectionId, runId };
  const users = snapshotUsers(db, ref);
  const remoteId = new Map(users.map((u) => [u.res, u.remoteId]));
  return {
    users: users
      .map(({ res: _res, ...u }) => ({ ...u, attributes: u.attributes, raw: recordAtRun(db, ref, u.remoteId)?.raw }))
      .sort((a, b) => a.remoteId.localeCompare(b.remoteId)),
    groups: snapshotGroups(db, ref)
      .map(({ res, ...g }) => ({ ...g, members: groupMembers(db, ref, res).map((m) => remoteId.get(m)).sort() }))
      .sort((a, b) => a.remoteId.localeCompare(b.remoteId)),
  };
}

/** A CRM connection with one good snapshot of 5 users, taken through the worker path. */
async function withPreviousSnapshot(): Promise<{ db: Db; app: number; previousRun: number }> {
  const db = openTestDb(tempDir());
  const app = connection(db, 'CRM');
  const first = await workerSync(db, app, scimConfig((await serve({}, 5)).base));
  expect(first.state).toBe('complete');
  return { db, app, previousRun: first.runId };
}

/** The previous snapshot is still the latest, and no row of the ended run is left (its view equals the previous one). */
function expectPreviousKept(db: Db, app: number, previousRun: number, endedRun: number): void {
  expect(latestCompleteRun(db, app)?.id).toBe(previousRun);
  const previous = snapshotOf(db, app, previousRun);
  expect(previous.users).toHaveLength(5);
  expect(snapshotOf(db, app, endedRun)).toEqual(previous);
}

describe('sync in a worker thread', () => {
  it('writes the same complete snapshot as a sync in this thread, with progress and log lines reaching this thread', async () => {
    const server = await serve({}, 230, 3);
    const config = scimConfig(server.base);
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const progress: SyncProgress[] = [];
    const logs: LogLine[] = [];
    const outcome = await workerSync(db, app, config, { onProgress: (p) => progress.push(p), logs });

    expect(outcome.error).toBeNull();
    expect(outcome).toMatchObject({ state: 'complete', totals: { users: 230, groups: 3, memberships: 230 }, coverage: { memberships: 'all' } });
    expect(getRun(db, outcome.runId)?.state).toBe('complete');
    const data = nastyData(230, 3);
    const snapshot = snapshotOf(db, app, outcome.runId);
    expect(snapshot.users).toHaveLength(230);
    expect(snapshot.users[3]).toMatchObject({ remoteId: 'u00003', userName: 'user3@example.com', active: false });
    expect(snapshot.groups).toEqual(data.groups.map((g) => ({ remoteId: g.id, displayName: g.displayName, externalId: null, members: [...g.members].sort() })));

    const reference = openTestDb(tempDir());
    const referenceApp = connection(reference, 'CRM');
    const inThread = await syncScim(reference, referenceApp, config);
    expect(snapshot).toEqual(snapshotOf(reference, referenceApp, inThread.runId));
    expect(outcome.warnings).toEqual(inThread.warnings);

    expect([...new Set(progress.map((p) => p.phase))]).toEqual(['discovery', 'users', 'groups', 'commit']);
    expect(progress.filter((p) => p.phase === 'users').at(-1)).toMatchObject({ pages: 5, resources: 230, total: 230, runId: outcome.runId });
    // The worker's HTTP client logs to the main thread's logger.
    expect(logs.filter((l) => l.level === 'debug' && l.message === 'http request').length).toBeGreaterThanOrEqual(7);
    expect(JSON.stringify(logs)).not.toContain(NASTY_TOKEN);
  });

  it('cancelling mid-listing ends the run as cancelled at once and keeps the previous snapshot', async () => {
    const { db, app, previousRun } = await withPreviousSnapshot();
    // Every Users page after the first trickles for 20 s: only a cancel that reaches the worker ends it sooner.
    const server = await serve({ slowBodyMs: 20_000 });
    const abort = new AbortController();
    const started = performance.now();
    const outcome = await workerSync(db, app, scimConfig(server.base), {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'users' && p.pages === 1) abort.abort();
      },
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(outcome.state).toBe('cancelled');
    expect(outcome.error?.code).toBe('cancelled');
    expect(getRun(db, outcome.runId)).toMatchObject({ state: 'cancelled', errorCode: 'cancelled' });
    expectPreviousKept(db, app, previousRun, outcome.runId);
  });

  it('a server error mid-listing fails the run with its code; nothing of it is kept', async () => {
    const { db, app, previousRun } = await withPreviousSnapshot();
    const server = await serve({ error500From: 60 });
    const logs: LogLine[] = [];
    const outcome = await workerSync(db, app, scimConfig(server.base), { logs });
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.code).toBe('server_error');
    expect(outcome.error?.message).toMatch(/500/);
    expect(getRun(db, outcome.runId)).toMatchObject({ state: 'failed', errorCode: 'server_error' });
    expectPreviousKept(db, app, previousRun, outcome.runId);
    expect(logs.some((l) => l.level === 'warn' && l.message === 'sync failed')).toBe(true);
    expect(JSON.stringify({ logs, outcome })).not.toContain(NASTY_TOKEN);
  });

  it('secrets are resolved by the main thread: a missing one fails as secret_missing, a wrong one as auth_rejected, neither value shown', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const config = scimConfig((await serve({}, 3)).base);
    const missing = await workerSync(db, app, config, { env: {} });
    expect(missing.error).toEqual({ code: 'secret_missing', message: expect.stringMatching(/TEST_SCIM_TOKEN/) });

    const logs: LogLine[] = [];
    const wrong = await workerSync(db, app, config, { env: { TEST_SCIM_TOKEN: 'wrong-token-canary' }, logs });
    expect(wrong.error?.code).toBe('auth_rejected');
    expect(JSON.stringify({ logs, wrong, run: getRun(db, wrong.runId) })).not.toContain('wrong-token-canary');
  });

  it.each([
    ['exits', 'process.exit(3);', /exited \(code 3\) before the sync finished/],
    ['throws', "throw new Error('worker blew up');", /The sync worker stopped: worker blew up/],
  ])('a sync worker that %s fails the run with the reason instead of hanging', async (_how, source, message) => {
    const { db, app, previousRun } = await withPreviousSnapshot();
    const workerFile = join(tempDir(), 'broken-sync-worker.js');
    writeFileSync(workerFile, source);
    const outcome = await workerSync(db, app, scimConfig((await serve({})).base), { workerFile });
    expect(outcome.state).toBe('failed');
    expect(outcome.error).toEqual({ code: 'internal', message: expect.stringMatching(message) });
    expect(getRun(db, outcome.runId)?.state).toBe('failed');
    expectPreviousKept(db, app, previousRun, outcome.runId);
  });
});
