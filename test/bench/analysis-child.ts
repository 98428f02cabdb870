// `bench.js --analyze`: one analyzeApp on the bench's database, timed, in its own process. The parent
// kills it at a deadline, which is the only way to stop a synchronous SQLite query that a bad plan
// has made quadratic; in-process, such a query would hang the bench for hours.
import { analyzeApp } from '../../src-main/core/findings/analyze-app';
import { openDatabase } from '../../src-main/core/store/database';
import { isParentMessage, type AnalyzeRequest, type ChildMessage } from './ipc';
import type { AnalysisFigures } from './results';

function send(message: ChildMessage): void {
  process.send?.(message);
}

function analyze(req: AnalyzeRequest): AnalysisFigures {
  const db = openDatabase(req.dbFile);
  try {
    let sqliteStatsMs: number | null = null;
    if (req.sqliteStats) {
      const t = performance.now();
      db.exec('ANALYZE');
      sqliteStatsMs = performance.now() - t;
    }
    globalThis.gc?.();
    const started = performance.now();
    const outcome = analyzeApp(db, req.app, req.idp);
    const ms = performance.now() - started;
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    if (!outcome.analyzed) {
      return { ms, timedOut: false, sqliteStatsMs, rssMiB, analyzed: false, reason: outcome.reason, byType: {}, opened: 0, resolved: 0, notes: [] };
    }
    return {
      ms,
      timedOut: false,
      sqliteStatsMs,
      rssMiB,
      analyzed: true,
      reason: null,
      byType: outcome.counts.byType,
      opened: outcome.counts.opened + outcome.counts.reopened,
      resolved: outcome.counts.resolved,
      notes: outcome.notes,
    };
  } finally {
    db.close();
  }
}

export function runAnalysisChild(): void {
  process.on('disconnect', () => process.exit(0));
  process.once('message', (m: unknown) => {
    if (!isParentMessage(m) || m.type !== 'analyze') return;
    try {
      send({ type: 'analyzed', figures: analyze(m) });
    } catch (err) {
      send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    process.disconnect();
  });
}
