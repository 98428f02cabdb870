import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { GroupRecord, MemberRef } from '../../src-main/core/model';
import { ACTIVE_BY_RES_SQL, activeByRes, groupMembers, ruleCandidates, snapshotGroups, unreadGroups } from '../../src-main/core/store/analysis.repo';
import { migrate, migrationHash, openDatabase, PAGE_SIZE } from '../../src-main/core/store/database';
import { MIGRATIONS } from '../../src-main/core/store/migrations';
import { beginRun, completeRun, failRun, getRun, latestCompleteRun, recoverInterruptedRuns } from '../../src-main/core/store/runs.repo';
import { createLocalSnapshotStore } from '../../src-main/core/store/snapshot-store';
import { createSnapshotWriter } from '../../src-main/core/store/snapshot-writer';
import { group, user } from '../helpers/snapshot-builders';
import { completeSnapshot, connection, FULL_COVERAGE, openTestDb, snapshotUsers } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();

function count(db: ReturnType<typeof openTestDb>, sql: string): number {
  return (db.prepare(sql).pluck().get() as number) ?? 0;
}

/** A database migrated only up to `version`, with one connection and one complete run whose raw chunk is id 1. */
function databaseAt(version: number): { file: string; old: Database.Database; app: number; run: number } {
  const file = join(tempDir(), 'driftline.db');
  const old = new Database(file);
  migrate(old, MIGRATIONS.filter((m) => m.version <= version));
  const app = connection(old, 'CRM');
  const run = Number(old.prepare("INSERT INTO sync_runs (connection_id, state, started_at) VALUES (?, 'complete', 'then')").run(app).lastInsertRowid);
  old.prepare("INSERT INTO raw_chunks (id, connection_id, first_run, body) VALUES (1, ?, ?, x'')").run(app, run);
  return { file, old, app, run };
}

