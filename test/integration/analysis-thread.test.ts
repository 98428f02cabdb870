import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scimAppSchema } from '../../src-main/core/config/schema';
import { analyzeApp } from '../../src-main/core/findings/analyze-app';
import { listFindings } from '../../src-main/core/store/findings.repo';
import { inlineAnalysisThread, threadedAnalysisThread } from '../../src-main/core/store/analysis-thread';
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

async function membershipFindings(threaded: boolean): Promise<string[]> {
  const db = openTestDb(tempDir());
  const idp = connection(db, 'HR', 'idp');
  const app = connection(db, 'CRM', 'app');
  const people = ['ann', 'bob', 'cy', 'dee'];
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
  await completeSnapshot(db, app, {
    users: people.map((p) => user(`a-${p}`, { userName: `${p}@x.com`, ...(p === 'ann' ? { externalId: 'i-ann' } : {}) })),
    groups: [
      group('ag1', 'Sales', ['a-ann', 'a-cy']),
      group('ag2', 'Ops', ['a-cy']),
      group('ag3', 'Eng', ['a-ann', 'a-dee']),
      group('ag4', 'HR', []),
      group('ag5', 'Legal', ['a-dee']),
    ],
  });
  const helper = threaded ? threadedAnalysisThread(workerFile ?? '', db.name, {}) : inlineAnalysisThread(db);
  try {
    await analyzeApp(db, { connectionId: app, name: 'CRM', config }, { connectionId: idp, name: 'HR' }, helper);
  } finally {
    await helper.close();
  }
  return listFindings(db, { statuses: ['open'] })
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
