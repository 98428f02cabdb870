// Turns BenchResults into the targets table (PASS/FAIL) and the detail sections printed on stdout.
import type { ObjectSize } from './measure';
import type { AnalysisFigures, BenchResults, Check, SyncFigures } from './results';

const MiB = 2 ** 20;

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * Tables (with their indexes) that hold analysis results and remediation records, not snapshots.
 * Everything else counts as snapshot, so a table added or renamed in the store is never left out.
 */
const NOT_SNAPSHOT_TABLES: ReadonlySet<string> = new Set(['findings', 'finding_events', 'analyses', 'exceptions', 'actions', 'action_batches', 'audit_log']);

/** Bytes of the snapshot tables and their indexes; the whole file when dbstat is unavailable. */
function snapshotBytes(objects: ObjectSize[] | null, fileBytes: number): number {
  return objects ? objects.filter((o) => !NOT_SNAPSHOT_TABLES.has(o.table)).reduce((sum, o) => sum + o.bytes, 0) : fileBytes;
}

/** The issue's targets, checked against one run. */
export function checks(r: BenchResults): Check[] {
  const m = (mib: number): string => `${mib.toFixed(1)} MiB`;
  const loop = (label: string, f: SyncFigures): Check => ({
    figure: `event loop, ${label}: max delay`,
    value: `${f.loop.maxDelayMs.toFixed(0)} ms`,
    target: '≤ 100 ms',
    pass: f.loop.maxDelayMs <= 100,
  });
  // The targets are about snapshots; findings (thousands of rows after a drifted first analysis) are shown apart.
  const firstDb = snapshotBytes(r.first.objects, r.first.db.bytes) / MiB;
  const delta = (snapshotBytes(r.second.objects, r.second.db.bytes) - snapshotBytes(r.first.objects, r.first.db.bytes)) / MiB;
  const analysis = (figure: string, a: AnalysisFigures): Check => ({
    figure,
    value: a.timedOut ? `> ${secs(a.ms)} (stopped)` : a.analyzed ? secs(a.ms) : 'not run',
    ...(a.analyzed ? { ms: a.ms } : {}),
    target: '< 3 s',
    pass: a.analyzed && a.ms < 3000,
  });
  const peak = Math.max(r.rss.syncMiB, r.rss.analysisMiB);
  return [
    { figure: 'requests: floor = sync', value: `${r.requests.floor} / ${r.requests.sync}`, target: 'identical', pass: r.requests.identical },
    { figure: 'sync 1 app (full) ÷ floor', value: `${(r.first.app.ms / r.floor.ms).toFixed(2)}×`, target: '≤ 2.5×', pass: r.first.app.ms <= 2.5 * r.floor.ms },
    { figure: 'sync 1 app (full)', value: secs(r.first.app.ms), ms: r.first.app.ms, target: '< 15 s', pass: r.first.app.ms < 15_000 },
    {
      figure: 'sync 1 app + IdP at once (driftline sync)',
      value: secs(r.together.syncsMs),
      ms: r.together.syncsMs,
      target: '< 15 s',
      pass: r.together.syncsMs < 15_000 && r.together.syncs.every((s) => s.state === 'complete'),
    },
    analysis(`analysis 1 (correlate, ${r.attributes} attributes, memberships)`, r.first.analysis),
    analysis('analysis 2 (after churn)', r.second.analysis),
    { figure: 'peak RSS (sync in bench process, analysis in its own)', value: m(peak), target: '< 1024 MiB', pass: peak < 1024 },
    { figure: 'first snapshot: snapshot tables + indexes', value: m(firstDb), target: '< 130 MiB', pass: firstDb < 130 },
    { figure: 'second snapshot (2% churn): their growth', value: m(delta), target: '< 10 MiB', pass: delta < 10 },
    loop('sync 1 app', r.first.app),
    loop('sync 1 IdP', r.first.idp),
    loop('sync 2 app', r.second.app),
    loop('sync 2 IdP', r.second.idp),
  ];
}

