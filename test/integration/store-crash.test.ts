import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SnapshotUser } from '../../src-main/core/analysis/types';
import { describe, expect, it } from 'vitest';
import type { GroupRecord, UserRecord } from '../../src-main/core/model';
import { groupMembers, snapshotGroups, unreadGroups } from '../../src-main/core/store/analysis.repo';
import { openDatabase, type Db } from '../../src-main/core/store/database';
import { getRun, latestCompleteRun, recoverInterruptedRuns } from '../../src-main/core/store/runs.repo';
import { startChild } from '../helpers/child-process';
import { group, user } from '../helpers/snapshot-builders';
import { completeSnapshot, connection, snapshotUsers } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

// A sync killed at any moment (crash, power loss, kill -9) must leave a database that opens, passes
// integrity_check, still serves the previous complete run exactly, and keeps nothing of the dead run.
// The writes happen in a real second process, killed with SIGKILL, so no JavaScript cleanup runs.

const tempDir = useTempDir('driftline-crash-');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('../fixtures/crash-writer.ts', import.meta.url));
// The child runs the TypeScript sources through tsx. package.json has no "type", so tsx compiles our
// `.ts` files (ESM syntax) to CommonJS; its CommonJS hook alone (`--require tsx/cjs`) is enough and
// starts in about a third of the time of `--import tsx`, which also sets up the ESM loader. Both work.

type Mode = 'pages' | 'hold-begun' | 'hold-page' | 'hold-commit';

interface Scenario {
  name: string;
  mode: Mode;
  /** hold modes: how many pages commit before the held transaction. */
  holdAt?: number;
  /** pages mode: the stdout line that triggers the kill, and an extra delay to spread the moment. */
  killOn?: RegExp;
  delayMs?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'right after the run began, before any page', mode: 'hold-begun' },
  { name: 'after 1 committed page', mode: 'pages', killOn: /^committed 0$/m },
  { name: 'after 3 committed pages', mode: 'pages', killOn: /^committed 2$/m },
  { name: 'as page 1 starts', mode: 'pages', killOn: /^writing 1$/m },
  { name: 'inside page 2, 20 ms in', mode: 'pages', killOn: /^writing 2$/m, delayMs: 20 },
  { name: 'inside page 3, 60 ms in', mode: 'pages', killOn: /^writing 3$/m, delayMs: 60 },
  { name: 'inside the group transaction of the first page', mode: 'hold-page', holdAt: 0 },
  { name: 'inside the group transaction of page 3, after 2 committed pages', mode: 'hold-page', holdAt: 2 },
  { name: 'inside the commit transaction (already marked complete), after 2 pages', mode: 'hold-commit', holdAt: 2 },
  { name: 'inside the commit transaction of a run without pages', mode: 'hold-commit', holdAt: 0 },
];

const USERS = 600;
const GROUPS = 10;

/** The complete snapshot the parent writes before kill number `k` (it differs each time, so history builds up). */
function baseline(k: number): { users: UserRecord[]; groups: GroupRecord[] } {
  const users: UserRecord[] = [];
  for (let n = 0; n < USERS; n++) {
    if (n === k) continue; // one user leaves per round
    users.push(user(`u${n}`, { displayName: n % 10 === k % 10 ? `gen ${k}` : null, attributes: { department: `D${n % 7}` } }));
  }
  const groups = Array.from({ length: GROUPS }, (_, g) =>
    group(
      `g${g}`,
      `Group ${g}`,
      users.filter((_, n) => n % GROUPS === g && (n + k) % 4 !== 0).map((u) => u.id),
    ),
  );
  return { users, groups };
}

/** A snapshot user without the store's internal resource id, so snapshots of different runs compare. */
type CanonicalUser = Omit<SnapshotUser, 'res'>;

interface CanonicalSnapshot {
  users: CanonicalUser[];
  groups: Array<{ remoteId: string; displayName: string | null; externalId: string | null; members: string[] }>;
  unread: string[];
}

/** Fixed key order, so two equal users also serialize equally (expectedChanges compares JSON). */
function canonicalUser(u: CanonicalUser): CanonicalUser {
  return {
    remoteId: u.remoteId,
    userName: u.userName,
    externalId: u.externalId,
    email: u.email,
    active: u.active,
    status: u.status,
    givenName: u.givenName,
    familyName: u.familyName,
    displayName: u.displayName,
    attributes: u.attributes,
  };
}

const byRemoteId = (a: { remoteId: string }, b: { remoteId: string }): number => (a.remoteId < b.remoteId ? -1 : a.remoteId > b.remoteId ? 1 : 0);

