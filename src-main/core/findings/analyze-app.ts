import { compileRule } from '../analysis/match-keys';
import { attributeDifferences, compileMappings } from '../analysis/attribute-drift';
import { correlate, type Correlation } from '../analysis/correlate';
import { missingMembershipFindings, orphanedGroupFindings, staleMembershipFindings } from '../analysis/group-findings';
import type { FindingDraft, SnapshotUser } from '../analysis/types';
import { userFindings } from '../analysis/user-findings';
import type { ScimAppConfig } from '../config/schema';
import { ensureRuleIndexes, groupMembers, ruleCandidates, snapshotGroups, unreadGroups, userDirectory } from '../store/analysis.repo';
import { driftCandidates } from '../store/drift-candidates.repo';
import type { PairsJson, SnapshotRef } from '../store/snapshot-sql';
import { inlineAnalysisThread, type AnalysisThread } from '../store/analysis-thread';
import type { Coverage } from '../model';
import type { Db } from '../store/database';
import { beginAnalysisRecording, prepareDraft, type AnalysisCounts, type PreparedDraft } from '../store/findings.repo';
import { latestCompleteRun } from '../store/runs.repo';

export interface AnalyzeTarget {
  connectionId: number;
  name: string;
}

export type AnalysisOutcome =
  | { app: string; analyzed: true; analysisId: number; counts: AnalysisCounts; notes: string[]; idpRunId: number; appRunId: number }
  | { app: string; analyzed: false; reason: string };

function* prepared(drafts: Iterable<FindingDraft>): Generator<PreparedDraft> {
  for (const d of drafts) yield prepareDraft(d);
}

const PAIRS_SLICE = 4096;

/**
 * The matched pairs as SQL reads them, written in slices: 100k two-element arrays alive at once made
 * a young-generation collection copy them all (~40 ms), where a slice's arrays die young.
 */
function pairsJson(correlation: Correlation): PairsJson {
  const slices: string[] = [];
  let slice: Array<[number, number]> = [];
  const flush = (): void => {
    // JSON.stringify writes small-integer arrays about twice as fast as template strings joined.
    if (slice.length > 0) slices.push(JSON.stringify(slice).slice(1, -1));
    slice = [];
  };
  correlation.forEachMatch((a, i) => {
    if (slice.push([a, i]) === PAIRS_SLICE) flush();
  });
  flush();
  return `[${slices.join(',')}]`;
}

/** The scope predicate for an app: everyone, or members of the named IdP groups. */
function scopeOf(
  db: Db,
  config: ScimAppConfig,
  idp: SnapshotRef,
  notes: string[],
): { inScope: (idpRes: number) => boolean | null; label: string } {
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
  return { inScope: (idpRes) => members.has(idpRes), label };
}

/**
 * Compares an app's latest complete snapshot with the IdP's and records the findings.
 * Heavy set work (correlation joins, attribute pre-comparison, membership differences) runs in SQL
 * on ingest-time indexes; the decisions are the pure functions of core/analysis. Reading every
 * account's `active` and the membership differences are `helper`'s (another thread, when it has
 * one) while this thread correlates and compares the accounts.
 */
