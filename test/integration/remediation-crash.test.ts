import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoConfig, DEMO_TOKEN_ENV } from '../../src-main/demo/demo-tenant';
import { getAction } from '../../src-main/core/store/actions.repo';
import { startChild } from '../helpers/child-process';
import { FIXTURE_TOKENS, remediationFixture, type RemediationFixture } from '../helpers/remediation-fixture';
import { useTempDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('../fixtures/apply-writer.ts', import.meta.url));
const tempDir = useTempDir();
const open: RemediationFixture[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
});

/**
 * A child process applies the plan; the app receives the write and never answers; the parent kills
 * the child once the journal says "sent". On restart the action is settled by a read.
 */
async function killBetweenSentAndResponse(applyOnServer: boolean): Promise<{ f: RemediationFixture; actionId: number }> {
  const dir = tempDir();
  const f = await remediationFixture(dir);
  open.push(f);
  const plan = f.actions.plan(f.finding('orphaned_account'));
  const configFile = join(dir, 'driftline.config.json');
  writeFileSync(configFile, JSON.stringify(demoConfig(f.proxy.base, f.okta.url)));
  f.proxy.rule = (r) => (r.method === 'PATCH' ? { kind: applyOnServer ? 'forwardThenHang' : 'hang' } : undefined);
  const child = startChild(process.execPath, ['--require', 'tsx/cjs', WRITER, f.dataDir, configFile, String(plan.id)], {
    cwd: ROOT,
    env: { ...process.env, [DEMO_TOKEN_ENV.scim]: FIXTURE_TOKENS.scim, [DEMO_TOKEN_ENV.okta]: FIXTURE_TOKENS.okta },
  });
  try {
    await child.waitForStdout((out) => (out.includes('applying') ? true : undefined), 20_000);
    await vi.waitFor(() => expect(f.proxy.seen.some((r) => r.method === 'PATCH')).toBe(true), { timeout: 20_000, interval: 20 });
    expect(getAction(f.ws.db, plan.id)?.state).toBe('sent');
  } finally {
    child.process.kill('SIGKILL');
    await child.closed;
  }
  expect(child.stdout()).not.toContain('returned');
  f.proxy.rule = null;
  return { f, actionId: plan.id };
}

describe('a crash between "sent" and the response', () => {
  it('is settled as confirmed by a read when the write had been applied, and nothing is resent', async () => {
    const { f, actionId } = await killBetweenSentAndResponse(true);
    expect(await f.actions.reconcilePending()).toBe(1);
    const row = getAction(f.ws.db, actionId);
    expect(row?.state).toBe('confirmed');
    expect(row?.outcome).toMatch(/was applied/);
    expect(f.proxy.seen.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(f.scim.store.getUser('crm-contractor')?.active).toBe(false);
    expect(f.audit.verify().ok).toBe(true);
  });

  it('is settled as failed by a read when the write never arrived, and nothing is resent', async () => {
    const { f, actionId } = await killBetweenSentAndResponse(false);
    expect(await f.actions.reconcilePending()).toBe(1);
    const row = getAction(f.ws.db, actionId);
    expect(row?.state).toBe('failed');
    expect(row?.outcome).toMatch(/not applied\. It was not resent/);
    expect(f.proxy.seen.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(f.scim.store.getUser('crm-contractor')?.active).toBe(true);
  });
});
