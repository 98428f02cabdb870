import { mapGroups, type GroupMappingConfig } from '../analysis/group-findings';
import type { AnalysisNames, SnapshotGroup } from '../analysis/types';
import type { Coverage } from '../model';
import { snapshotGroups, unreadGroups } from './analysis.repo';
import type { Db } from './database';
import type { SnapshotRef } from './snapshot-sql';

export interface GroupPlanInput {
  app: SnapshotRef;
  idp: SnapshotRef;
  groups: GroupMappingConfig;
  coverage: { app: Coverage; idp: Coverage };
  names: AnalysisNames;
}

export interface GroupPlan {
  appGroups: SnapshotGroup[];
  /** Every app group mapped to an IdP group: app group → IdP group. */
  pairs: Map<number, number>;
  /**
   * The mapped groups whose members both sides read, as [app group, IdP group] (the membership
   * queries take them as JSON), or null when memberships cannot be compared.
   */
  comparable: Array<[app: number, idp: number]> | null;
  notes: string[];
}

/**
 * The group side of an analysis: which app group stands for which IdP group, and whether members
 * can be compared. It reads only the snapshots, so the analysis asks the helper thread for it while
 * it correlates the accounts.
 */
export function groupPlan(db: Db, input: GroupPlanInput): GroupPlan {
  const { coverage, names } = input;
  const appGroups = snapshotGroups(db, input.app);
  const mapping = mapGroups(snapshotGroups(db, input.idp), appGroups, input.groups);
  const { pairs, notes } = mapping;
  if (coverage.idp.memberships === 'none' || coverage.app.memberships === 'none') {
    notes.push(
      `No membership findings: ${coverage.idp.memberships === 'none' ? names.idp : names.app} did not show its group members (${[...coverage.idp.notes, ...coverage.app.notes].join(' ')}).`,
    );
    return { appGroups, pairs, comparable: null, notes };
  }
  const unreadApp = unreadGroups(db, input.app.runId);
  const unreadIdp = unreadGroups(db, input.idp.runId);
  const comparable = [...pairs].filter(([a, i]) => !unreadApp.has(a) && !unreadIdp.has(i));
  if (comparable.length < pairs.size) {
    notes.push(`${pairs.size - comparable.length} mapped groups had unreadable member lists; their memberships were not compared.`);
  }
  return { appGroups, pairs, comparable, notes };
}
