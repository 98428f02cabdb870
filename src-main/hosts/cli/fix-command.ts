import { createInterface } from 'node:readline/promises';
import type { ActionDto, ActionKind } from '../../contract/actions';
import type { FindingType } from '../../contract/findings';
import { createActionService, type ActionService } from '../../core/actions/action-service';
import { openAuditLog } from '../../core/audit/audit-log';
import { loadConfig } from '../../core/config/load-config';
import { defaultDataDir } from '../../core/data-dir';
import { DriftlineError } from '../../core/errors';
import { createEventHub } from '../../core/events';
import { createHttpClient } from '../../core/http/client';
import { currentOperator } from '../../core/operator';
import { envSecretStore } from '../../core/secrets/resolve';
import { listFindings } from '../../core/store/findings.repo';
import { openWorkspace, type Workspace } from '../../core/workspace';
import { stderrLogger } from '../shared/stderr-logger';

export interface FixOptions {
  config: string;
  data?: string;
  finding?: string;
  type?: FindingType;
  app?: string;
  action?: ActionKind;
  target?: string;
  dryRun?: boolean;
  yes?: boolean;
  confirm?: string;
  verbose?: boolean;
}

async function openRemediation(opts: FixOptions): Promise<{ ws: Workspace; actions: ActionService; close(): void }> {
  const loaded = await loadConfig(opts.config);
  const dataDir = opts.data ?? defaultDataDir();
  const ws = openWorkspace(dataDir, loaded.config);
  const audit = openAuditLog(ws.db, dataDir);
  const actions = createActionService({
    db: ws.db,
    audit,
    secrets: envSecretStore(),
    createHttpClient,
    logger: stderrLogger(opts.verbose ? 'debug' : 'warn'),
    events: createEventHub(),
    operator: currentOperator(),
  });
  const settled = await actions.reconcilePending();
  if (settled > 0) process.stderr.write(`Settled ${settled} write(s) left unfinished by an earlier run (by reading their targets).\n`);
  return {
    ws,
    actions,
    close: () => {
      audit.flushHead();
      ws.close();
    },
  };
}

function preview(a: ActionDto): string {
  const headers = Object.entries(a.request.headers)
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n');
  return [
    `${a.summary}`,
    `  finding ${a.findingKey ?? '-'}, action #${a.id}`,
    `${a.request.method} ${a.request.url}`,
    headers,
    a.request.body === null ? '' : JSON.stringify(a.request.body, null, 2).replace(/^/gm, '  '),
    a.request.note ? `  note: ${a.request.note}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Writes need a deliberate yes: --yes, or typing "yes" at a terminal. */
async function confirmed(opts: FixOptions, question: string): Promise<boolean> {
  if (opts.yes) return true;
  if (!process.stdin.isTTY) {
    process.stderr.write('Not applied: pass --yes to apply without a terminal prompt (or --dry-run to only check).\n');
    return false;
  }
  return (await ask(`${question} Type "yes" to apply: `)).toLowerCase() === 'yes';
}

function outcomeLine(a: ActionDto): string {
  return `#${a.id} ${a.state.toUpperCase()}: ${a.summary} — ${a.outcome ?? ''}`;
}

/** `driftline fix`: one finding (--finding) or every open finding of a type in an app (--type --app). */
export async function runFixCommand(opts: FixOptions): Promise<number> {
  if (!opts.finding && !(opts.type && opts.app)) throw new DriftlineError('invalid_argument', 'Give --finding KEY, or --type TYPE with --app NAME.');
  const { ws, actions, close } = await openRemediation(opts);
  try {
    if (opts.finding) {
      const plan = actions.plan(opts.finding, { ...(opts.action ? { kind: opts.action } : {}), ...(opts.target ? { targetId: opts.target } : {}) });
      process.stdout.write(`${preview(plan)}\n`);
      if (opts.dryRun) {
        const dry = await actions.dryRun(plan.id);
        process.stdout.write(`Dry run (GET requests only): ${dry.outcome}\n`);
        actions.cancelPlanned(plan.id, 'dry run');
        return 0;
      }
      if (!(await confirmed(opts, 'Send this request?'))) {
        actions.cancelPlanned(plan.id, 'not confirmed');
        return 3;
      }
      const done = await actions.apply(plan.id, opts.confirm);
      process.stdout.write(`${outcomeLine(done)}\n`);
      return done.state === 'confirmed' ? 0 : 1;
    }

    const keys = listFindings(ws.db, { app: opts.app, types: opts.type ? [opts.type] : [], statuses: ['open'] }).map((f) => f.key);
    if (keys.length === 0) {
      process.stdout.write(`No open ${opts.type} findings in ${opts.app}.\n`);
      return 0;
    }
    const bulk = actions.planBulk(keys);
    process.stdout.write(`${bulk.actions.length} change(s) to ${bulk.app}: ${Object.entries(bulk.byKind).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
    for (const a of bulk.actions) process.stdout.write(`${preview(a)}\n\n`);
    for (const s of bulk.skipped) process.stdout.write(`skipped ${s.key}: ${s.reason}\n`);
    if (bulk.actions.length === 0) return 0;
    if (opts.dryRun) {
      for (const a of bulk.actions) {
        process.stdout.write(`#${a.id} dry run: ${(await actions.dryRun(a.id)).outcome}\n`);
        actions.cancelPlanned(a.id, 'dry run');
      }
      return 0;
    }
    let confirmName = opts.confirm;
    if (bulk.requiresTypedConfirmation) {
      // Above the threshold only the typed app name confirms; --yes alone is not enough.
      if (confirmName === undefined && !process.stdin.isTTY) {
        process.stderr.write(`Not applied: ${bulk.actions.length} changes exceed the threshold of ${bulk.threshold}; pass --confirm "${bulk.app}".\n`);
        for (const a of bulk.actions) actions.cancelPlanned(a.id, 'not confirmed');
        return 3;
      }
      confirmName ??= await ask(`This changes ${bulk.actions.length} items (threshold ${bulk.threshold}). Type the app's name to confirm: `);
    } else if (!(await confirmed(opts, `Send these ${bulk.actions.length} requests?`))) {
      for (const a of bulk.actions) actions.cancelPlanned(a.id, 'not confirmed');
      return 3;
    }
    const batchId = actions.applyBatch(
      bulk.actions.map((a) => a.id),
      confirmName,
    );
    await actions.idle();
    const results = actions.list({ batchId });
    for (const a of results) process.stdout.write(`${outcomeLine(a)}\n`);
    return results.every((a) => a.state === 'confirmed') ? 0 : 1;
  } finally {
    close();
  }
}
