// `bench.js --analyze`: one analysis on the bench's database, timed, in its own process (run the way
// the product runs it: in the snapshot store's worker thread). The parent
// kills it at a deadline, which is the only way to stop a synchronous SQLite query that a bad plan
// has made quadratic; in-process, such a query would hang the bench for hours.
import { defaultSnapshotStore } from '../../src-main/core/store/default-snapshot-store';
import { openDatabase } from '../../src-main/core/store/database';
import { isParentMessage, type AnalyzeRequest, type ChildMessage } from './ipc';
import type { AnalysisFigures } from './results';

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function analyze(req: AnalyzeRequest): Promise<AnalysisFigures> {
  const db = openDatabase(req.dbFile);
  // The product's path: the snapshot store's worker thread, as syncWorkspace runs it.
  const store = defaultSnapshotStore(req.dbFile);
  try {
    let sqliteStatsMs: number | null = null;
    if (req.sqliteStats) {
      const t = performance.now();
      db.exec('ANALYZE');
      sqliteStatsMs = performance.now() - t;
    }
    // After a sync the product analyses in a store thread that is running already, with the analysis
    // helper thread it starts when it opens; these have just been started. Their start (threads,
    // modules, the database) is timed on its own.
    const starting = performance.now();
    await store.ready();
    const storeReadyMs = performance.now() - starting;
    globalThis.gc?.();
    const started = performance.now();
    const outcome = await store.analyze(req.app, req.idp);
    const ms = performance.now() - started;
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    if (!outcome.analyzed) {
      return { ms, timedOut: false, sqliteStatsMs, storeReadyMs, rssMiB, analyzed: false, reason: outcome.reason, byType: {}, opened: 0, resolved: 0, notes: [] };
    }
    return {
      ms,
      timedOut: false,
      sqliteStatsMs,
      storeReadyMs,
      rssMiB,
      analyzed: true,
      reason: null,
      byType: outcome.counts.byType,
      opened: outcome.counts.opened + outcome.counts.reopened,
      resolved: outcome.counts.resolved,
      notes: outcome.notes,
    };
  } finally {
    await store.close();
    db.close();
  }
}

export function runAnalysisChild(): void {
  process.on('disconnect', () => process.exit(0));
  process.once('message', (m: unknown) => {
    if (!isParentMessage(m) || m.type !== 'analyze') return;
    analyze(m)
      .then((figures) => send({ type: 'analyzed', figures }))
      .catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }))
      .finally(() => process.disconnect());
  });
}
