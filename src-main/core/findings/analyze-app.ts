import { compileRule } from '../analysis/match-keys';
import { attributeDifferences, compileMappings } from '../analysis/attribute-drift';
import { correlate } from '../analysis/correlate';
import { mapGroups, membershipFindings, orphanedGroupFindings } from '../analysis/group-findings';
import type { SnapshotUser } from '../analysis/types';
import { userFindings } from '../analysis/user-findings';
import type { ScimAppConfig } from '../config/schema';
import {
  groupMembers,
  matchCandidates,
  membershipDiff,
  snapshotGroups,
  snapshotUsers,
  unreadGroups,
  userRawLocations,
  type SnapshotRef,
} from '../store/analysis.repo';
import type { Db } from '../store/database';
import { createRawReader, type RawLocation } from '../store/raw-chunks';
import { recordAnalysis, type AnalysisCounts } from '../store/findings.repo';
import { latestCompleteRun } from '../store/runs.repo';

export interface AnalyzeTarget {
  connectionId: number;
  name: string;
}

export type AnalysisOutcome =
  | { app: string; analyzed: true; analysisId: number; counts: AnalysisCounts; notes: string[]; idpRunId: number; appRunId: number }
  | { app: string; analyzed: false; reason: string };

/** The scope predicate for an app: everyone, or members of the named IdP groups. */
function scopeOf(
  db: Db,
  config: ScimAppConfig,
  idp: SnapshotRef,
  notes: string[],
): { inScope: (u: SnapshotUser) => boolean | null; label: string } {
  if (config.scope.type === 'all') return { inScope: () => true, label: 'everyone is in scope' };
  const wanted = new Set(config.scope.groups.map((g) => g.toLowerCase()));
  const groups = snapshotGroups(db, idp).filter((g) => g.displayName !== null && wanted.has(g.displayName.toLowerCase()));
  const unread = unreadGroups(db, idp.runId);
  const label = `not a member of ${config.scope.groups.join(', ')}`;
  if (groups.length < wanted.size) {
    const found = new Set(groups.map((g) => g.displayName?.toLowerCase()));
    notes.push(`Scope groups missing from the IdP: ${[...wanted].filter((w) => !found.has(w)).join(', ')}.`);
  }
  if (groups.some((g) => unread.has(g.res))) {
    notes.push('The members of a scope group could not be read: no scope conclusions (unassigned access, missing accounts).');
    return { inScope: () => null, label };
  }
  const members = new Set(groups.flatMap((g) => groupMembers(db, idp, g.res)));
  return { inScope: (u) => members.has(u.res), label };
}

/**
 * Compares an app's latest complete snapshot with the IdP's and records the findings.
 * Heavy set work (correlation joins, membership differences) runs in SQL on ingest-time indexes;
 * the decisions are the pure functions of core/analysis.
 */
export function analyzeApp(db: Db, app: AnalyzeTarget & { config: ScimAppConfig }, idp: AnalyzeTarget): AnalysisOutcome {
  const appRun = latestCompleteRun(db, app.connectionId);
  const idpRun = latestCompleteRun(db, idp.connectionId);
  if (!appRun) return { app: app.name, analyzed: false, reason: `${app.name} has no complete sync yet.` };
  if (!idpRun) return { app: app.name, analyzed: false, reason: `${idp.name} has no complete sync yet.` };
  const appRef: SnapshotRef = { connectionId: app.connectionId, runId: appRun.id };
  const idpRef: SnapshotRef = { connectionId: idp.connectionId, runId: idpRun.id };
  const names = { app: app.name, idp: idp.name };
  const notes: string[] = [];
  const appCoverage = appRun.coverage ?? { users: false, inactiveUsers: false, groups: false, memberships: 'none', notes: [] };
  const idpCoverage = idpRun.coverage ?? { users: false, inactiveUsers: false, groups: false, memberships: 'none', notes: [] };

  const appUsers = snapshotUsers(db, appRef);
  const idpUsers = new Map(snapshotUsers(db, idpRef).map((u) => [u.res, u]));
  const correlation = correlate(
    app.config.match.map((rule) => {
      const c = compileRule(rule);
      return { label: c.label, pairs: matchCandidates(db, appRef, c.appKey, idpRef, c.idpKey, c.fold) };
    }),
  );

  const mappings = compileMappings(app.config);
  // Mapped values are extracted at ingest; raw JSON is read only for a path added to the mapping
  // since the snapshot was taken.
  const needsRaw = mappings.some((m) => appUsers.some((u) => !Object.hasOwn(u.attributes, m.app.key)));
  const rawLocations = needsRaw ? userRawLocations(db, appRef) : new Map<number, RawLocation>();
  const readRaw = createRawReader(db);
  const scope = scopeOf(db, app.config, idpRef, notes);
  const users = userFindings({
    appConnectionId: app.connectionId,
    names,
    appUsers,
    idpUsers,
    correlation,
    inScope: scope.inScope,
    scopeLabel: scope.label,
    idpCoverage,
    appCoverage,
    differences: (a, i) => {
      const loc = rawLocations.get(a.res);
      return attributeDifferences(a, () => (loc === undefined ? undefined : readRaw(loc)), i, mappings);
    },
  });
  notes.push(...users.notes);
  const drafts = users.findings;

  if (app.config.groups) {
    const idpGroups = snapshotGroups(db, idpRef);
    const appGroups = snapshotGroups(db, appRef);
    const mapping = mapGroups(idpGroups, appGroups, app.config.groups);
    notes.push(...mapping.notes);
    if (idpCoverage.memberships === 'none' || appCoverage.memberships === 'none') {
      notes.push(
        `No membership findings: ${idpCoverage.memberships === 'none' ? idp.name : app.name} did not show its group members (${[...idpCoverage.notes, ...appCoverage.notes].join(' ')}).`,
      );
    } else {
      const unreadApp = unreadGroups(db, appRun.id);
      const unreadIdp = unreadGroups(db, idpRun.id);
      const readable = new Map([...mapping.pairs].filter(([a, i]) => !unreadApp.has(a) && !unreadIdp.has(i)));
      if (readable.size < mapping.pairs.size) {
        notes.push(`${mapping.pairs.size - readable.size} mapped groups had unreadable member lists; their memberships were not compared.`);
      }
      const correlated = [...correlation.matches].map(([a, m]) => [a, m.idpRes] as const);
      const diff = membershipDiff(db, appRef, idpRef, correlated, readable);
      const appUserByRes = new Map(appUsers.map((u) => [u.res, u]));
      drafts.push(
        ...membershipFindings({
          appConnectionId: app.connectionId,
          names,
          appGroups: new Map(appGroups.map((g) => [g.res, g])),
          appUsers: appUserByRes,
          idpUsers,
          stale: diff.stale,
          missing: diff.missing,
          // Prefer an account that is active; the lowest resource id (oldest) among equals.
          accountOf: (idpRes) => {
            const accounts = (correlation.byIdp.get(idpRes) ?? []).slice().sort((a, b) => a - b);
            return accounts.find((r) => appUserByRes.get(r)?.active === true) ?? accounts[0];
          },
        }),
      );
    }
    if (idpCoverage.groups && !app.config.groups.only) {
      drafts.push(...orphanedGroupFindings(app.connectionId, names, appGroups, mapping.pairs));
    }
  }

  const { analysisId, counts } = recordAnalysis(db, {
    appConnectionId: app.connectionId,
    idpRunId: idpRun.id,
    appRunId: appRun.id,
    drafts,
    notes,
  });
  return { app: app.name, analyzed: true, analysisId, counts, notes, idpRunId: idpRun.id, appRunId: appRun.id };
}