/** A run's snapshot as the analysis reads it (analysis.repo), with resource ids turned back into remote ids. */
function readSnapshot(db: Db, connectionId: number, runId: number): CanonicalSnapshot {
  const ref = { connectionId, runId };
  const remote = new Map(
    (db.prepare('SELECT id, remote_id AS remoteId FROM resources WHERE connection_id = ?').all(connectionId) as { id: number; remoteId: string }[]).map(
      (r) => [r.id, r.remoteId],
    ),
  );
  const unread = unreadGroups(db, runId);
  const groups = snapshotGroups(db, ref);
  return {
    users: snapshotUsers(db, ref)
      .map(canonicalUser)
      .sort(byRemoteId),
    groups: groups
      .map((g) => ({
        remoteId: g.remoteId,
        displayName: g.displayName,
        externalId: g.externalId,
        members: groupMembers(db, ref, g.res)
          .map((m) => remote.get(m) ?? `#${m}`)
          .sort(),
      }))
      .sort(byRemoteId),
    unread: groups
      .filter((g) => unread.has(g.res))
      .map((g) => g.remoteId)
      .sort(),
  };
}

/** The snapshot a complete run of `data` must produce. */
function expectedSnapshot(data: { users: UserRecord[]; groups: GroupRecord[] }): CanonicalSnapshot {
  return {
    users: data.users
      .map((u) => canonicalUser({ ...u, remoteId: u.id }))
      .sort(byRemoteId),
    groups: data.groups
      .map((g) => ({ remoteId: g.id, displayName: g.displayName, externalId: g.externalId, members: (g.members ?? []).map((m) => m.value).sort() }))
      .sort(byRemoteId),
    unread: [],
  };
}

/** What a run changing `before` into `after` must report, computed independently of the store. */
function expectedChanges(before: CanonicalSnapshot, after: CanonicalSnapshot): Record<string, number> {
  const oldUsers = new Map(before.users.map((u) => [u.remoteId, JSON.stringify(u)]));
  const newUsers = new Map(after.users.map((u) => [u.remoteId, JSON.stringify(u)]));
  const pairs = (s: CanonicalSnapshot): Set<string> => new Set(s.groups.flatMap((g) => g.members.map((m) => `${g.remoteId}/${m}`)));
  const oldPairs = pairs(before);
  const newPairs = pairs(after);
  return {
    usersAdded: [...newUsers.keys()].filter((id) => !oldUsers.has(id)).length,
    usersChanged: [...newUsers].filter(([id, u]) => oldUsers.has(id) && oldUsers.get(id) !== u).length,
    usersRemoved: [...oldUsers.keys()].filter((id) => !newUsers.has(id)).length,
    membershipsAdded: [...newPairs].filter((p) => !oldPairs.has(p)).length,
    membershipsRemoved: [...oldPairs].filter((p) => !newPairs.has(p)).length,
  };
}

const TABLES = ['resources', 'user_versions', 'group_versions', 'memberships', 'raw_chunks', 'run_unread_groups'] as const;

function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]));
}

/** Every row that still names `runId`: all must be gone once the run is discarded. */
function rowsOfRun(db: Db, runId: number): Record<string, number> {
  const n = (sql: string): number => db.prepare(sql).pluck().get(runId) as number;
  return {
    userVersionsFrom: n('SELECT count(*) FROM user_versions WHERE from_run = ?'),
    userVersionsTo: n('SELECT count(*) FROM user_versions WHERE to_run = ?'),
    groupVersionsFrom: n('SELECT count(*) FROM group_versions WHERE from_run = ?'),
    groupVersionsTo: n('SELECT count(*) FROM group_versions WHERE to_run = ?'),
    membershipsFrom: n('SELECT count(*) FROM memberships WHERE from_run = ?'),
    membershipsTo: n('SELECT count(*) FROM memberships WHERE to_run = ?'),
    rawChunks: n('SELECT count(*) FROM raw_chunks WHERE first_run = ?'),
    unreadGroups: n('SELECT count(*) FROM run_unread_groups WHERE run_id = ?'),
  };
}

function capabilitiesOf(db: Db, connectionId: number): string | null {
  return db.prepare('SELECT capabilities_json FROM connections WHERE id = ?').pluck().get(connectionId) as string | null;
}

interface KillOutcome {
  runId: number;
  /** The child's stdout lines, complete up to the moment it died. */
  lines: string[];
}

