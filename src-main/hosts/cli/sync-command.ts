import { loadConfig } from '../../core/config/load-config';
import { defaultDataDir } from '../../core/data-dir';
import { createHttpClient } from '../../core/http/client';
import { envSecretStore } from '../../core/secrets/resolve';
import { openWorkspace, syncWorkspace } from '../../core/workspace';
import { stderrLogger } from '../shared/stderr-logger';
import { progressRenderer } from './progress';

export interface SyncCommandOptions {
  config: string;
  data?: string;
  only?: string[];
  verbose?: boolean;
}

/** `driftline sync`: exit 0 only when every run completed. */
export async function runSyncCommand(opts: SyncCommandOptions): Promise<number> {
  const loaded = await loadConfig(opts.config);
  const ws = openWorkspace(opts.data ?? defaultDataDir(), loaded.config);
  const abort = new AbortController();
  // A terminal's Ctrl+C arrives twice when bin/driftline.js relaunched this process: SIGINT from the
  // terminal and SIGTERM from the launcher. Each is handled once; a further one ends the process.
  const onSignal = (): void => {
    if (abort.signal.aborted) return;
    process.stderr.write('\nCancelling… (the previous snapshots are kept)\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = progressRenderer(process.stderr);
  try {
    const { syncs, analyses } = await syncWorkspace(ws, {
      secrets: envSecretStore(),
      createHttpClient,
      baseDir: loaded.baseDir,
      signalFor: () => abort.signal,
      logger: stderrLogger(opts.verbose ? 'debug' : 'warn'),
      onProgress: (p) => progress.update(p),
      ...(opts.only ? { only: opts.only } : {}),
    });
    progress.done();
    for (const s of syncs) {
      if (s.state === 'complete' && s.totals) {
        const c = s.changes;
        const delta = c ? ` (+${c.usersAdded} ~${c.usersChanged} -${c.usersRemoved} users)` : '';
        process.stderr.write(
          `✔ ${s.connection}: ${s.totals.users} users, ${s.totals.groups} groups, ${s.totals.memberships} memberships${delta} in ${(s.elapsedMs / 1000).toFixed(1)} s\n`,
        );
        for (const note of s.coverage?.notes ?? []) process.stderr.write(`  coverage: ${note}\n`);
        for (const w of s.warnings.slice(0, 10)) process.stderr.write(`  warning: ${w}\n`);
        if (s.warnings.length > 10) process.stderr.write(`  …and ${s.warnings.length - 10} more warnings\n`);
      } else {
        process.stderr.write(`✘ ${s.connection}: ${s.state} — ${s.error?.message ?? 'unknown error'} [${s.error?.code ?? 'internal'}]\n`);
      }
    }
    for (const a of analyses) {
      if (!a.analyzed) {
        process.stderr.write(`  ${a.app}: not analyzed — ${a.reason}\n`);
        continue;
      }
      const open = Object.entries(a.counts.byType)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ');
      process.stderr.write(`  ${a.app}: ${open || 'no findings'}; ${a.counts.opened} new, ${a.counts.resolved} resolved\n`);
      for (const note of a.notes) process.stderr.write(`  note: ${note}\n`);
    }
    return syncs.every((s) => s.state === 'complete') ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    ws.close();
  }
}
