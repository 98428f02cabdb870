import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY, FINDING_TYPES, type FindingDto, type FindingType } from '../../src-main/contract/findings';
import type { FindingsReport } from '../../src-main/core/reports/findings-report';
import { demoOktaSeed, demoScimSeed } from '../../src-main/demo/demo-seed';
import { DEMO_TOKEN_ENV } from '../../src-main/demo/demo-tenant';
import { runToEnd, startChild, type RunningChild } from '../helpers/child-process';
import { useTempDir } from '../helpers/temp-dir';

// The built `driftline` command, end to end: real child processes, the real demo tenant on loopback,
// a temp data folder. The tests run in order and share the demo and the database, like a user's session.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'driftline.js');
const APP = 'Acme CRM';
const IDP = 'Okta (demo)';
const DOMAIN = 'acme.example';

let dir = '';
let dataDir = '';
/** A DRIFTLINE_DATA that no command should ever touch: every command here names its --data. */
let decoyDataDir = '';
let configFile = '';
let demo: RunningChild | undefined;
let scimUrl = '';
let oktaUrl = '';
let tokens: Record<string, string> = {};

/** The environment of a user's shell: no proxy (loopback must be direct), no demo tokens unless given. */
function baseEnv(): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(https?|all|no)_proxy$/i.test(name) && !name.startsWith('DRIFTLINE_'));
  return { ...Object.fromEntries(inherited), DRIFTLINE_DATA: decoyDataDir };
}

async function driftline(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await runToEnd(process.execPath, [BIN, ...args], { cwd: dir, env: { ...baseEnv(), ...env }, timeoutMs: 20_000 });
  // Whatever a command prints, it must never echo a token of this demo run.
  for (const token of Object.values(tokens)) {
    expect(result.stdout).not.toContain(token);
    expect(result.stderr).not.toContain(token);
  }
  return result;
}

const sync = (env: NodeJS.ProcessEnv = tokens): ReturnType<typeof driftline> => driftline(['sync', '--config', configFile, '--data', dataDir], env);

async function findingsJson(...filters: string[]): Promise<FindingDto[]> {
  const r = await driftline(['findings', '--json', '--data', dataDir, ...filters]);
  expect(r.code, r.stderr).toBe(0);
  const parsed: unknown = JSON.parse(r.stdout);
  expect(Array.isArray(parsed)).toBe(true);
  return parsed as FindingDto[];
}

async function reportJson(): Promise<FindingsReport> {
  const out = join(dir, `report-${Date.now()}.json`);
  const r = await driftline(['report', '--format', 'json', '--out', out, '--data', dataDir]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as FindingsReport;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const userNamesOf = (findings: FindingDto[], type: FindingType): Array<string | null> =>
  findings
    .filter((f) => f.type === type)
    .map((f) => f.userName)
    .sort();

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('out/main/cli.js is missing: run `npm run build` (npm test does) first.');
  dir = mkdtempSync(join(tmpdir(), 'driftline-cli-'));
  dataDir = join(dir, 'data');
  decoyDataDir = join(dir, 'decoy-data');
  demo = startChild(process.execPath, [BIN, 'demo', '--dir', dir], { cwd: dir, env: baseEnv() });
  const banner = await demo.waitForStdout((out) => (out.includes('Press Ctrl+C to stop.') ? out : undefined), 15_000);
  scimUrl = /SCIM app "Acme CRM":\s+(\S+)/.exec(banner)?.[1] ?? '';
  oktaUrl = /Okta-format IdP:\s+(\S+)/.exec(banner)?.[1] ?? '';
  configFile = /^Config written to (.+)$/m.exec(banner)?.[1] ?? '';
  const exportLine = /^\s*export (.+)$/m.exec(banner)?.[1] ?? '';
  tokens = Object.fromEntries(
    exportLine
      .trim()
      .split(/\s+/)
      .map((pair) => {
        const eq = pair.indexOf('=');
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      }),
  );
});

