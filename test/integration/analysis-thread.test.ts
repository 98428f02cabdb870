import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scimAppSchema } from '../../src-main/core/config/schema';
import { analyzeApp } from '../../src-main/core/findings/analyze-app';
import { listFindings } from '../../src-main/core/store/findings.repo';
import { inlineAnalysisThread, threadedAnalysisThread, type AnalysisThread } from '../../src-main/core/store/analysis-thread';
import type { Db } from '../../src-main/core/store/database';
import { DriftlineError } from '../../src-main/core/errors';
import { builtWorkerFile } from '../../src-main/core/util/built-worker';
import { group, user } from '../helpers/snapshot-builders';
import { completeSnapshot, connection, openTestDb } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

// The built app reads activity and compares memberships in a thread of its own (npm test builds
// first, so the bundled worker exists); it must find exactly what the analysis thread finds alone.
const workerFile = builtWorkerFile('analysis-worker', join(__dirname, '..', '..', 'out', 'main'));
const tempDir = useTempDir();
const config = scimAppSchema.parse({
  name: 'CRM',
  type: 'scim',
  baseUrl: 'https://crm.example.com/scim/v2',
  auth: { type: 'bearer', token: { env: 'X' } },
  // Two rules: the helper thread joins the second while the analysis thread joins the first.
  match: [
    { app: 'externalId', idp: 'id' },
    { app: 'userName', idp: 'userName' },
  ],
  groups: { match: 'displayName' },
});

const people = ['ann', 'bob', 'cy', 'dee'];
const appGroups = [
  group('ag1', 'Sales', ['a-ann', 'a-cy']),
  group('ag2', 'Ops', ['a-cy']),
  group('ag3', 'Eng', ['a-ann', 'a-dee']),
  group('ag4', 'HR', []),
  group('ag5', 'Legal', ['a-dee']),
];

async function tenant(): Promise<{ db: Db; app: number; idp: number }> {
  const db = openTestDb(tempDir());
  const idp = connection(db, 'HR', 'idp');
  const app = connection(db, 'CRM', 'app');
  await completeSnapshot(db, idp, {
    users: people.map((p) => user(`i-${p}`, { userName: `${p}@x.com` })),
    groups: [
      group('ig1', 'Sales', ['i-ann', 'i-bob']),
      group('ig2', 'Ops', ['i-cy', 'i-dee']),
      group('ig3', 'Eng', ['i-ann', 'i-dee']),
      group('ig4', 'HR', ['i-bob']),
      group('ig5', 'Legal', []),
    ],
  });
  // Ann's account is matched by its externalId, the others by userName; five mapped groups come
  // back from the helper thread in several parts.
  await completeSnapshot(db, app, { users: appUsers(), groups: appGroups });
  return { db, app, idp };
}

function appUsers(): ReturnType<typeof user>[] {
  return people.map((p) => user(`a-${p}`, { userName: `${p}@x.com`, ...(p === 'ann' ? { externalId: 'i-ann' } : {}) }));
}

function analyze(t: { db: Db; app: number; idp: number }, helper: AnalysisThread): ReturnType<typeof analyzeApp> {
  return analyzeApp(t.db, { connectionId: t.app, name: 'CRM', config }, { connectionId: t.idp, name: 'HR' }, helper);
}

async function membershipFindings(threaded: boolean): Promise<string[]> {
  const t = await tenant();
  const helper = threaded ? threadedAnalysisThread(workerFile ?? '', t.db.name, {}) : inlineAnalysisThread(t.db);
  try {
    await analyze(t, helper);
  } finally {
    await helper.close();
  }
  return listFindings(t.db, { statuses: ['open'] })
    .map((f) => `${f.type} ${f.group ?? ''} ${f.userName ?? ''}`)
    .sort();
}

describe('analysis helper thread', () => {
  it('finds what the analysis thread finds', async () => {
    expect(workerFile, 'run `npm run build` first').not.toBeNull();
    const inline = await membershipFindings(false);
    expect(inline).toEqual([
      'missing_membership HR bob@x.com',
      'missing_membership Ops dee@x.com',
      'missing_membership Sales bob@x.com',
      'stale_membership Legal dee@x.com',
      'stale_membership Sales cy@x.com',
    ]);
    expect(await membershipFindings(true)).toEqual(inline);
  });

  it('records nothing, and leaves the connection as it was, when the helper thread fails mid-answer', async () => {
    const t = await tenant();
    const inline = inlineAnalysisThread(t.db);
    await analyze(t, inline);
    const before = listFindings(t.db);
    // A newer app snapshot whose stale memberships are new findings, recorded before the failure.
    await completeSnapshot(t.db, t.app, { users: appUsers(), groups: appGroups.map((g) => group(g.id, g.displayName ?? '', ['a-ann', 'a-bob', 'a-cy', 'a-dee'])) });
    const failing: AnalysisThread = {
      ...inline,
      missingMemberships: (input) =>
        (async function* () {
          yield* inline.missingMemberships(input);
          throw new DriftlineError('internal', 'The analysis helper thread exited (code 1).');
        })(),
    };
    await expect(analyze(t, failing)).rejects.toThrowError('helper thread exited');
    expect(t.db.inTransaction).toBe(false);
    expect(t.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(listFindings(t.db)).toEqual(before);
    expect(t.db.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(1);
    // The connection records the next analysis as usual.
    const next = await analyze(t, inline);
    expect(next.analyzed && next.counts.opened).toBeGreaterThan(0);
  });

  it('is ready once its thread has opened the database', async () => {
    const db = openTestDb(tempDir());
    const helper = threadedAnalysisThread(workerFile ?? '', db.name, {});
    try {
      await expect(helper.ready()).resolves.toBeUndefined();
    } finally {
      await helper.close();
      db.close();
    }
  });

  it('fails the analysis with the reason when the thread cannot read the database', async () => {
    const helper = threadedAnalysisThread(workerFile ?? '', join(tempDir(), 'missing', 'driftline.db'), {});
    try {
      await expect(helper.ready()).rejects.toThrowError(/analysis helper thread stopped: Cannot open database/);
      await expect(helper.activity({ connectionId: 1, runId: 1 }, { connectionId: 2, runId: 2 })).rejects.toThrowError(
        /analysis helper thread stopped: Cannot open database/,
      );
    } finally {
      await helper.close();
    }
  });
});