describe('database', () => {
  it('applies the migrations with their hash, sets the pragmas, and creates the file 0600', async () => {
    const dir = tempDir();
    const db = openTestDb(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const rows = db.prepare('SELECT version, sha256 FROM schema_migrations').all() as { version: number; sha256: string }[];
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, sha256: migrationHash(m.sql) })));
    db.close();
    expect(statSync(join(dir, 'driftline.db')).mode & 0o777).toBe(0o600);
    openTestDb(dir).close();
  });

  it('creates a new database with 16 KiB pages, and opens one made with 4 KiB pages as it is', () => {
    const fresh = openTestDb(tempDir());
    expect(fresh.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    fresh.close();

    const file = join(tempDir(), 'old.db');
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE kept (x INTEGER) STRICT; INSERT INTO kept VALUES (42)');
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.prepare('SELECT x FROM kept').pluck().get()).toBe(42);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses a database whose applied migration was edited', async () => {
    const dir = tempDir();
    const db = openTestDb(dir);
    db.prepare('UPDATE schema_migrations SET sha256 = ? WHERE version = 1').run('0'.repeat(64));
    db.close();
    expect(() => openTestDb(dir)).toThrowError(expect.objectContaining({ code: 'db_incompatible' }));
  });

  it('refuses a database written by a newer version', async () => {
    const dir = tempDir();
    const db = openTestDb(dir);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')").run();
    db.close();
    expect(() => openTestDb(dir)).toThrowError(/newer Driftline/);
  });

  it('upgrades version-2 snapshots in place: attribute names coded, folded keys only where they differ', async () => {
    const { file, old, app, run } = databaseAt(2);
    const insert = old.prepare(
      `INSERT INTO user_versions (resource_id, connection_id, from_run, raw_chunk, raw_offset, raw_length, content_hash, user_name, user_name_lc, email, email_lc, active, attributes_json)
       VALUES (?, ?, ?, 1, 0, 0, randomblob(16), ?, lower(?), ?, lower(?), 1, ?)`,
    );
    for (const [id, userName, attributes] of [
      ['a', 'Ann@X.com', { title: 'Engineer', department: null }],
      ['b', 'bob@x.com', null],
    ] as const) {
      const res = Number(old.prepare("INSERT INTO resources (connection_id, kind, remote_id) VALUES (?, 'user', ?)").run(app, id).lastInsertRowid);
      insert.run(res, app, run, userName, userName, userName.toLowerCase(), userName.toLowerCase(), attributes ? JSON.stringify(attributes) : null);
    }
    old.close();

    const db = openDatabase(file);
    expect(snapshotUsers(db, { connectionId: app, runId: run }).map((u) => [u.remoteId, u.attributes])).toEqual([
      ['a', { title: 'Engineer', department: null }],
      ['b', {}],
    ]);
    expect(db.prepare('SELECT user_name_lc, email_lc, length(content_hash) FROM user_versions ORDER BY id').raw().all()).toEqual([
      ['ann@x.com', null, 8],
      [null, null, 8],
    ]);
    const idp = connection(db, 'HR', 'idp');
    const idpRun = await completeSnapshot(db, idp, { users: [user('i1', { userName: 'ann@x.com' }), user('i2', { userName: 'BOB@x.com' })] });
    const [pairs] = ruleCandidates(db, { connectionId: app, runId: run }, { connectionId: idp, runId: idpRun }, [{ appKey: 'userName', idpKey: 'userName', fold: true }]);
    expect(pairs?.app).toHaveLength(2);
  });

  it('upgrades to version 4 by deleting the resources that runs failed before it left behind', async () => {
    const { file, old, app, run } = databaseAt(3);
    const resource = old.prepare("INSERT INTO resources (connection_id, kind, remote_id) VALUES (?, ?, ?)");
    const [u, g, member] = [['user', 'u'], ['group', 'g'], ['user', 'm'], ['user', 'left-behind']].map(([kind, id]) =>
      Number(resource.run(app, kind, id).lastInsertRowid),
    );
    old.prepare("INSERT INTO user_versions (resource_id, connection_id, from_run, raw_chunk, raw_offset, raw_length, content_hash, active) VALUES (?, ?, ?, 1, 0, 0, x'00', 1)").run(u, app, run);
    old.prepare("INSERT INTO group_versions (resource_id, connection_id, from_run, raw_chunk, raw_offset, raw_length, content_hash) VALUES (?, ?, ?, 1, 0, 0, x'00')").run(g, app, run);
    old.prepare('INSERT INTO memberships (connection_id, group_id, member_id, from_run) VALUES (?, ?, ?, ?)').run(app, g, member, run);
    old.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT remote_id FROM resources ORDER BY id').pluck().all()).toEqual(['u', 'g', 'm']);
    db.close();
  });


  it("upgrades to version 5: every user's `active` in a snapshot is read from an index alone", () => {
    const { file, old, app, run } = databaseAt(4);
    const resource = old.prepare("INSERT INTO resources (connection_id, kind, remote_id) VALUES (?, 'user', ?)");
    const version = old.prepare(
      'INSERT INTO user_versions (resource_id, connection_id, from_run, to_run, raw_chunk, raw_offset, raw_length, content_hash, active) VALUES (?, ?, ?, ?, 1, 0, 0, x\'00\', ?)',
    );
    const later = Number(old.prepare("INSERT INTO sync_runs (connection_id, state, started_at) VALUES (?, 'complete', 'now')").run(app).lastInsertRowid);
    const id = (remoteId: string): number => Number(resource.run(app, remoteId).lastInsertRowid);
    const [a, b, c] = [id('a'), id('b'), id('c')];
    version.run(a, app, run, null, 1);
    version.run(b, app, run, later, 1);
    version.run(b, app, later, null, 0);
    version.run(c, app, later, null, null);
    old.close();

    const db = openDatabase(file);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${ACTIVE_BY_RES_SQL}`).all({ c: app, r: later }) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail)).toEqual([expect.stringContaining('USING COVERING INDEX user_versions_by_run')]);
    const activity = (r: number): Array<[number, boolean | null | undefined]> => [a, b, c].map((res) => [res, activeByRes(db, { connectionId: app, runId: r }).get(res)]);
    expect(activity(run)).toEqual([[a, true], [b, true], [c, undefined]]);
    expect(activity(later)).toEqual([[a, true], [b, false], [c, null]]);
    db.close();
  });
  it('upgrades to version 6: no email index until an analysis matches on email, which creates it and correlates through it', async () => {
    const { file, old } = databaseAt(5);
    const hasEmailIndex = (db: Database.Database): boolean =>
      db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'user_versions_email'").pluck().get() === 1;
    expect(hasEmailIndex(old)).toBe(true);
    old.close();

    const db = openDatabase(file);
    expect(hasEmailIndex(db)).toBe(false);
    const app = connection(db, 'App');
    const idp = connection(db, 'IdP');
    const appRun = await completeSnapshot(db, app, { users: [user('a1', { email: 'Pat@Example.com' }), user('a2', { email: 'lee@example.com' })] });
    const idpRun = await completeSnapshot(db, idp, { users: [user('i1', { email: 'pat@example.com' }), user('i2', { email: 'kim@example.com' })] });
    const refs = { app: { connectionId: app, runId: appRun }, idp: { connectionId: idp, runId: idpRun } };
    const resOf = (remoteId: string): number => db.prepare('SELECT id FROM resources WHERE remote_id = ?').pluck().get(remoteId) as number;

    ruleCandidates(db, refs.app, refs.idp, [{ appKey: 'userName', idpKey: 'userName', fold: true }]);
    expect(hasEmailIndex(db)).toBe(false);
    const [byEmail] = ruleCandidates(db, refs.app, refs.idp, [{ appKey: 'email', idpKey: 'email', fold: true }]);
    expect(hasEmailIndex(db)).toBe(true);
    expect(byEmail).toEqual({ app: [resOf('a1')], idp: [resOf('i1')] });
    // Kept from then on: a later sync writes its entries like any other index's.
    await completeSnapshot(db, idp, { users: [user('i1', { email: 'pat@example.com' }), user('i3', { email: 'lee@example.com' })] });
    expect(db.prepare("SELECT count(*) FROM user_versions INDEXED BY user_versions_email WHERE connection_id = ? AND coalesce(email_lc, email) = 'lee@example.com'").pluck().get(idp)).toBe(1);
    db.close();
  });

  it('refuses a file that is not a database', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'driftline.db'), 'this is not sqlite'.repeat(100));
    expect(() => openDatabase(join(dir, 'driftline.db'))).toThrowError(expect.objectContaining({ code: 'db_corrupt' }));
  });
});

describe('versioned snapshots', () => {
  it('keeps every complete run readable and stores only what changed', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const run1 = await completeSnapshot(db, app, {
      users: [user('a'), user('b'), user('c')],
      groups: [group('g1', 'Sales', ['a', 'b']), group('g2', 'Ops', ['c'])],
    });
    const run2 = await completeSnapshot(db, app, {
      users: [user('a', { displayName: 'A changed' }), user('b'), user('d')],
      groups: [group('g1', 'Sales', ['a', 'd'])],
    });

    const names = (runId: number): string[] => snapshotUsers(db, { connectionId: app, runId }).map((u) => u.remoteId).sort();
    expect(names(run1)).toEqual(['a', 'b', 'c']);
    expect(names(run2)).toEqual(['a', 'b', 'd']);
    expect(snapshotUsers(db, { connectionId: app, runId: run2 }).find((u) => u.remoteId === 'a')?.displayName).toBe('A changed');
    expect(snapshotGroups(db, { connectionId: app, runId: run2 }).map((g) => g.remoteId)).toEqual(['g1']);

    const g1 = snapshotGroups(db, { connectionId: app, runId: run1 }).find((g) => g.remoteId === 'g1');
    const idsOf = (runId: number): string[] =>
      groupMembers(db, { connectionId: app, runId }, g1?.res ?? -1)
        .map((res) => snapshotUsers(db, { connectionId: app, runId }).find((u) => u.res === res)?.remoteId ?? `#${res}`)
        .sort();
    expect(idsOf(run1)).toEqual(['a', 'b']);
    expect(idsOf(run2)).toEqual(['a', 'd']);

    const r2 = getRun(db, run2);
    expect(r2?.state).toBe('complete');
    expect(r2?.changes).toMatchObject({ usersAdded: 1, usersChanged: 1, usersRemoved: 1, groupsRemoved: 1, membershipsAdded: 1 });
    expect(r2?.userCount).toBe(3);
    expect(r2?.membershipCount).toBe(2);
    // Unchanged users (b) and groups (g1) write nothing: only a' and d are new, in one raw chunk.
    expect(count(db, `SELECT count(*) FROM user_versions WHERE from_run = ${run2}`)).toBe(2);
    expect(count(db, `SELECT count(*) FROM group_versions WHERE from_run = ${run2}`)).toBe(0);
    expect(count(db, `SELECT count(*) FROM raw_chunks WHERE first_run = ${run2}`)).toBe(1);
  });

  it('writes each member once, resolves untyped members to a known user or group, and records what a new list changed', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const untyped = (id: string, displayName: string, values: string[]): GroupRecord => ({
      ...group(id, displayName, []),
      members: values.map((value) => ({ value, type: null })),
    });
    const run1 = await completeSnapshot(db, app, {
      users: [user('a'), user('b'), user('c')],
      groups: [group('g1', 'Sales', ['c', 'a', 'b', 'a']), untyped('g2', 'Everyone', ['g1', 'b', 'b'])],
    });
    expect(getRun(db, run1)?.membershipCount).toBe(5);
    // "g1" is the group, not a new user of that id.
    expect(count(db, "SELECT count(*) FROM resources WHERE remote_id = 'g1'")).toBe(1);
    expect(count(db, "SELECT count(*) FROM resources WHERE remote_id = 'g1' AND kind = 'group'")).toBe(1);

    const run2 = await completeSnapshot(db, app, {
      users: [user('a'), user('b'), user('c'), user('d')],
      groups: [group('g1', 'Sales', ['d', 'b', 'd']), untyped('g2', 'Everyone', ['b', 'g1'])],
    });
    expect(getRun(db, run2)?.changes).toMatchObject({ membershipsAdded: 1, membershipsRemoved: 2 });
    expect(getRun(db, run2)?.membershipCount).toBe(4);
    const members = (runId: number, groupId: string): string[] => {
      const g = snapshotGroups(db, { connectionId: app, runId }).find((x) => x.remoteId === groupId);
      const names = new Map(
        [...snapshotUsers(db, { connectionId: app, runId }), ...snapshotGroups(db, { connectionId: app, runId })].map((r) => [r.res, r.remoteId]),
      );
      return groupMembers(db, { connectionId: app, runId }, g?.res ?? -1)
        .map((res) => names.get(res) ?? `#${res}`)
        .sort();
    };
    expect(members(run1, 'g1')).toEqual(['a', 'b', 'c']);
    expect(members(run2, 'g1')).toEqual(['b', 'd']);
    expect(members(run2, 'g2')).toEqual(['b', 'g1']);
  });

  it("finds a member through its userIndex hint only when the hinted user has the member's id, else by the id", async () => {
    const db = openTestDb(tempDir());
    const idp = connection(db, 'HR', 'idp');
    const hinted = (value: string, userIndex: number): MemberRef => ({ value, type: 'User', userIndex });
    const runId = await completeSnapshot(db, idp, {
      users: [user('a'), user('b'), user('c')],
      groups: [
        // Right hints (c is the third user handed over), a hint at someone else (index 1 is b), one
        // past the end, and one at a whose value names a user never listed.
        { ...group('g1', 'Sales', []), members: [hinted('c', 2), hinted('a', 1), hinted('b', 99), hinted('x', 0)] },
      ],
    });
    const ref = { connectionId: idp, runId };
    const names = new Map(snapshotUsers(db, ref).map((u) => [u.res, u.remoteId]));
    const byId = new Map(db.prepare('SELECT id, remote_id FROM resources').raw().all() as Array<[number, string]>);
    const g1 = snapshotGroups(db, ref).find((g) => g.remoteId === 'g1');
    expect(groupMembers(db, ref, g1?.res ?? -1).map((res) => byId.get(res)).sort()).toEqual(['a', 'b', 'c', 'x']);
    expect([...names.values()].sort()).toEqual(['a', 'b', 'c']);
    expect(count(db, "SELECT count(*) FROM resources WHERE remote_id = 'x' AND kind = 'user'")).toBe(1);
  });

  it('keeps a running run invisible, and a failed run leaves no trace', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const run1 = await completeSnapshot(db, app, { users: [user('a'), user('b')], groups: [group('g', 'G', ['a'])] });
    const before = {
      resources: count(db, 'SELECT count(*) FROM resources'),
      versions: count(db, 'SELECT count(*) FROM user_versions'),
      raw: count(db, 'SELECT count(*) FROM raw_chunks'),
      memberships: count(db, 'SELECT count(*) FROM memberships'),
    };
    const run2 = beginRun(db, app);
    const writer = await createSnapshotWriter(db, run2, app);
    writer.users([user('a', { displayName: 'changed' }), user('z')]);
    writer.groups([group('g', 'G', ['b', 'unknown-member']), group('g2', 'New group', ['z'])]);
    expect(count(db, 'SELECT count(*) FROM resources')).toBe(before.resources + 3);
    expect(latestCompleteRun(db, app)?.id).toBe(run1);
    expect(snapshotUsers(db, { connectionId: app, runId: run1 }).map((u) => [u.remoteId, u.displayName])).toEqual([
      ['a', null],
      ['b', null],
    ]);

    failRun(db, run2, 'failed', { code: 'server_error', message: 'boom' });
    expect(getRun(db, run2)).toMatchObject({ state: 'failed', errorCode: 'server_error', errorMessage: 'boom' });
    // The identities the run created (z, g2 and a member nobody listed) go with it.
    expect(count(db, 'SELECT count(*) FROM resources')).toBe(before.resources);
    expect(count(db, 'SELECT count(*) FROM user_versions')).toBe(before.versions);
    expect(count(db, 'SELECT count(*) FROM raw_chunks')).toBe(before.raw);
    expect(count(db, 'SELECT count(*) FROM memberships')).toBe(before.memberships);
    expect(count(db, 'SELECT count(*) FROM user_versions WHERE to_run IS NOT NULL')).toBe(0);
    const run3 = await completeSnapshot(db, app, { users: [user('a'), user('b')], groups: [group('g', 'G', ['a'])] });
    expect(getRun(db, run3)?.changes).toMatchObject({ usersAdded: 0, usersChanged: 0, usersRemoved: 0, membershipsAdded: 0 });
  });

  it('deletes the resources of a failed run begun before runs recorded their resource floor', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    await completeSnapshot(db, app, { users: [user('a'), user('b')], groups: [group('g', 'G', ['a'])] });
    const run = beginRun(db, app);
    db.prepare('UPDATE sync_runs SET resource_floor = NULL WHERE id = ?').run(run);
    const writer = await createSnapshotWriter(db, run, app);
    writer.users([user('a'), user('z')]);
    writer.groups([group('g2', 'New', ['y'])]);
    failRun(db, run, 'failed', { code: 'server_error', message: 'boom' });
    expect(db.prepare('SELECT remote_id FROM resources ORDER BY id').pluck().all()).toEqual(['a', 'b', 'g']);
  });

  it('fails a run whose page broke halfway without touching a run that shared its batch transaction', async () => {
    const dir = tempDir();
    const setup = openTestDb(dir);
    const [app, idp] = [connection(setup, 'CRM'), connection(setup, 'HR', 'idp')];
    const run1 = await completeSnapshot(setup, app, { users: [user('a'), user('b')], groups: [group('g', 'G', ['a'])] });
    setup.close();

    const store = createLocalSnapshotStore(join(dir, 'driftline.db'));
    const [appRun, idpRun] = [await store.beginRun(app), await store.beginRun(idp)];
    const [appSink, idpSink] = [await store.sink(appRun, app), await store.sink(idpRun, idp)];
    await idpSink.users([user('p1'), user('p2')]);
    // The second record cannot be bound: the page throws after the first was written (and 'a' closed).
    const broken = [user('a', { displayName: 'changed' }), { ...user('c'), userName: {} as unknown as string }];
    await expect(appSink.users(broken)).rejects.toThrow();
    await idpSink.users([user('p3')]);
    await store.failRun(appRun, 'failed', { code: 'internal', message: 'page broke' });
    await store.completeRun(idpRun, { coverage: FULL_COVERAGE, capabilities: {}, warnings: [] });
    await store.close();

    const db = openTestDb(dir);
    expect(latestCompleteRun(db, app)?.id).toBe(run1);
    expect(count(db, `SELECT count(*) FROM user_versions WHERE from_run = ${appRun}`)).toBe(0);
    expect(count(db, `SELECT count(*) FROM user_versions WHERE to_run = ${appRun}`)).toBe(0);
    expect(count(db, `SELECT count(*) FROM raw_chunks WHERE first_run = ${appRun}`)).toBe(0);
    expect(db.prepare(`SELECT connection_id, remote_id FROM resources ORDER BY id`).raw().all()).toEqual([
      [app, 'a'],
      [app, 'b'],
      [app, 'g'],
      [idp, 'p1'],
      [idp, 'p2'],
      [idp, 'p3'],
    ]);
    expect(snapshotUsers(db, { connectionId: app, runId: run1 }).map((u) => [u.remoteId, u.displayName])).toEqual([
      ['a', null],
      ['b', null],
    ]);
    expect(snapshotUsers(db, { connectionId: idp, runId: idpRun }).map((u) => u.remoteId)).toEqual(['p1', 'p2', 'p3']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('does not drop users or groups a partial listing did not see', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    await completeSnapshot(db, app, { users: [user('a'), user('b')], groups: [group('g', 'G', ['a'])] });
    const run2 = await completeSnapshot(db, app, { users: [user('a')], groups: [] }, { ...FULL_COVERAGE, users: false, groups: false });
    expect(snapshotUsers(db, { connectionId: app, runId: run2 }).map((u) => u.remoteId).sort()).toEqual(['a', 'b']);
    expect(snapshotGroups(db, { connectionId: app, runId: run2 })).toHaveLength(1);
  });

  it('keeps last known members of an unreadable group and marks it unread for that run', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    await completeSnapshot(db, app, { users: [user('a')], groups: [group('g', 'G', ['a'])] });
    const run2 = await completeSnapshot(db, app, { users: [user('a')], groups: [group('g', 'G', null)] });
    const g = snapshotGroups(db, { connectionId: app, runId: run2 })[0];
    expect(g && unreadGroups(db, run2).has(g.res)).toBe(true);
    expect(g && groupMembers(db, { connectionId: app, runId: run2 }, g.res)).toHaveLength(1);
    // A group listed but never given a member list counts as unread too.
    const run3 = await completeSnapshot(db, app, { users: [user('a')], groups: [group('g', 'G', undefined)] });
    expect(g && unreadGroups(db, run3).has(g.res)).toBe(true);
  });

  it('skips a resource listed twice in one run (paging under concurrent change), first one wins', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const run = beginRun(db, app);
    const writer = await createSnapshotWriter(db, run, app);
    writer.users([user('a', { displayName: 'first' })]);
    writer.users([user('a', { displayName: 'second' }), user('b')]);
    const out = completeRun(db, run, writer, { coverage: FULL_COVERAGE, capabilities: {}, warnings: [] });
    expect(out.changes.duplicatesSkipped).toBe(1);
    expect(snapshotUsers(db, { connectionId: app, runId: run }).find((u) => u.remoteId === 'a')?.displayName).toBe('first');
  });

  it('refuses a second concurrent run of one connection, and recovers runs of dead processes', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const run1 = await completeSnapshot(db, app, { users: [user('a')] });
    const running = beginRun(db, app);
    expect(() => beginRun(db, app)).toThrowError(expect.objectContaining({ code: 'run_in_progress' }));
    // Pretend the run belongs to a process that no longer exists.
    db.prepare('UPDATE sync_runs SET owner_pid = ? WHERE id = ?').run(2 ** 22 + 12345, running);
    (await createSnapshotWriter(db, running, app)).users([user('x')]);
    expect(recoverInterruptedRuns(db)).toEqual([running]);
    expect(getRun(db, running)).toMatchObject({ state: 'failed', errorCode: 'run_interrupted' });
    expect(latestCompleteRun(db, app)?.id).toBe(run1);
    expect(count(db, `SELECT count(*) FROM user_versions WHERE from_run = ${running}`)).toBe(0);
  });
});
