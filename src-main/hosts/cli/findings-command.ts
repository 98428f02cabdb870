import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FindingStatus, FindingType, Severity } from '../../contract/findings';
import { FINDING_STATUSES } from '../../contract/findings';
import { defaultDataDir } from '../../core/data-dir';
import { buildFindingsReport, reportToCsv, reportToJson } from '../../core/reports/findings-report';
import type { Db } from '../../core/store/database';
import type { FindingFilter } from '../../core/store/findings.repo';
import { listFindings } from '../../core/store/findings.repo';
import { openExistingData } from './open-data';

export interface FilterOptions {
  data?: string;
  type?: FindingType[];
  app?: string;
  status: Array<FindingStatus | 'all'>;
  severity?: Severity[];
}

function openData(opts: FilterOptions): Db {
  return openExistingData(opts.data ?? defaultDataDir(), 'Run `driftline sync` first.');
}

function toFilter(opts: FilterOptions): FindingFilter {
  return {
    ...(opts.app ? { app: opts.app } : {}),
    ...(opts.type ? { types: opts.type } : {}),
    ...(opts.severity ? { severities: opts.severity } : {}),
    ...(opts.status.includes('all') ? {} : { statuses: opts.status.filter((s): s is FindingStatus => FINDING_STATUSES.includes(s as FindingStatus)) }),
  };
}

/** `driftline findings`: the findings of the latest complete snapshots. */
export function runFindingsCommand(opts: FilterOptions & { json?: boolean }): number {
  const db = openData(opts);
  try {
    const findings = listFindings(db, toFilter(opts));
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
      return 0;
    }
    if (findings.length === 0) {
      process.stdout.write('No findings.\n');
      return 0;
    }
    for (const f of findings) {
      const status = f.status === 'open' ? '' : `[${f.status}] `;
      process.stdout.write(`${f.severity.toUpperCase().padEnd(8)} ${f.type.padEnd(19)} ${f.app.padEnd(16)} ${f.key}  ${status}${f.message}\n`);
    }
    process.stdout.write(`${findings.length} findings.\n`);
    return 0;
  } finally {
    db.close();
  }
}

/** `driftline report`: findings plus the snapshots they come from, as CSV or JSON. */
export function runReportCommand(opts: FilterOptions & { format: 'csv' | 'json'; out: string }): number {
  const db = openData(opts);
  try {
    const report = buildFindingsReport(db, toFilter(opts));
    const out = resolve(opts.out);
    writeFileSync(out, opts.format === 'csv' ? reportToCsv(report) : reportToJson(report), { mode: 0o600 });
    process.stderr.write(`Wrote ${report.findings.length} findings to ${out}\n`);
    return 0;
  } finally {
    db.close();
  }
}
