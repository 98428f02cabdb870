import { afterEach, describe, expect, it } from 'vitest';
import { getAction } from '../../src-main/core/store/actions.repo';
import { listFindings } from '../../src-main/core/store/findings.repo';
import { remediationFixture, type RemediationFixture } from '../helpers/remediation-fixture';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();
const open: RemediationFixture[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
});

async function fixture(options: Parameters<typeof remediationFixture>[1] = {}): Promise<RemediationFixture> {
  const f = await remediationFixture(tempDir(), options);
  open.push(f);
  return f;
}

const writes = (f: RemediationFixture): Array<{ method: string; path: string; body: string }> =>
  f.proxy.seen.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body }));

const journal = (f: RemediationFixture, id: number) => getAction(f.ws.db, id);

describe('remediation against a real SCIM server', () => {
  it('deactivates an orphaned account: exact PATCH previewed, journaled, sent once, verified, audited', async () => {
    const f = await fixture();
    const key = f.finding('orphaned_account');
    const plan = f.actions.plan(key);
    expect(plan.state).toBe('planned');
    expect(plan.request).toMatchObject({
      method: 'PATCH',
      url: `${f.proxy.base}/Users/crm-contractor`,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
    });
    expect(plan.request.headers['If-Match']).toMatch(/^W\/"/);
    expect(writes(f)).toEqual([]);

    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('confirmed');
    expect(f.scim.store.getUser('crm-contractor')?.active).toBe(false);
    expect(writes(f)).toHaveLength(1);
    expect(JSON.parse(writes(f)[0]?.body ?? '{}')).toEqual(plan.request.body);
    expect(f.proxy.seen.find((r) => r.method === 'PATCH')?.headers['if-match']).toBeDefined();
    expect(listFindings(f.ws.db, { types: ['orphaned_account'] })[0]?.status).toBe('fixed');
    expect(f.audit.list().map((e) => e.kind)).toEqual(['action.planned', 'action.sent', 'action.outcome']);
    expect(JSON.stringify(f.audit.list())).not.toContain('scim-token-remediation-canary');

    await f.sync();
    expect(listFindings(f.ws.db, { types: ['orphaned_account'] })[0]?.status).toBe('resolved');
  });

  it('removes a stale member with the RFC value filter, never the legacy remove-with-value form', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('stale_membership', 'eve.mover@acme.example'));
    expect(plan.request.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: 'members[value eq "crm-eve.mover"]' }],
    });
    expect((await f.actions.apply(plan.id)).state).toBe('confirmed');
    const members = (f.scim.store.getGroup('crm-grp-sales')?.members as Array<{ value: string }>).map((m) => m.value);
    expect(members).not.toContain('crm-eve.mover');
    expect(members).toContain('crm-carol.closer');
  });

  it('adds a missing member and patches a drifted attribute to the IdP value', async () => {
    const f = await fixture();
    const add = f.actions.plan(f.finding('missing_membership', 'frank.joiner@acme.example'));
    expect((await f.actions.apply(add.id)).state).toBe('confirmed');
    expect((f.scim.store.getGroup('crm-grp-support')?.members as Array<{ value: string }>).map((m) => m.value)).toContain('crm-frank.joiner');

    const key = listFindings(f.ws.db, { types: ['attribute_drift'] }).find((x) => x.attribute === 'title')?.key ?? '';
    const patch = f.actions.plan(key);
    expect(patch.request.body).toMatchObject({ Operations: [{ op: 'replace', path: 'title', value: 'Sales Manager' }] });
    expect((await f.actions.apply(patch.id)).state).toBe('confirmed');
    expect(f.scim.store.getUser('crm-tom.title')?.title).toBe('Sales Manager');
  });

  it('already in the desired state: success without a write', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('deprovision_missed', 'dana.leaver@acme.example'));
    await f.changeInApp('crm-dana.leaver', { op: 'replace', path: 'active', value: false });
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('confirmed');
    expect(done.outcome).toMatch(/nothing was sent/);
    expect(writes(f)).toEqual([]);
  });

  it('aborts a stale plan when the account changed between plan and apply', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('deprovision_missed', 'sam.suspended@acme.example'));
    await f.changeInApp('crm-sam.suspended', { op: 'replace', path: 'title', value: 'Changed meanwhile' });
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('stale');
    expect(writes(f)).toEqual([]);
    expect(f.scim.store.getUser('crm-sam.suspended')?.active).toBe(true);
  });

  it('412 Precondition Failed → failed, nothing retried', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('orphaned_account'));
    f.proxy.rule = (r) => (r.method === 'PATCH' ? { kind: 'respond', status: 412, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412', detail: 'version mismatch' } } : undefined);
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('failed');
    expect(done.outcome).toMatch(/412/);
    expect(writes(f)).toHaveLength(1);
    expect(f.scim.store.getUser('crm-contractor')?.active).toBe(true);
  });

  it('2xx without applying → failed after reading back', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('orphaned_account'));
    f.proxy.rule = (r) => (r.method === 'PATCH' ? { kind: 'respond', status: 204 } : undefined);
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('write_not_applied');
    expect(done.outcome).toMatch(/change is not there/);
  });

  it('a write that times out after being applied is settled by a read: confirmed, not resent', async () => {
    const f = await fixture({ app: (c) => ({ ...c, limits: { ...c.limits, timeoutSeconds: 0.5 } }) });
    const plan = f.actions.plan(f.finding('orphaned_account'));
    f.proxy.rule = (r) => (r.method === 'PATCH' ? { kind: 'forwardThenHang' } : undefined);
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('confirmed');
    expect(done.outcome).toMatch(/applied/);
    expect(writes(f)).toHaveLength(1);
  });

  it('PATCH rejected (501) → PUT built from a fresh read, losing no attribute', async () => {
    const f = await fixture();
    const before = f.scim.store.getUser('crm-contractor');
    const plan = f.actions.plan(f.finding('orphaned_account'));
    f.proxy.rule = (r) => (r.method === 'PATCH' ? { kind: 'respond', status: 501, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '501', detail: 'PATCH not implemented' } } : undefined);
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('confirmed');
    expect(writes(f).map((w) => w.method)).toEqual(['PATCH', 'PUT']);
    const after = f.scim.store.getUser('crm-contractor');
    expect(after?.active).toBe(false);
    const { active: _a, meta: _m, ...rest } = before ?? {};
    const { active: _b, meta: _n, ...restAfter } = after ?? {};
    expect(restAfter).toEqual(rest);
    expect(journal(f, plan.id)?.sent?.method).toBe('PUT');
  });

  it('an app without PATCH gets a PUT from the start', async () => {
    const f = await fixture({ app: (c) => ({ ...c, writes: { ...c.writes, method: 'put' } }) });
    const plan = f.actions.plan(f.finding('stale_membership', 'eve.mover@acme.example'));
    expect(plan.request.method).toBe('PUT');
    expect((await f.actions.apply(plan.id)).state).toBe('confirmed');
    expect(writes(f).map((w) => w.method)).toEqual(['PUT']);
    expect((f.scim.store.getGroup('crm-grp-sales')?.members as Array<{ value: string }>).map((m) => m.value)).not.toContain('crm-eve.mover');
  });

  it('noTarget for a member already removed → confirmed after reading back', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('stale_membership', 'eve.mover@acme.example'));
    f.proxy.rule = (r) =>
      r.method === 'PATCH'
        ? { kind: 'forwardThenRespond', status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'noTarget', detail: 'no such member' } }
        : undefined;
    const done = await f.actions.apply(plan.id);
    expect(done.state).toBe('confirmed');
    expect(done.outcome).toMatch(/noTarget/);
  });

  it('a dry run sends only GETs', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('orphaned_account'));
    const dry = await f.actions.dryRun(plan.id);
    expect(dry.outcome).toMatch(/Would send PATCH/);
    expect(writes(f)).toEqual([]);
    expect(journal(f, plan.id)?.state).toBe('planned');
  });

  it('undo reverts a deactivation from the pre-image', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('orphaned_account'));
    const done = await f.actions.apply(plan.id);
    expect(done.undoable).toBe(true);
    const undo = await f.actions.undo(plan.id);
    expect(undo).toMatchObject({ kind: 'reactivate', undoOf: plan.id, request: { body: { Operations: [{ op: 'replace', path: 'active', value: true }] } } });
    expect((await f.actions.apply(undo.id)).state).toBe('confirmed');
    expect(f.scim.store.getUser('crm-contractor')?.active).toBe(true);
    // The drift is back, and the same fix cannot be reverted twice.
    expect(listFindings(f.ws.db, { types: ['orphaned_account'] })[0]?.status).toBe('open');
    expect(f.actions.get(plan.id)).toMatchObject({ undoable: false, undoneBy: undo.id });
    await expect(f.actions.undo(plan.id)).rejects.toThrowError(/already undone/);
  });

  it('offers no undo for a write that found the target already right (nothing was sent)', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('deprovision_missed', 'dana.leaver@acme.example'));
    await f.changeInApp('crm-dana.leaver', { op: 'replace', path: 'active', value: false });
    expect(await f.actions.apply(plan.id)).toMatchObject({ state: 'confirmed', sent: null, undoable: false });
    await expect(f.actions.undo(plan.id)).rejects.toThrowError(/Nothing was sent/);
  });

  it('a withdrawn plan is cancelled on the record and can no longer be applied', async () => {
    const f = await fixture();
    const plan = f.actions.plan(f.finding('orphaned_account'));
    f.actions.cancelPlanned(plan.id, 'withdrawn by the admin');
    expect(f.actions.get(plan.id).state).toBe('cancelled');
    await expect(f.actions.apply(plan.id)).rejects.toThrowError(/cancelled/);
    expect(f.audit.list().map((e) => e.kind)).toEqual(['action.planned', 'action.cancelled']);
    expect(writes(f)).toEqual([]);
  });

  it('bulk: above the threshold the app name must be typed; then every item is fixed', async () => {
    const f = await fixture();
    const keys = listFindings(f.ws.db, { types: ['stale_membership'], statuses: ['open'] }).map((x) => x.key);
    expect(keys).toHaveLength(2);
    const bulk = f.actions.planBulk(keys);
    expect(bulk).toMatchObject({ app: 'Acme CRM', threshold: 1, requiresTypedConfirmation: true, byKind: { remove_member: 2 } });
    const ids = bulk.actions.map((a) => a.id);
    expect(() => f.actions.applyBatch(ids)).toThrowError(expect.objectContaining({ code: 'confirmation_required' }));
    expect(() => f.actions.applyBatch(ids, 'wrong name')).toThrowError(/type the app's name/);
    const batch = f.actions.applyBatch(ids, 'acme crm');
    await f.actions.idle();
    expect(f.actions.list({ batchId: batch }).map((a) => a.state)).toEqual(['confirmed', 'confirmed']);
    expect(f.audit.list().some((e) => e.kind === 'batch.confirmed' && e.entry.details.typedConfirmation === true)).toBe(true);
  });

  it('refuses to plan what no SCIM write can fix, and deletes unless enabled', async () => {
    const f = await fixture();
    expect(() => f.actions.plan(f.finding('ambiguous_match'))).toThrowError(/pin the right identity/);
    expect(() => f.actions.plan(f.finding('orphaned_group'))).toThrowError(/does not delete groups/);
    expect(() => f.actions.plan(f.finding('orphaned_account'), { kind: 'delete_account' })).toThrowError(/Deleting accounts is turned off/);
  });
});
