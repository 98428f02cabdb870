import { DEFAULT_SEVERITY, type FindingType } from '../../contract/findings';
import type { Coverage } from '../model';
import type { AttributeDifference } from './attribute-drift';
import type { Correlation } from './correlate';
import { findingKey } from './finding-key';
import type { ActivityTable } from './activity-table';
import type { AnalysisNames, FindingDraft, SnapshotUser, UserLookup } from './types';

export interface UserFindingInput {
  appConnectionId: number;
  names: AnalysisNames;
  appUsers: ActivityTable;
  idpUsers: ActivityTable;
  /** Whole records, read only for the users a finding is about. */
  appUser: UserLookup;
  idpUser: UserLookup;
  correlation: Correlation;
  /** Whether an IdP identity should have an account in the app; null when that cannot be known. */
  inScope(idpRes: number): boolean | null;
  /** Words for the scope, used in messages ("members of Sales, Support"). */
  scopeLabel: string;
  idpCoverage: Coverage;
  appCoverage: Coverage;
  /** Mapped attributes that differ for a matched pair. */
  differences(appRes: number, idpRes: number): AttributeDifference[];
}

export function label(u: SnapshotUser): string {
  return u.userName ?? u.displayName ?? u.email ?? u.remoteId;
}

function statusWord(u: SnapshotUser): string {
  return u.status && !/^(true|false|"?(true|false)"?)$/i.test(u.status) ? u.status.toLowerCase() : 'deactivated';
}

function draft(
  input: UserFindingInput,
  type: FindingType,
  subject: string[],
  fields: Partial<Omit<FindingDraft, 'key' | 'type' | 'severity'>> & { message: string },
): FindingDraft {
  return {
    key: findingKey(type, input.appConnectionId, ...subject),
    type,
    severity: DEFAULT_SEVERITY[type],
    userName: null,
    groupName: null,
    attribute: null,
    idpValue: null,
    appValue: null,
    appRemoteId: null,
    idpRemoteId: null,
    matchRule: null,
    details: {},
    ...fields,
  };
}

function accountDetails(u: SnapshotUser): Record<string, unknown> {
  return { id: u.remoteId, userName: u.userName, active: u.active, status: u.status, email: u.email };
}

/** The fields every finding about a matched account and identity carries. */
function matchedPair(a: SnapshotUser, i: SnapshotUser, rule: string | undefined) {
  return {
    a,
    i,
    common: { userName: a.userName ?? i.userName, appRemoteId: a.remoteId, idpRemoteId: i.remoteId, matchRule: rule ?? null },
    pair: { app: accountDetails(a), idp: accountDetails(i) },
  };
}

/**
 * Account-level findings for one app: lifecycle (deprovision_missed, orphaned_account,
 * unassigned_access, missing_account), attribute drift, duplicates and ambiguous matches.
 * Draws no conclusion from an unknown `active`, an unknown scope, or a listing that was incomplete.
 */