afterAll(async () => {
  // Runs even when beforeAll or a test failed: the demo must never outlive the test run.
  await demo?.stop(3000);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('driftline CLI against the demo tenant', () => {
  let first: FindingDto[] = [];
  let newOnFirstSync = -1;

  it('demo: serves both systems on loopback, writes a config of secret references, prints the tokens to export', () => {
    expect(scimUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(oktaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(configFile).toBe(join(dir, 'driftline.config.json'));
    expect(Object.keys(tokens).sort()).toEqual([DEMO_TOKEN_ENV.okta, DEMO_TOKEN_ENV.scim].sort());
    for (const value of Object.values(tokens)) expect(value).toMatch(/^[\w-]{20,}$/);

    const text = readFileSync(configFile, 'utf8');
    for (const value of Object.values(tokens)) expect(text).not.toContain(value);
    const config = JSON.parse(text) as { idp: { orgUrl: string; token: unknown }; apps: Array<{ baseUrl: string; auth: { token: unknown } }> };
    expect(config.idp.orgUrl).toBe(oktaUrl);
    expect(config.idp.token).toEqual({ env: DEMO_TOKEN_ENV.okta });
    expect(config.apps[0]?.baseUrl).toBe(scimUrl);
    expect(config.apps[0]?.auth.token).toEqual({ env: DEMO_TOKEN_ENV.scim });
  });

  it('sync: exits 0 and reports each connection on stderr as plain lines', async () => {
    const r = await sync();
    expect(r.code, r.stderr).toBe(0);
    // stderr is a pipe, not a TTY: plain progress lines, no cursor movement.
    expect(r.stderr).not.toContain('\x1b[');
    expect(r.stderr).toMatch(new RegExp(`^${escape(APP)}: users \\d+`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^${escape(IDP)}: commit `, 'm'));
    const okta = demoOktaSeed();
    const scim = demoScimSeed();
    expect(r.stderr).toMatch(new RegExp(`^✔ ${escape(IDP)}: ${okta.users.length} users, ${okta.groups.length} groups, \\d+ memberships`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^✔ ${escape(APP)}: ${scim.users.length} users, ${scim.groups.length} groups, \\d+ memberships`, 'm'));
    expect(r.stderr).not.toContain('✘');
    const summary = new RegExp(`^  ${escape(APP)}: .+; (\\d+) new, 0 resolved$`, 'm').exec(r.stderr);
    expect(summary, r.stderr).not.toBeNull();
    newOnFirstSync = Number(summary?.[1]);
    expect(r.stdout).toBe('');
  });

  it('findings --json: every finding type, each seeded case, and nothing for the people in good standing', async () => {
    first = await findingsJson();
    for (const type of FINDING_TYPES) expect(first.map((f) => f.type), type).toContain(type);
    expect(new Set(first.map((f) => f.key)).size).toBe(first.length);
    for (const f of first) {
      // The documented --json shape (README): null where a field does not apply, never missing.
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['key', 'type', 'severity', 'app', 'status', 'message', 'userName', 'group', 'attribute', 'idpValue', 'appValue']));
      expect(f.key).toMatch(/^F-[0-9a-f]+$/);
      expect(f).toMatchObject({ severity: DEFAULT_SEVERITY[f.type], app: APP, status: 'open' });
      expect(f.message.length).toBeGreaterThan(10);
      expect(Date.parse(f.firstSeen)).not.toBeNaN();
      if (f.type !== 'orphaned_group') expect(f.userName, f.key).toMatch(new RegExp(`@${escape(DOMAIN)}$`, 'i'));
      if (['stale_membership', 'missing_membership', 'orphaned_group'].includes(f.type)) expect(f.group, f.key).toBeTruthy();
    }

    const at = (name: string): string => `${name}@${DOMAIN}`;
    // The seeded cases (demo-seed.ts names each person for the finding they produce). Containment, not
    // equality, so the seed can grow; the people in good standing below guard against false positives.
    expect(userNamesOf(first, 'deprovision_missed')).toEqual(expect.arrayContaining([at('dana.leaver'), at('sam.suspended')]));
    expect(first.find((f) => f.type === 'deprovision_missed' && f.userName === at('dana.leaver'))).toMatchObject({ idpValue: 'DEPROVISIONED' });
    expect(first.find((f) => f.type === 'deprovision_missed' && f.userName === at('sam.suspended'))).toMatchObject({ idpValue: 'SUSPENDED' });
    expect(userNamesOf(first, 'orphaned_account')).toContain(at('old.contractor'));
    expect(userNamesOf(first, 'unassigned_access')).toContain(at('olivia.outside'));
    expect(userNamesOf(first, 'missing_account')).toContain(at('nina.newhire'));
    expect(userNamesOf(first, 'duplicate_account')).toContain(at('gary.dupe'));
    expect(userNamesOf(first, 'ambiguous_match')).toContain(at('helpdesk'));

    const drift = first.filter((f) => f.type === 'attribute_drift');
    expect(drift.map((f) => [f.userName, f.attribute, f.idpValue, f.appValue])).toEqual(
      expect.arrayContaining([
        [at('tom.title'), 'title', 'Sales Manager', 'Account Executive'],
        [at('tom.title'), 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'Sales Leadership', 'Sales'],
      ]),
    );
    expect(first.filter((f) => f.type === 'stale_membership').map((f) => [f.userName, f.group])).toContainEqual([at('eve.mover'), 'Sales']);
    expect(first.filter((f) => f.type === 'missing_membership').map((f) => [f.userName, f.group])).toContainEqual([at('frank.joiner'), 'Support']);
    expect(first.filter((f) => f.type === 'orphaned_group').map((f) => f.group)).toContain('Legacy Admins');

    // Seeded non-findings: a hand-made account matched case-insensitively, a deactivated leftover, people in good standing.
    for (const fine of ['henry.case', 'former.intern', 'alice.admin', 'carol.closer']) {
      expect(first.filter((f) => `${f.userName ?? ''} ${f.message}`.toLowerCase().includes(`${fine}@`)), fine).toEqual([]);
    }

    expect(first).toHaveLength(newOnFirstSync);
  });

  it('findings (human): lists the same findings as --json, with the count', async () => {
    const r = await driftline(['findings', '--data', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((line) => /^(CRITICAL|HIGH|MEDIUM|LOW)\s/.test(line));
    expect(rows).toHaveLength(first.length);
    expect(rows.map((line) => /\s(F-[0-9a-f]+)\s/.exec(line)?.[1]).sort()).toEqual(first.map((f) => f.key).sort());
    expect(r.stdout).toMatch(new RegExp(`^${first.length} findings\\.$`, 'm'));
  });

  it('findings filters: --type and --app narrow the list; an unknown type is rejected', async () => {
    const drift = await findingsJson('--type', 'attribute_drift', '--app', APP);
    expect(drift.map((f) => f.key).sort()).toEqual(
      first
        .filter((f) => f.type === 'attribute_drift')
        .map((f) => f.key)
        .sort(),
    );
    expect(await findingsJson('--app', 'No Such App')).toEqual([]);
    const twoTypes = await findingsJson('--type', 'orphaned_group', 'stale_membership');
    expect(twoTypes.map((f) => f.key).sort()).toEqual(
      first
        .filter((f) => f.type === 'orphaned_group' || f.type === 'stale_membership')
        .map((f) => f.key)
        .sort(),
    );
    expect(new Set(twoTypes.map((f) => f.type))).toEqual(new Set(['orphaned_group', 'stale_membership']));

    const bad = await driftline(['findings', '--json', '--type', 'bogus', '--data', dataDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bogus/);
    expect(bad.stdout).toBe('');
  });

  it('report: CSV with a header and one row per finding, stamped with its snapshots; JSON with the same findings', async () => {
    const r = await driftline(['report', '--format', 'csv', '--out', 'findings.csv', '--data', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const csvFile = join(dir, 'findings.csv'); // --out is relative to the working folder
    expect(r.stderr).toContain(`Wrote ${first.length} findings to ${csvFile}`);
    expect(statSync(csvFile).mode & 0o777).toBe(0o600); // the report holds personal data
    const [header, ...rows] = parse(readFileSync(csvFile, 'utf8')) as string[][];
    expect(header).toEqual(expect.arrayContaining(['key', 'type', 'severity', 'status', 'app', 'user_name', 'group', 'attribute', 'idp_value', 'app_value']));
    expect(header).toEqual(expect.arrayContaining(['app_snapshot_run', 'app_snapshot_at', 'idp_snapshot_run', 'idp_snapshot_at']));
    expect(rows).toHaveLength(first.length);
    const records = rows.map((row) => Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? ''])));

    const report = await reportJson();
    expect(report.apps).toHaveLength(1);
    const meta = report.apps[0];
    expect(meta).toMatchObject({
      app: APP,
      appSnapshot: { connection: APP, users: demoScimSeed().users.length, groups: demoScimSeed().groups.length },
      idpSnapshot: { connection: IDP, users: demoOktaSeed().users.length, groups: demoOktaSeed().groups.length },
    });
    expect(meta?.appSnapshot.runId).toBeGreaterThan(0);
    expect(meta?.idpSnapshot.runId).toBeGreaterThan(0);
    expect(meta?.appSnapshot.runId).not.toBe(meta?.idpSnapshot.runId);
    expect(report.findings).toEqual(first);

    const byKey = new Map(first.map((f) => [f.key, f]));
    for (const rec of records) {
      const f = byKey.get(rec.key ?? '');
      expect(f, rec.key).toBeDefined();
      expect(rec).toMatchObject({
        type: f?.type,
        severity: f?.severity,
        status: 'open',
        app: APP,
        user_name: f?.userName ?? '',
        attribute: f?.attribute ?? '',
        app_snapshot_run: String(meta?.appSnapshot.runId),
        app_snapshot_at: meta?.appSnapshot.takenAt,
        idp_snapshot_run: String(meta?.idpSnapshot.runId),
        idp_snapshot_at: meta?.idpSnapshot.takenAt,
      });
    }
    expect(records.map((rec) => rec.key).sort()).toEqual([...byKey.keys()].sort());
  });

  it('a second sync keeps every finding under the same key, first seen unchanged, last seen moved on', async () => {
    const r = await sync();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^  ${escape(APP)}: .+; 0 new, 0 resolved$`, 'm'));
    const second = await findingsJson();
    expect(second.map((f) => f.key).sort()).toEqual(first.map((f) => f.key).sort());
    const before = new Map(first.map((f) => [f.key, f]));
    for (const f of second) {
      const old = before.get(f.key);
      expect(f.firstSeen, f.key).toBe(old?.firstSeen);
      // The analysis really ran again: otherwise stable keys would prove nothing.
      expect(f.lastSeen > (old?.lastSeen ?? ''), f.key).toBe(true);
      expect({ ...f, lastSeen: '' }).toEqual({ ...old, lastSeen: '' });
    }
  });

  it('a rejected token: exit 1, the connection and auth_rejected named, the token never printed, the earlier findings kept', async () => {
    const appRunBefore = (await reportJson()).apps[0]?.appSnapshot.runId;
    const wrong = `wrong-${Math.random().toString(36).slice(2)}-token`;
    const r = await sync({ ...tokens, [DEMO_TOKEN_ENV.scim]: wrong });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^✘ ${escape(APP)}: failed .*\\[auth_rejected\\]$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^✔ ${escape(IDP)}:`, 'm'));
    expect(r.stderr).not.toContain(wrong);
    expect(r.stdout).not.toContain(wrong);

    const after = await findingsJson();
    expect(after.map((f) => [f.key, f.status, f.firstSeen]).sort()).toEqual(first.map((f) => [f.key, 'open', f.firstSeen]).sort());
    // The failed run is not a snapshot: the app's findings still come from the previous complete run.
    expect((await reportJson()).apps[0]?.appSnapshot.runId).toBe(appRunBefore);
  });

  describe('configuration errors exit 2 before touching the data folder', () => {
    const tempDir = useTempDir('driftline-cli-config-');

    it('a literal secret instead of { "env": … }: names the field path, never echoes the secret', async () => {
      const work = tempDir();
      const config = JSON.parse(readFileSync(configFile, 'utf8')) as { apps: Array<{ auth: { token: unknown } }> };
      const literal = 'literal-secret-3f9a1c';
      if (config.apps[0]) config.apps[0].auth.token = literal;
      const file = join(work, 'literal.json');
      writeFileSync(file, JSON.stringify(config));
      const r = await driftline(['sync', '--config', file, '--data', join(work, 'data')], tokens);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('apps[0].auth.token');
      expect(r.stderr).toContain('config_invalid');
      expect(r.stderr).not.toContain(literal);
      expect(existsSync(join(work, 'data'))).toBe(false);
    });

    it('malformed JSON: says the file is not valid JSON', async () => {
      const work = tempDir();
      const file = join(work, 'broken.json');
      writeFileSync(file, '{ "idp": { "name": ');
      const r = await driftline(['sync', '--config', file, '--data', join(work, 'data')], tokens);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/not valid JSON/);
      expect(existsSync(join(work, 'data'))).toBe(false);
    });

    it('a missing config file: names the path', async () => {
      const work = tempDir();
      const file = join(work, 'nowhere', 'driftline.config.json');
      const r = await driftline(['sync', '--config', file, '--data', join(work, 'data')], tokens);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toContain('config_not_found');
      expect(existsSync(join(work, 'data'))).toBe(false);
    });
  });

  it('never used DRIFTLINE_DATA when --data was given, and the demo stops cleanly on Ctrl+C', async () => {
    expect(existsSync(decoyDataDir)).toBe(false);
    expect(existsSync(join(dataDir, 'driftline.db'))).toBe(true);
    const exit = await demo?.stop(5000);
    expect(exit).toEqual({ code: 0, signal: null });
    await expect(fetch(`${scimUrl}/ServiceProviderConfig`)).rejects.toThrow();
  });
});
