// The benchmark run: tenant up in a child process, floor, first sync and analysis, 2% churn, second
// sync and analysis (and, when the first analysis missed its deadline, a what-if analysis after
// ANALYZE), with the figures the issue asks for collected into one BenchResults.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { hasNodeFlags, NODE_FLAGS } from '../../bin/node-runtime';
import type { DriftlineConfig } from '../../src-main/core/config/schema';
import type { ConnectorEnv } from '../../src-main/core/connectors/create-connector';
import { createHttpClient } from '../../src-main/core/http/client';
import { envSecretStore } from '../../src-main/core/secrets/resolve';
import { defaultSnapshotStore } from '../../src-main/core/store/default-snapshot-store';
import { syncConnection } from '../../src-main/core/sync/sync-connection';
import { silentLogger } from '../../src-main/core/ports';
import { DATABASE_FILE, openWorkspace, pollSourceFor, syncWorkspace, type Workspace, type WorkspaceConnection } from '../../src-main/core/workspace';
import { benchConfig, LIMITS, TOKEN_ENV } from './config';
import { measureFloor, type FloorResult } from './floor';
import { createSyncProbe } from './instrument';
import { expectFrom, type ServerReady } from './ipc';
import { checkpointedSize, createRssMeter, diskWriteBytes, objectSizes, watchEventLoop } from './measure';
import type { AnalysisFigures, BenchResults, RequestComparison, SyncFigures } from './results';
import type { TenantSize } from './tenant';

export interface BenchOptions {
  size: TenantSize;
  scale: number;
  /** Keep the temp folder (database, HR export) for inspection. */
  keep: boolean;
  churnRate: number;
  /** The analysis process is killed after this long. */
  analysisTimeoutMs: number;
  /** Run ANALYZE before each analysis (what-if). */
  sqliteStats: boolean;
}