export function userFindings(input: UserFindingInput): { findings: FindingDraft[]; notes: string[] } {
  const { names, correlation, idpUsers, appUser, idpUser } = input;
  const findings: FindingDraft[] = [];
  const notes: string[] = [];
  let orphansSkipped = 0;
  let unknownActive = 0;

  input.appUsers.forEach((res, active) => {
    const amb = correlation.ambiguous.get(res);
    if (amb) {
      const a = appUser(res);
      const candidates = amb.idpRes.filter((r) => idpUsers.has(r)).map(idpUser);
      findings.push(
        draft(input, 'ambiguous_match', [a.remoteId], {
          message: `"${label(a)}" in ${names.app} matches ${candidates.length} identities in ${names.idp} by ${amb.rule} (${candidates.map(label).join(', ')}); pin the right one by hand.`,
          userName: a.userName,
          appRemoteId: a.remoteId,
          matchRule: amb.rule,
          details: { app: accountDetails(a), candidates: candidates.map(accountDetails) },
        }),
      );
      return;
    }
    if (active === null) unknownActive++;
    const idpRes = correlation.idpOf(res);
    const idpActive = idpRes === undefined ? undefined : idpUsers.get(idpRes);
    if (idpRes === undefined || idpActive === undefined) {
      if (active !== true) return;
      if (!input.idpCoverage.users) {
        orphansSkipped++;
        return;
      }
      const a = appUser(res);
      const hidden = input.idpCoverage.inactiveUsers ? '' : ' (or is deactivated and hidden by the IdP listing)';
      findings.push(
        draft(input, 'orphaned_account', [a.remoteId], {
          message: `"${label(a)}" is active in ${names.app} but has no identity in ${names.idp}${hidden}.`,
          userName: a.userName,
          appRemoteId: a.remoteId,
          details: { app: accountDetails(a) },
        }),
      );
      return;
    }
    if (active === false) return;
    // Records are read once a finding is certain: most matched pairs produce none.
    if (active === true && idpActive === false) {
      const { a, i, common, pair } = matchedPair(appUser(res), idpUser(idpRes), correlation.ruleOf(res));
      findings.push(
        draft(input, 'deprovision_missed', [a.remoteId], {
          ...common,
          message: `"${label(a)}" is ${statusWord(i)} in ${names.idp} but still active in ${names.app}.`,
          idpValue: i.status,
          appValue: 'active',
          details: pair,
        }),
      );
      return;
    }
    if (active === true && idpActive === true && input.inScope(idpRes) === false) {
      const { a, common, pair } = matchedPair(appUser(res), idpUser(idpRes), correlation.ruleOf(res));
      findings.push(
        draft(input, 'unassigned_access', [a.remoteId], {
          ...common,
          message: `"${label(a)}" is active in ${names.app} but is out of its scope in ${names.idp} (${input.scopeLabel}).`,
          details: pair,
        }),
      );
      return;
    }
    const differences = input.differences(res, idpRes);
    if (differences.length === 0) return;
    const { a, common, pair } = matchedPair(appUser(res), idpUser(idpRes), correlation.ruleOf(res));
    for (const d of differences) {
      findings.push(
        draft(input, 'attribute_drift', [a.remoteId, d.attribute], {
          ...common,
          message: `${d.attribute} of "${label(a)}" differs: ${names.idp} has ${quote(d.idpValue)}, ${names.app} has ${quote(d.appValue)}.`,
          attribute: d.attribute,
          idpValue: d.idpValue,
          appValue: d.appValue,
          details: pair,
        }),
      );
    }
  });

  const ambiguousIdp = new Set([...correlation.ambiguous.values()].flatMap((a) => a.idpRes));
  idpUsers.forEach((idpRes, idpActive) => {
    // Nearly everyone has one live account: decide that without building lists.
    const sole = correlation.soleAccount(idpRes);
    if (sole !== undefined && input.appUsers.get(sole) === true) return;
    const accountRes = correlation.accountsOf(idpRes).filter((r) => input.appUsers.has(r));
    const liveRes = accountRes.filter((r) => input.appUsers.get(r) !== false);
    if (liveRes.length > 1) {
      const i = idpUser(idpRes);
      const live = liveRes.map(appUser);
      findings.push(
        draft(input, 'duplicate_account', [i.remoteId], {
          message: `"${label(i)}" in ${names.idp} has ${live.length} accounts in ${names.app}: ${live.map(label).join(', ')}.`,
          userName: i.userName,
          idpRemoteId: i.remoteId,
          appRemoteId: live.map((u) => u.remoteId).join(','),
          details: { idp: accountDetails(i), accounts: live.map(accountDetails) },
        }),
      );
    }
    if (idpActive !== true || input.inScope(idpRes) !== true || liveRes.length > 0 || ambiguousIdp.has(idpRes)) return;
    if (accountRes.length > 0) {
      const i = idpUser(idpRes);
      const accounts = accountRes.map(appUser);
      const deactivated = accounts[0];
      findings.push(
        draft(input, 'missing_account', [i.remoteId], {
          message: `"${label(i)}" is active and in scope in ${names.idp} but their ${names.app} account is deactivated.`,
          userName: i.userName,
          idpRemoteId: i.remoteId,
          appRemoteId: deactivated?.remoteId ?? null,
          matchRule: (deactivated && correlation.ruleOf(deactivated.res)) ?? null,
          details: { idp: accountDetails(i), accounts: accounts.map(accountDetails), reason: 'deactivated' },
        }),
      );
    } else if (input.appCoverage.users) {
      const i = idpUser(idpRes);
      findings.push(
        draft(input, 'missing_account', [i.remoteId], {
          message: `"${label(i)}" is active and in scope in ${names.idp} but has no account in ${names.app}.`,
          userName: i.userName,
          idpRemoteId: i.remoteId,
          details: { idp: accountDetails(i), reason: 'absent' },
        }),
      );
    }
  });

  if (orphansSkipped > 0) {
    notes.push(`${orphansSkipped} unmatched active accounts were not reported as orphaned: the IdP listing was incomplete.`);
  }
  if (unknownActive > 0) {
    notes.push(`${unknownActive} app accounts have an unreadable "active" value; no lifecycle conclusions were drawn for them.`);
  }
  return { findings, notes };
}

function quote(value: string | null): string {
  return value === null ? '(empty)' : `"${value}"`;
}