function table(rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  return rows
    .map((row, i) => {
      const line = row.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
      return i === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

const ratio = (ms: number, floor: number): string => `${(ms / floor).toFixed(2)}×`;
const n = (x: number): string => x.toLocaleString('en-US');

function figuresTable(r: BenchResults, all: Check[]): string {
  const f = r.floor.ms;
  const rows: string[][] = [['figure', 'value', 'target', '× floor', 'result']];
  for (const c of all) rows.push([c.figure, c.value, c.target, c.ms === undefined ? '' : ratio(c.ms, f), c.pass ? 'PASS' : 'FAIL ◀']);
  rows.push(['floor: fetch + JSON.parse, app pages', secs(f), '', '1.00×', '']);
  rows.push(['floor: CPU time (bench process)', secs(r.floor.cpuMs), '', '', '']);
  rows.push(['sync 1 app: CPU time (bench process)', secs(r.first.app.cpuMs), '', `${(r.first.app.cpuMs / r.floor.cpuMs).toFixed(2)}× CPU`, '']);
  rows.push([`sync 1 IdP (HR export, ${n(r.tenant.idp.rows)} rows)`, secs(r.first.idp.ms), '', ratio(r.first.idp.ms, f), '']);
  rows.push(['sync 2 app (2% churn)', secs(r.second.app.ms), '', ratio(r.second.app.ms, f), '']);
  rows.push(['sync 2 IdP (unchanged)', secs(r.second.idp.ms), '', ratio(r.second.idp.ms, f), '']);
  rows.push(['sync 1 app, then IdP (one after the other)', secs(r.first.app.ms + r.first.idp.ms), '', ratio(r.first.app.ms + r.first.idp.ms, f), '']);
  rows.push(['driftline sync: app + IdP at once, then analysis', secs(r.together.totalMs), '', ratio(r.together.totalMs, f), '']);
  if (r.analysisWithStats?.analyzed) {
    rows.push(['what-if: analysis 2 after ANALYZE', secs(r.analysisWithStats.ms), '(< 3 s)', ratio(r.analysisWithStats.ms, f), '']);
  }
  rows.push(['peak RSS: bench process, syncs', `${r.rss.syncMiB.toFixed(1)} MiB`, '', '', '']);
  rows.push(['peak RSS: analysis process', r.rss.analysisMiB > 0 ? `${r.rss.analysisMiB.toFixed(1)} MiB` : 'n/a', '', '', '']);
  rows.push(['peak RSS: bench process, whole run (floor too)', `${r.rss.overallMiB.toFixed(1)} MiB`, '', '', '']);
  rows.push(['DB file after sync 1 + analysis 1 (checkpointed)', `${(r.first.db.bytes / MiB).toFixed(1)} MiB`, '', '', '']);
  rows.push(['DB file growth with sync 2 + analysis 2', `${((r.second.db.bytes - r.first.db.bytes) / MiB).toFixed(1)} MiB`, '', '', '']);
  return table(rows, ['l', 'r', 'l', 'r', 'l']);
}

/** The four syncs of a run, labelled. */
function syncs(r: BenchResults): ReadonlyArray<readonly [string, SyncFigures]> {
  return [
    ['sync 1 app', r.first.app],
    ['sync 1 IdP', r.first.idp],
    ['sync 2 app', r.second.app],
    ['sync 2 IdP', r.second.idp],
  ];
}

function breakdownTable(r: BenchResults): string {
  const all = syncs(r);
  const rows: string[][] = [['', ...all.map(([label]) => label)]];
  const row = (label: string, of: (s: SyncFigures) => string): void => {
    rows.push([label, ...all.map(([, s]) => of(s))]);
  };
  const ms = (x: number): string => `${x.toFixed(0)} ms`;
  row('poll runs in', (s) => s.pollThread);
  row('wall time', (s) => ms(s.ms));
  row('CPU time, bench process (all threads)', (s) => ms(s.cpuMs));
  row('main thread active (event-loop utilization)', (s) => ms(s.loop.activeMs));
  row('written to disk (WAL + checkpoints)', (s) => (s.diskWriteBytes === null ? 'n/a' : `${(s.diskWriteBytes / MiB).toFixed(0)} MiB`));
  row('setup (run row, worker start, load open versions)', (s) => ms(s.breakdown.setupMs));
  for (const phase of ['discovery', 'users', 'groups', 'members', 'commit']) {
    row(`phase: ${phase}`, (s) => (s.breakdown.phases[phase] === undefined ? '—' : ms(s.breakdown.phases[phase] ?? 0)));
  }
  row('HTTP on the wire (≥1 request in flight)', (s) => ms(s.breakdown.http.busyMs));
  row('HTTP responses / MiB', (s) => `${s.breakdown.http.requests} / ${(s.breakdown.http.bytes / MiB).toFixed(0)}`);
  row('HTTP slowest request', (s) => ms(s.breakdown.http.maxMs));
  row('rest: parse/normalize/write not hidden by HTTP', (s) => ms(Math.max(0, s.ms - s.breakdown.http.busyMs)));
  row('event loop max / p99 delay', (s) => `${s.loop.maxDelayMs.toFixed(0)} / ${s.loop.p99DelayMs.toFixed(0)} ms`);
  row('heartbeat: max gap, gaps > 100 ms', (s) => `${s.loop.maxGapMs.toFixed(0)} ms, ${s.loop.stallsOver100ms}`);
  row('users / groups / memberships', (s) => (s.totals ? `${n(s.totals.users)} / ${n(s.totals.groups)} / ${n(s.totals.memberships)}` : s.state));
  row('changed: users +~− ', (s) => (s.changes ? `+${n(s.changes.usersAdded)} ~${n(s.changes.usersChanged)} −${n(s.changes.usersRemoved)}` : '—'));
  row('changed: groups +~−', (s) => (s.changes ? `+${n(s.changes.groupsAdded)} ~${n(s.changes.groupsChanged)} −${n(s.changes.groupsRemoved)}` : '—'));
  row('changed: memberships +−', (s) => (s.changes ? `+${n(s.changes.membershipsAdded)} −${n(s.changes.membershipsRemoved)}` : '—'));
  return table(rows, ['l', 'r', 'r', 'r', 'r']);
}

function objectsTable(first: ObjectSize[] | null, second: ObjectSize[] | null): string {
  if (!first || !second) return '(dbstat is not available in this SQLite build)';
  const after = new Map(second.map((o) => [o.name, o]));
  const rows: string[][] = [['table / index', 'kind', 'rows', 'after sync 1', 'after sync 2', 'growth']];
  const mb = (b: number): string => `${(b / MiB).toFixed(2)} MiB`;
  const names = [...new Set([...first.map((o) => o.name), ...second.map((o) => o.name)])];
  const before = new Map(first.map((o) => [o.name, o]));
  for (const name of names.sort((a, b) => (after.get(b)?.bytes ?? 0) - (after.get(a)?.bytes ?? 0))) {
    const a = before.get(name);
    const b = after.get(name);
    if ((b?.bytes ?? 0) < 8192 && (a?.bytes ?? 0) < 8192) continue;
    const rowCount = b?.rows ?? a?.rows;
    rows.push([
      name === b?.table || !b ? name : `  ${name} (${b.table})`,
      b?.kind ?? a?.kind ?? '',
      rowCount === null || rowCount === undefined ? '' : n(rowCount),
      mb(a?.bytes ?? 0),
      mb(b?.bytes ?? 0),
      mb((b?.bytes ?? 0) - (a?.bytes ?? 0)),
    ]);
  }
  const total = (list: ObjectSize[]): number => list.reduce((s, o) => s + o.bytes, 0);
  rows.push(['total (pages in use)', '', '', mb(total(first)), mb(total(second)), mb(total(second) - total(first))]);
  return table(rows, ['l', 'l', 'r', 'r', 'r', 'r']);
}

/**
 * The longest event-loop stalls of each sync, placed in their phase, with how long the loop was
 * running code during each: the rest of a stall is the thread not being scheduled at all.
 */
function stallLines(r: BenchResults): string[] {
  return syncs(r).map(([label, s]) => {
    const phaseAt = (at: number): string => s.breakdown.phaseStarts.filter((p) => p.at <= at).at(-1)?.phase ?? 'setup';
    const gaps = s.loop.worstGaps.map(
      (g) => `${g.gapMs.toFixed(0)} ms at ${(g.atMs / 1000).toFixed(1)} s (${phaseAt(g.atMs)}; the loop ran code for ${g.busyMs.toFixed(0)} ms of it)`,
    );
    return `${label}: longest stalls ${gaps.join(', ') || 'none over 50 ms'}`;
  });
}

export function formatReport(r: BenchResults): string {
  const all = r.checks ?? checks(r);
  const t = r.tenant;
  const lines: string[] = [];
  lines.push('');
  lines.push(`Driftline scale benchmark — ${n(t.size.users)} users · ${n(t.size.groups)} groups · ${n(t.size.memberships)} memberships${r.scale === 1 ? '' : ` (scale ${r.scale})`}`);
  lines.push(
    `${r.machine.node} · ${r.machine.cpus} × ${r.machine.cpuModel} · ${r.machine.memoryGiB.toFixed(0)} GiB · ${r.at} · ` +
      `load average ${r.machine.loadAtStart.toFixed(1)} before the start, ${r.machine.loadAtEnd.toFixed(1)} at the end (bench included)`,
  );
  lines.push(`Node options: ${r.machine.nodeOptions.join(' ') || '(none)'}`);
  if (!r.machine.launcherFlags) {
    lines.push("WARNING: this process lacks the V8 flags Driftline's launchers set (bin/node-runtime.js); its event-loop figures are not the app's.");
  }
  if (r.machine.loadAtStart > r.machine.cpus / 2) {
    lines.push('WARNING: other work was running on this machine; wall times are inflated. Compare CPU times, or re-run on an idle machine.');
  }
  lines.push(
    `IdP export: ${n(t.idp.rows)} rows (${(t.idp.bytes / MiB).toFixed(1)} MiB): ${t.idp.missing} missing, ${t.idp.extra} extra, ${t.idp.titleChanged} titles and ` +
      `${t.idp.departmentChanged} departments changed, ${t.idp.deactivated} deactivated, memberships −${n(t.idp.membershipsRemoved)} +${n(t.idp.membershipsAdded)}`,
  );
  lines.push(
    `Churn before sync 2: ${n(r.churn.usersChanged)} users (${r.churn.titles} titles, ${r.churn.departments} departments, ${r.churn.deactivated} deactivated), ` +
      `memberships −${n(r.churn.membershipsRemoved)} +${n(r.churn.membershipsAdded)} in ${r.churn.groupsChanged} groups (${r.churn.requests} SCIM writes, ${secs(r.churn.ms)})`,
  );
  lines.push(
    `Floor: ${r.floor.requests} requests (${r.floor.pages.discovery ?? 0} discovery, ${r.floor.pages.users ?? 0} user pages, ${r.floor.pages.groups ?? 0} group pages, ` +
      `${r.floor.pages.groupsById ?? 0} groups by id), ${(r.floor.bytes / MiB).toFixed(0)} MiB, largest JSON.parse ${r.floor.maxParseMs.toFixed(0)} ms`,
  );
  lines.push('');
  lines.push(figuresTable(r, all));
  const failed = all.filter((c) => !c.pass);
  lines.push('');
  lines.push(failed.length === 0 ? 'All targets met.' : `FAIL: ${failed.map((c) => c.figure).join('; ')}`);
  if (!r.requests.identical) {
    lines.push(`  requests only in the sync: ${r.requests.onlyInSync.join(', ') || '—'}; only in the floor: ${r.requests.onlyInFloor.join(', ') || '—'}`);
  }
  lines.push('');
  lines.push('Where the time goes, seen from the main thread (HTTP: request sent to last body byte, from the client\'s debug log; parsing and writing run in the worker threads)');
  lines.push(breakdownTable(r));
  lines.push(...stallLines(r));
  lines.push('');
  lines.push(`Database (after a TRUNCATE checkpoint): ${(r.first.db.bytes / MiB).toFixed(1)} MiB after sync 1, ${(r.second.db.bytes / MiB).toFixed(1)} MiB after sync 2; page size ${r.first.db.pageSize}, free pages ${r.second.db.freePages}`);
  lines.push(objectsTable(r.first.objects, r.second.objects));
  lines.push('');
  lines.push(`Peak RSS per phase (MiB${r.rss.exact ? ', exact: VmHWM reset per phase' : ', maxRSS so far'})`);
  lines.push(table([['phase', 'peak'], ...Object.entries(r.rss.perPhase).map(([phase, mib]) => [phase, mib.toFixed(0)])], ['l', 'r']));
  lines.push('');
  const analyses: Array<[string, AnalysisFigures]> = [
    ['analysis 1', r.first.analysis],
    ['analysis 2', r.second.analysis],
  ];
  if (r.analysisWithStats) analyses.push(['what-if: analysis of the second snapshots', r.analysisWithStats]);
  for (const [label, a] of analyses) {
    const types = Object.entries(a.byType)
      .map(([type, count]) => `${type} ${n(count)}`)
      .join(', ');
    const stats =
      (a.sqliteStatsMs === null ? '' : ` (after ANALYZE, which took ${secs(a.sqliteStatsMs)})`) +
      (a.storeReadyMs === null ? '' : ` (store thread started in ${secs(a.storeReadyMs)}, not counted)`);
    lines.push(
      `${label}${stats}: ${a.analyzed ? `${secs(a.ms)}; ${types || 'no findings'}; ${n(a.opened)} opened, ${n(a.resolved)} resolved` : (a.reason ?? 'not analyzed')}`,
    );
    for (const note of a.notes) lines.push(`  note: ${note}`);
  }
  for (const [label, s] of syncs(r)) {
    if (s.error) lines.push(`${label} ${s.state}: ${s.error}`);
    if (s.warnings > 0) lines.push(`${label}: ${s.warnings} warnings, e.g. ${s.firstWarnings.join(' | ')}`);
    for (const note of s.coverage?.notes ?? []) lines.push(`${label} coverage: ${note}`);
  }
  lines.push(`Bench total: ${secs(r.totalMs)} (server child: generate ${secs(t.server.generateMs)}, export ${secs(t.server.exportMs)}, seed ${secs(t.server.seedMs)}, RSS ${t.server.rssMiB.toFixed(0)} MiB)`);
  return lines.join('\n');
}