/** Starts the writer child on `dbPath`, SIGKILLs it at the scenario's moment, and waits until it is reaped. */
async function runAndKill(dbPath: string, connectionId: number, s: Scenario): Promise<KillOutcome> {
  const child = startChild(process.execPath, ['--require', 'tsx/cjs', WRITER, dbPath, String(connectionId), s.mode, String(s.holdAt ?? 0)], {
    cwd: ROOT,
  });
  try {
    const trigger = s.mode === 'pages' ? (s.killOn ?? /^committed 0$/m) : /^holding$/m;
    await child.waitForStdout((out) => (trigger.test(out) ? true : undefined), 20_000);
    if (s.delayMs) await new Promise((resolve) => setTimeout(resolve, s.delayMs));
    child.process.kill('SIGKILL');
    // After 'close' the child is reaped: its pid no longer answers kill(pid, 0), which is how recovery tells a dead owner.
    const exit = await child.closed;
    expect(exit.signal, child.stderr()).toBe('SIGKILL');
  } finally {
    if (!child.hasExited()) {
      child.process.kill('SIGKILL');
      await child.closed;
    }
  }
  const lines = child.stdout().split('\n').filter(Boolean);
  const runId = Number(/^begun (\d+)$/m.exec(child.stdout())?.[1]);
  expect(runId, child.stdout()).toBeGreaterThan(0);
  return { runId, lines };
}

describe('a sync run killed mid-write (SIGKILL of a real writer process)', () => {
  it(
    'leaves an intact database: the killed run is discarded, the earlier run is exactly as before, and the next run completes',
    async () => {
      const dbPath = join(tempDir(), 'driftline.db');
      let db = openDatabase(dbPath);
      const app = connection(db, 'CRM');
      const first = baseline(0);
      let earlier = await completeSnapshot(db, app, first);
      expect(readSnapshot(db, app, earlier)).toEqual(expectedSnapshot(first));
      db.close();

      const killedMidPage: string[] = [];
      for (const [k, scenario] of SCENARIOS.entries()) {
        db = openDatabase(dbPath);
        const before = { snapshot: readSnapshot(db, app, earlier), counts: rowCounts(db), capabilities: capabilitiesOf(db, app) };
        db.close();

        const { runId, lines } = await runAndKill(dbPath, app, scenario);
        const last = lines.at(-1) ?? '';
        // The held scenarios must have died where they were aimed, or they test nothing.
        if (scenario.mode !== 'pages') expect(last, scenario.name).toBe('holding');
        if (scenario.mode === 'hold-begun') expect(lines, scenario.name).toEqual([`begun ${runId}`, 'holding']);
        if (scenario.mode === 'hold-page' || scenario.mode === 'hold-commit' || /^writing \d+$/.test(last)) killedMidPage.push(scenario.name);

        db = openDatabase(dbPath);
        expect(db.pragma('integrity_check', { simple: true }), scenario.name).toBe('ok');
        expect(db.pragma('foreign_key_check'), scenario.name).toEqual([]);
        // Even the held commit, which had already set state = 'complete', must not have become visible.
        expect(getRun(db, runId)?.state, scenario.name).toBe('running');
        expect(latestCompleteRun(db, app)?.id, scenario.name).toBe(earlier);

        expect(recoverInterruptedRuns(db), scenario.name).toEqual([runId]);
        expect(getRun(db, runId), scenario.name).toMatchObject({ state: 'failed', errorCode: 'run_interrupted' });
        expect(db.pragma('integrity_check', { simple: true }), scenario.name).toBe('ok');
        expect(latestCompleteRun(db, app)?.id, scenario.name).toBe(earlier);
        expect(readSnapshot(db, app, earlier), scenario.name).toEqual(before.snapshot);
        expect(rowsOfRun(db, runId), scenario.name).toEqual({
          userVersionsFrom: 0,
          userVersionsTo: 0,
          groupVersionsFrom: 0,
          groupVersionsTo: 0,
          membershipsFrom: 0,
          membershipsTo: 0,
          rawChunks: 0,
          unreadGroups: 0,
        });
        expect(rowCounts(db), scenario.name).toEqual(before.counts);
        // completeRun's last write (the connection's capabilities) went down with its transaction.
        expect(capabilitiesOf(db, app), scenario.name).toBe(before.capabilities);

        // The next run completes normally, and its change counts show that the open-version
        // bookkeeping (to_run IS NULL) was fully restored: nothing double-counted or lost.
        const next = baseline(k + 1);
        const nextRun = await completeSnapshot(db, app, next);
        expect(readSnapshot(db, app, nextRun), scenario.name).toEqual(expectedSnapshot(next));
        expect(getRun(db, nextRun)?.changes, scenario.name).toMatchObject(expectedChanges(before.snapshot, expectedSnapshot(next)));
        // History stays readable too: the earlier run still reads as it did.
        expect(readSnapshot(db, app, earlier), scenario.name).toEqual(before.snapshot);
        db.close();
        earlier = nextRun;
      }
      // The 4 hold-page/hold-commit scenarios die inside a product transaction for sure; with pages
      // taking ~100 ms, the kills aimed at "writing"/"committed" almost always land inside a page too.
      expect(killedMidPage.length).toBeGreaterThanOrEqual(6);
    },
    // ~10 s on an idle machine; generous because the whole suite shares the CPUs.
    120_000,
  );
});