function step(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function gc(): void {
  globalThis.gc?.();
}

/** Forks this script (`bench.js`) in one of its child modes. */
function forkSelf(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const script = process.argv[1];
  if (script === undefined) throw new Error('Cannot tell which script to fork');
  return fork(script, args, {
    env,
    // Not the parent's flags: a --cpu-prof of the bench must not profile its children too. Run from
    // source (`node --import tsx test/bench/bench.ts`), the children need tsx as well. The analysis
    // child runs as the app's process would: with the launchers' V8 flags.
    execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), '--expose-gc', ...NODE_FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Starts `bench.js --serve` and waits for its tenant; the token travels in the environment, not argv. */
function startServerChild(options: BenchOptions, dir: string, token: string): { child: ChildProcess; ready: Promise<ServerReady> } {
  const child = forkSelf(['--serve', '--dir', dir, '--scale', String(options.scale)], { ...process.env, [TOKEN_ENV]: token });
  return { child, ready: expectFrom(child, 'ready') };
}

async function timedSync(ws: Workspace, connection: WorkspaceConnection, env: ConnectorEnv): Promise<SyncFigures> {
  gc();
  const loop = watchEventLoop();
  const probe = createSyncProbe();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const written = diskWriteBytes();
  // What syncWorkspace does for one connection, as in the product: from the build, the poll runs in
  // a sync worker that writes to the store's worker thread. The probe reads progress and log lines.
  const store = defaultSnapshotStore(ws.db.name);
  const source = pollSourceFor(connection, store, env);
  const outcome = await syncConnection({
    ...source,
    store,
    connectionId: connection.id,
    name: connection.name,
    signal: new AbortController().signal,
    logger: probe.logger,
    onProgress: (p) => probe.onProgress(p),
  }).finally(() => store.close());
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const writtenAfter = diskWriteBytes();
  return {
    pollThread: 'poll' in source ? 'sync worker' : 'main thread',
    state: outcome.state,
    error: outcome.error?.message ?? null,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    diskWriteBytes: written === null || writtenAfter === null ? null : writtenAfter - written,
    totals: outcome.totals,
    changes: outcome.changes,
    coverage: outcome.coverage ? { memberships: outcome.coverage.memberships, notes: outcome.coverage.notes } : null,
    warnings: outcome.warnings.length,
    firstWarnings: outcome.warnings.slice(0, 3),
    loop: await loop.stop(),
    breakdown: probe.finish(outcome.elapsedMs),
  };
}

/**
 * The first sync exactly as `driftline sync` runs it (syncWorkspace: both connections at once, then
 * the analysis), on a data folder of its own that is removed afterwards; the figures per connection
 * come from the runs one at a time that follow.
 */
async function syncTogether(dataDir: string, config: DriftlineConfig, env: ConnectorEnv): Promise<BenchResults['together']> {
  gc();
  const ws = openWorkspace(dataDir, config);
  try {
    const started = performance.now();
    let syncsMs = 0;
    const { syncs } = await syncWorkspace(ws, {
      ...env,
      signalFor: () => new AbortController().signal,
      logger: silentLogger,
      onFinished: () => {
        syncsMs = performance.now() - started;
      },
    });
    return { syncsMs, totalMs: performance.now() - started, syncs: syncs.map((s) => ({ connection: s.connection, state: s.state })) };
  } finally {
    ws.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** analyzeApp in `bench.js --analyze`, killed at the deadline. */
async function timedAnalysis(ws: Workspace, dbFile: string, options: BenchOptions): Promise<AnalysisFigures> {
  const app = ws.apps[0];
  if (!app) throw new Error('The bench config has no app');
  const child = forkSelf(['--analyze']);
  const reply = expectFrom(child, 'analyzed', {
    type: 'analyze',
    dbFile,
    app: { connectionId: app.id, name: app.name, config: app.config },
    idp: { connectionId: ws.idp.id, name: ws.idp.name },
    sqliteStats: options.sqliteStats,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.analysisTimeoutMs);
  });
  try {
    const result = await Promise.race([reply, deadline]);
    if (result !== null) return result.figures;
    // The child's exit now rejects `reply`; nobody is waiting for it any more.
    reply.catch(() => undefined);
    child.kill('SIGKILL');
    return {
      ms: options.analysisTimeoutMs,
      timedOut: true,
      sqliteStatsMs: null,
      storeReadyMs: null,
      rssMiB: null,
      analyzed: false,
      reason: `stopped after ${options.analysisTimeoutMs / 1000} s`,
      byType: {},
      opened: 0,
      resolved: 0,
      notes: [],
    };
  } finally {
    clearTimeout(timer);
  }
}

function skippedAnalysis(reason: string): AnalysisFigures {
  return { ms: 0, timedOut: false, sqliteStatsMs: null, storeReadyMs: null, rssMiB: null, analyzed: false, reason, byType: {}, opened: 0, resolved: 0, notes: [] };
}

/** The floor asks for what the sync asked for; this says whether that held, request for request. */
function compareRequests(floor: FloorResult, sync: readonly string[]): RequestComparison {
  const count = (list: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of list) m.set(r, (m.get(r) ?? 0) + 1);
    return m;
  };
  const f = count(floor.requests);
  const s = count(sync);
  const diff = (a: Map<string, number>, b: Map<string, number>): string[] =>
    [...a].flatMap(([r, n]) => Array.from({ length: Math.max(0, n - (b.get(r) ?? 0)) }, () => r));
  const onlyInSync = diff(s, f);
  const onlyInFloor = diff(f, s);
  return {
    floor: floor.requests.length,
    sync: sync.length,
    identical: onlyInSync.length === 0 && onlyInFloor.length === 0,
    onlyInSync: onlyInSync.slice(0, 5),
    onlyInFloor: onlyInFloor.slice(0, 5),
  };
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const rss = createRssMeter();
  // Taken before the bench starts any work of its own, which the load average would otherwise count.
  const loadAtStart = loadavg()[0] ?? 0;
  if (loadAtStart > cpus().length / 2) {
    step(`warning: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${cpus().length} CPUs); timings will be inflated`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-'));
  const token = randomBytes(24).toString('base64url');
  const started = performance.now();
  step(`generating ${options.size.users} users, ${options.size.groups} groups, ${options.size.memberships} memberships in the SCIM server child…`);
  const { child, ready: readyPromise } = startServerChild(options, dir, token);
  let ws: Workspace | undefined;
  try {
    const ready = await readyPromise;
    step(`server ready at ${ready.url} (generate ${fmt(ready.generateMs)}, export ${fmt(ready.exportMs)}, seed ${fmt(ready.seedMs)}, RSS ${ready.rssMiB.toFixed(0)} MiB)`);

    const config = benchConfig(ready.url, ready.csvPath);
    const dataDir = join(dir, 'data');
    ws = openWorkspace(dataDir, config);
    const app = ws.apps[0];
    if (!app) throw new Error('The bench config has no app');
    const env: ConnectorEnv = { secrets: envSecretStore({ [TOKEN_ENV]: token }), createHttpClient, baseDir: dir };
    const floorOptions = { baseUrl: ready.url, token, pageSize: LIMITS.pageSize, concurrency: LIMITS.concurrency };
    rss.phase('setup');

    step('floor: warm-up pass (5 pages per listing)…');
    await measureFloor({ ...floorOptions, maxPages: 5 });
    gc();
    step('floor: plain fetch + JSON.parse of every page the sync requests…');
    const floor = await measureFloor(floorOptions);
    gc();
    rss.phase('floor');
    step(`floor ${fmt(floor.ms)} for ${floor.requests.length} requests, ${(floor.bytes / 2 ** 20).toFixed(0)} MiB`);

    step('driftline sync on a fresh data folder: IdP and app at once, then the analysis…');
    const together = await syncTogether(join(dir, 'data-together'), config, env);
    rss.phase('driftline sync (both at once)');
    step(`driftline sync: syncs done in ${fmt(together.syncsMs)}, with the analysis ${fmt(together.totalMs)} (${together.syncs.map((s) => `${s.connection} ${s.state}`).join(', ')})`);

    await expectFrom(child, 'cleared', { type: 'clear-requests' });
    step('sync 1: app (full)…');
    const app1 = await timedSync(ws, app, env);
    const appRss1 = rss.phase('sync 1: app');
    step(`sync 1 app: ${app1.state} in ${fmt(app1.ms)}, loop max ${app1.loop.maxDelayMs.toFixed(0)} ms, RSS peak ${appRss1.toFixed(0)} MiB`);
    const syncRequests = (await expectFrom(child, 'requests', { type: 'requests' })).requests;
    const requests = compareRequests(
      floor,
      syncRequests.map((r) => r.target),
    );

    step('sync 1: IdP (HR export)…');
    const idp1 = await timedSync(ws, ws.idp, env);
    rss.phase('sync 1: IdP');
    step(`sync 1 IdP: ${idp1.state} in ${fmt(idp1.ms)}`);

    const dbFile = join(dataDir, DATABASE_FILE);
    step(`analysis 1 (in a child process, deadline ${fmt(options.analysisTimeoutMs)})…`);
    const analysis1 = await timedAnalysis(ws, dbFile, options);
    rss.phase('analysis 1 (parent idle)');
    step(`analysis 1: ${analysis1.timedOut ? 'stopped at the deadline' : fmt(analysis1.ms)}`);
    const size1 = checkpointedSize(ws.db, dbFile);
    const objects1 = objectSizes(ws.db);

    step(`churn: ${(options.churnRate * 100).toFixed(0)}% of users and memberships, through SCIM writes in the server child…`);
    const churn = (await expectFrom(child, 'churned', { type: 'churn', rate: options.churnRate })).churn;
    step(`churn applied in ${fmt(churn.ms)} (${churn.requests} requests)`);
    gc();
    rss.phase('dbstat + churn (parent idle)');

    step('sync 2: app (2% churn)…');
    const app2 = await timedSync(ws, app, env);
    rss.phase('sync 2: app');
    step(`sync 2 app: ${app2.state} in ${fmt(app2.ms)}`);
    step('sync 2: IdP (unchanged export)…');
    const idp2 = await timedSync(ws, ws.idp, env);
    rss.phase('sync 2: IdP');
    // A second run of a query plan that already missed the deadline would only miss it again.
    const analysis2 = analysis1.timedOut ? skippedAnalysis('not run: analysis 1 missed the deadline') : await timedAnalysis(ws, dbFile, options);
    rss.phase('analysis 2 (parent idle)');
    step(`analysis 2: ${analysis2.analyzed ? fmt(analysis2.ms) : (analysis2.reason ?? '')}`);
    const size2 = checkpointedSize(ws.db, dbFile);
    const objects2 = objectSizes(ws.db);
    // Last, because ANALYZE leaves planner statistics behind that would change every later query plan.
    let whatIf: AnalysisFigures | null = null;
    if (analysis1.timedOut && !options.sqliteStats) {
      step('what-if: the same analysis after ANALYZE (planner statistics), on the second snapshots…');
      whatIf = await timedAnalysis(ws, dbFile, { ...options, sqliteStats: true });
      step(`what-if analysis: ${whatIf.analyzed ? fmt(whatIf.ms) : (whatIf.reason ?? '')}`);
    }

    const syncPhases = ['driftline sync (both at once)', 'sync 1: app', 'sync 1: IdP', 'sync 2: app', 'sync 2: IdP'];
    return {
      at: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: totalmem() / 2 ** 30,
        loadAtStart,
        loadAtEnd: loadavg()[0] ?? 0,
        nodeOptions: process.execArgv,
        launcherFlags: hasNodeFlags(),
      },
      scale: options.scale,
      tenant: { size: ready.size, idp: ready.idp, server: { generateMs: ready.generateMs, exportMs: ready.exportMs, seedMs: ready.seedMs, rssMiB: ready.rssMiB } },
      limits: LIMITS,
      attributes: app.config.attributes.length,
      sqliteStats: options.sqliteStats,
      floor: { ms: floor.ms, cpuMs: floor.cpuMs, bytes: floor.bytes, requests: floor.requests.length, pages: floor.pages, maxParseMs: floor.maxParseMs },
      requests,
      together,
      first: { app: app1, idp: idp1, analysis: analysis1, db: size1, objects: objects1 },
      churn,
      second: { app: app2, idp: idp2, analysis: analysis2, db: size2, objects: objects2 },
      analysisWithStats: whatIf,
      rss: {
        exact: rss.exact,
        overallMiB: rss.overallMiB(),
        syncMiB: Math.max(...syncPhases.map((p) => rss.perPhase[p] ?? 0)),
        analysisMiB: Math.max(analysis1.rssMiB ?? 0, analysis2.rssMiB ?? 0, whatIf?.rssMiB ?? 0),
        perPhase: rss.perPhase,
      },
      totalMs: performance.now() - started,
    };
  } finally {
    ws?.close();
    if (child.connected) {
      child.send({ type: 'stop' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (options.keep) step(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export function writeResults(file: string, results: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

export function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