export async function analyzeApp(
  db: Db,
  app: AnalyzeTarget & { config: ScimAppConfig },
  idp: AnalyzeTarget,
  helper: AnalysisThread = inlineAnalysisThread(db),
): Promise<AnalysisOutcome> {
  const appRun = latestCompleteRun(db, app.connectionId);
  const idpRun = latestCompleteRun(db, idp.connectionId);
  if (!appRun) return { app: app.name, analyzed: false, reason: `${app.name} has no complete sync yet.` };
  if (!idpRun) return { app: app.name, analyzed: false, reason: `${idp.name} has no complete sync yet.` };
  const refs = { app: { connectionId: app.connectionId, runId: appRun.id }, idp: { connectionId: idp.connectionId, runId: idpRun.id } };
  const names = { app: app.name, idp: idp.name };
  const notes: string[] = [];
  const noCoverage: Coverage = { users: false, inactiveUsers: false, groups: false, memberships: 'none', notes: [] };
  const coverage = { app: appRun.coverage ?? noCoverage, idp: idpRun.coverage ?? noCoverage };

  const rules = app.config.match.map(compileRule);
  // The helper thread joins the later rules while this one joins the first; both read through the
  // rules' indexes, made here on the write connection.
  ensureRuleIndexes(db, rules);
  const laterRules = rules.length > 1 ? helper.ruleCandidates(refs.app, refs.idp, rules.slice(1)) : Promise.resolve([]);
  // Worked out by the helper thread while this one correlates the accounts, in the order they are
  // needed: the group plan before the pairs are ready, everyone's `active` after the drift query.
  const plan = app.config.groups ? helper.groupPlan({ ...refs, groups: app.config.groups, coverage, names }) : null;
  const activity = helper.activity(refs.app, refs.idp);
  // Observed below; a failure before then must not surface as an unhandled rejection.
  laterRules.catch(() => undefined);
  activity.catch(() => undefined);
  plan?.catch(() => undefined);
  const candidatesByRule = [...ruleCandidates(db, refs.app, refs.idp, rules.slice(0, 1)), ...(await laterRules)];
  const correlation = correlate(rules.map((rule, k) => ({ label: rule.label, pairs: candidatesByRule[k] ?? { app: [], idp: [] } })));
  const pairs = pairsJson(correlation);
  const groups = plan && (await plan);
  if (groups) notes.push(...groups.notes);
  // Asked for now, answered in this order: the stale ones become findings here while the helper
  // thread works out the missing ones.
  const diffInput = groups?.comparable ? { app: refs.app, idp: refs.idp, pairs, groupPairs: JSON.stringify(groups.comparable) } : null;
  const diff = diffInput && { stale: helper.staleMemberships(diffInput), missing: helper.missingMemberships(diffInput) };

  // Whole records are read only for the users findings are about.
  const appDirectory = userDirectory(db, refs.app);
  const idpDirectory = userDirectory(db, refs.idp);
  const appUser = (res: number): SnapshotUser => appDirectory.get(res);
  const idpUser = (res: number): SnapshotUser => idpDirectory.get(res);

  const mappings = compileMappings(app.config);
  // SQL rules out the pairs whose mapped values are certainly equal; the rest are compared here.
  const candidates = driftCandidates(db, refs.app, refs.idp, pairs, mappings);
  const mayDiffer = (appRes: number): boolean => candidates === null || candidates.has(appRes);
  const driftApp: number[] = [];
  const driftIdp: number[] = [];
  correlation.forEachMatch((a, i) => {
    if (!mayDiffer(a)) return;
    driftApp.push(a);
    driftIdp.push(i);
  });
  appDirectory.preload(driftApp);
  idpDirectory.preload(driftIdp);
  // Everyone is held as `active` by resource.
  const { app: appUsers, idp: idpUsers } = await activity;
  const scope = scopeOf(db, app.config, refs.idp, notes);
  const users = userFindings({
    appConnectionId: app.connectionId,
    names,
    appUsers,
    idpUsers,
    appUser,
    idpUser,
    correlation,
    inScope: scope.inScope,
    scopeLabel: scope.label,
    idpCoverage: coverage.idp,
    appCoverage: coverage.app,
    differences: (a, i) => (mayDiffer(a) ? attributeDifferences(appUser(a), () => appDirectory.raw(a), idpUser(i), mappings) : []),
  });
  notes.push(...users.notes);

  // Findings are recorded as they come: each part of the membership differences is recorded while
  // the helper thread works out the next, and none is held until the end.
  const recording = beginAnalysisRecording(db, { appConnectionId: app.connectionId, idpRunId: idpRun.id, appRunId: appRun.id });
  try {
    recording.add(prepared(users.findings));
    if (groups && diff) {
      // Prefer an account that is active; the lowest resource id (oldest) among equals.
      const accountOf = (idpRes: number): number | undefined => {
        const accounts = correlation.accountsOf(idpRes);
        return accounts.find((r) => appUsers.get(r) === true) ?? accounts[0];
      };
      const input = {
        appConnectionId: app.connectionId,
        names,
        appGroups: new Map(groups.appGroups.map((g) => [g.res, g])),
        appUsers,
        idpUsers,
        appUser,
        idpUser,
        accountOf,
      };
      for await (const stale of diff.stale) {
        appDirectory.preload(stale.map(([, u]) => u).filter((u) => appUsers.has(u)));
        recording.add(prepared(staleMembershipFindings(input, stale)));
      }
      for await (const missing of diff.missing) {
        appDirectory.preload(missing.flatMap(([, i]) => accountOf(i) ?? []));
        idpDirectory.preload(missing.map(([, i]) => i));
        recording.add(prepared(missingMembershipFindings(input, missing)));
      }
    }
    if (groups && coverage.idp.groups && !app.config.groups?.only) {
      recording.add(prepared(orphanedGroupFindings(app.connectionId, names, groups.appGroups, groups.pairs)));
    }
    const { analysisId, counts } = recording.finish(notes);
    return { app: app.name, analyzed: true, analysisId, counts, notes, idpRunId: idpRun.id, appRunId: appRun.id };
  } catch (err) {
    recording.abort();
    throw err;
  }
}
