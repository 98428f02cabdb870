import type { ApiHandlers } from '../../contract/api';
import type { AppSummaryDto, FindingDetailDto, RecordSideDto } from '../../contract/dto';
import { compileMappings, type CompiledMapping } from '../analysis/attribute-drift';
import { sideBySide } from '../analysis/side-by-side';
import type { SnapshotUser } from '../analysis/types';
import { scimAppSchema } from '../config/schema';
import { DriftlineError } from '../errors';
import { buildFindingsReport, reportToCsv, reportToJson } from '../reports/findings-report';
import { recordAtRun, type RecordAtRun } from '../store/analysis.repo';
import { getConnectionByName, listConnections } from '../store/connections.repo';
import { findingEvents, getFinding, latestAnalyses, listFindings, openFindingCounts } from '../store/findings.repo';
import { getRun, latestCompleteRun, listRuns } from '../store/runs.repo';
import type { CoreContext } from './context';
import { exportName } from './export-name';
import { toRunDto } from './dto-mappers';

type FindingHandlers = Pick<ApiHandlers, 'findings.list' | 'findings.get' | 'findings.export' | 'dashboard.get' | 'runs.list'>;

function side(record: RecordAtRun | undefined, attributes: Record<string, string | null>): RecordSideDto | null {
  if (!record) return null;
  const u = record.user;
  return {
    id: u?.remoteId ?? record.group?.remoteId ?? '',
    userName: u?.userName ?? null,
    displayName: u?.displayName ?? record.group?.displayName ?? null,
    email: u?.email ?? null,
    active: u?.active ?? null,
    status: u?.status ?? null,
    attributes,
    raw: record.raw,
  };
}

function mappingsOf(configJson: string | undefined): CompiledMapping[] {
  if (!configJson) return [];
  const parsed = scimAppSchema.safeParse(JSON.parse(configJson));
  if (!parsed.success) return [];
  return compileMappings(parsed.data);
}


export function findingHandlers(ctx: CoreContext): FindingHandlers {
  const { db } = ctx;
  return {
    'findings.list': (query) => Promise.resolve(listFindings(db, query ?? {})),

    'findings.get': ({ key }) => {
      const f = getFinding(db, key);
      if (!f) throw new DriftlineError('invalid_argument', `No finding ${key}.`);
      const appConnection = listConnections(db).find((c) => c.id === f.appConnectionId);
      const appRecord =
        f.appRunId !== null && f.dto.appId ? recordAtRun(db, { connectionId: f.appConnectionId, runId: f.appRunId }, f.dto.appId.split(',')[0] ?? '') : undefined;
      const idpRun = f.idpRunId !== null ? getRun(db, f.idpRunId) : undefined;
      const idpRecord = idpRun && f.dto.idpId ? recordAtRun(db, { connectionId: idpRun.connectionId, runId: idpRun.id }, f.dto.idpId) : undefined;
      const appUser: SnapshotUser | null = appRecord?.user ?? null;
      const idpUser: SnapshotUser | null = idpRecord?.user ?? null;
      const compared = sideBySide(appUser, appRecord?.raw, idpUser, mappingsOf(appConnection?.configJson));
      const detail: FindingDetailDto = {
        finding: f.dto,
        app: side(appRecord, compared.app),
        idp: side(idpRecord, compared.idp),
        differing: compared.differing,
        history: findingEvents(db, f.id),
        details: f.details,
      };
      return Promise.resolve(detail);
    },

    'findings.export': ({ query, keys, format }) => {
      const report = buildFindingsReport(db, query ?? {});
      if (keys) {
        // The rows of the view, in the view's order.
        const byKey = new Map(report.findings.map((f) => [f.key, f]));
        report.findings = keys.map((k) => byKey.get(k)).filter((f) => f !== undefined);
      }
      return Promise.resolve({
        fileName: exportName('findings', format),
        mimeType: format === 'csv' ? 'text/csv' : 'application/json',
        content: format === 'csv' ? reportToCsv(report) : reportToJson(report),
      });
    },

    'dashboard.get': () => {
      const connections = listConnections(db);
      const counts = openFindingCounts(db);
      const analyses = new Map(latestAnalyses(db).map((a) => [a.appConnectionId, a]));
      const summary = (id: number) => {
        const last = listRuns(db, { connectionId: id, limit: 1 })[0];
        const complete = latestCompleteRun(db, id);
        const warnings = [...(complete?.coverage?.notes ?? [])];
        if (last && last.state !== 'complete' && last.state !== 'running') {
          warnings.unshift(`Last sync ${last.state}: ${last.errorMessage ?? 'no details'} [${last.errorCode ?? 'unknown'}]`);
        }
        return { lastSuccessfulSync: complete?.finishedAt ?? null, lastRunState: last?.state ?? null, warnings };
      };
      const idpRow = connections.find((c) => c.role === 'idp');
      const apps: AppSummaryDto[] = connections
        .filter((c) => c.role === 'app')
        .map((c) => {
          const mine = counts.filter((n) => n.appConnectionId === c.id);
          const byType: AppSummaryDto['byType'] = {};
          const bySeverity: AppSummaryDto['bySeverity'] = {};
          for (const n of mine) {
            byType[n.type] = (byType[n.type] ?? 0) + n.n;
            bySeverity[n.severity] = (bySeverity[n.severity] ?? 0) + n.n;
          }
          const s = summary(c.id);
          const analysis = analyses.get(c.id);
          return {
            app: c.name,
            open: mine.reduce((t, n) => t + n.n, 0),
            byType,
            bySeverity,
            lastSuccessfulSync: s.lastSuccessfulSync,
            lastRunState: s.lastRunState,
            warnings: [...s.warnings, ...(analysis?.notes ?? [])],
            analyzedAt: analysis?.at ?? null,
          };
        });
      return Promise.resolve({ idp: idpRow ? { name: idpRow.name, ...summary(idpRow.id) } : null, apps });
    },

    'runs.list': (args) => {
      const connection = args?.name ? getConnectionByName(db, args.name) : undefined;
      if (args?.name && !connection) throw new DriftlineError('invalid_argument', `No connection named "${args.name}".`);
      return Promise.resolve(listRuns(db, { ...(connection ? { connectionId: connection.id } : {}), limit: args?.limit ?? 50 }).map(toRunDto));
    },
  };
}
