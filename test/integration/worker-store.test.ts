import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotGroups } from '../../src-main/core/store/analysis.repo';
import { getRun } from '../../src-main/core/store/runs.repo';
import { createWorkerSnapshotStore } from '../../src-main/core/store/worker-snapshot-store';
import { builtWorkerFile } from '../../src-main/core/util/built-worker';
import { connection, FULL_COVERAGE, openTestDb, snapshotUsers } from '../helpers/store';
import { group, user } from '../helpers/snapshot-builders';
import { useTempDir } from '../helpers/temp-dir';

// The store the built app uses: pages written by a worker thread. npm test builds first, so the
// bundled worker exists.
const workerFile = builtWorkerFile('snapshot-worker', join(__dirname, '..', '..', 'out', 'main'));
const tempDir = useTempDir();

describe('worker snapshot store', () => {
  it('writes a run in a worker thread and commits it visibly to the main connection', async () => {
    expect(workerFile, 'run `npm run build` first').not.toBeNull();
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const store = createWorkerSnapshotStore(workerFile ?? '', db.name);
    try {
      // Its thread and the analysis helper thread that thread starts are both up.
      await expect(store.ready()).resolves.toBeUndefined();
      const runId = await store.beginRun(app);
      const sink = await store.sink(runId, app);
      await sink.users(Array.from({ length: 2500 }, (_, i) => user(`u${i}`)));
      await sink.groups([group('g1', 'Sales', ['u1', 'u2'])]);
      await sink.members('g2', null);
      expect(getRun(db, runId)?.state).toBe('running');
      const out = await store.completeRun(runId, { coverage: FULL_COVERAGE, capabilities: {}, warnings: [] });
      expect(out.totals).toEqual({ users: 2500, groups: 1, memberships: 2 });
      expect(getRun(db, runId)?.state).toBe('complete');
      expect(snapshotUsers(db, { connectionId: app, runId })).toHaveLength(2500);
      expect(snapshotGroups(db, { connectionId: app, runId }).map((g) => g.remoteId)).toEqual(['g1']);
    } finally {
      await store.close();
    }
  });

  it('reports the worker side errors as typed errors, and rolls a failed run back', async () => {
    const db = openTestDb(tempDir());
    const app = connection(db, 'CRM');
    const store = createWorkerSnapshotStore(workerFile ?? '', db.name);
    try {
      await expect(store.completeRun(999, { coverage: FULL_COVERAGE, capabilities: {}, warnings: [] })).rejects.toThrowError(/no open sink/);
      const runId = await store.beginRun(app);
      const sink = await store.sink(runId, app);
      await sink.users([user('a')]);
      await expect(store.beginRun(app)).rejects.toMatchObject({ code: 'run_in_progress' });
      await store.failRun(runId, 'failed', { code: 'server_error', message: 'boom' });
      expect(getRun(db, runId)).toMatchObject({ state: 'failed', errorCode: 'server_error' });
      expect(db.prepare('SELECT count(*) FROM user_versions').pluck().get()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
