import type { ConnectionDto, RunDto, SecretFieldDto } from '../../contract/dto';
import { getPath, isSecretRef, secretFieldPaths } from '../config/secret-fields';
import type { SecretStore } from '../ports';
import type { ConnectionRow } from '../store/connections.repo';
import type { Db } from '../store/database';
import { latestCompleteRun, listRuns, type RunRow } from '../store/runs.repo';

export function toRunDto(run: RunRow): RunDto {
  return {
    id: run.id,
    connection: run.connectionName,
    state: run.state,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.errorCode ? { code: run.errorCode as NonNullable<RunDto['error']>['code'], message: run.errorMessage ?? '' } : null,
    users: run.userCount,
    groups: run.groupCount,
    memberships: run.membershipCount,
    coverageNotes: run.coverage?.notes ?? [],
    warnings: run.warnings,
  };
}

async function secretFields(config: Record<string, unknown>, secrets: SecretStore): Promise<SecretFieldDto[]> {
  return Promise.all(
    secretFieldPaths(config).map(async (field) => {
      const ref = getPath(config, field);
      if (!isSecretRef(ref)) return { field, set: false, source: null, env: null };
      let set = false;
      try {
        set = (await secrets.get(ref)) !== undefined;
      } catch {
        set = false;
      }
      return 'env' in ref ? { field, set, source: 'env' as const, env: ref.env } : { field, set, source: 'store' as const, env: null };
    }),
  );
}

export async function toConnectionDto(db: Db, row: ConnectionRow, secrets: SecretStore): Promise<ConnectionDto> {
  const config = JSON.parse(row.configJson) as Record<string, unknown>;
  const last = listRuns(db, { connectionId: row.id, limit: 1 })[0];
  const complete = latestCompleteRun(db, row.id);
  return {
    name: row.name,
    role: row.role,
    type: row.type as ConnectionDto['type'],
    config,
    secrets: await secretFields(config, secrets),
    lastRun: last ? toRunDto(last) : null,
    lastCompleteRun: complete ? toRunDto(complete) : null,
    capabilities: row.capabilitiesJson ? (JSON.parse(row.capabilitiesJson) as Record<string, unknown>) : null,
  };
}
