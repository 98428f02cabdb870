import { DEFAULT_SEVERITY } from '../../contract/findings';
import { findingKey } from './finding-key';
import type { ActivityTable } from './activity-table';
import type { AnalysisNames, FindingDraft, SnapshotGroup, UserLookup } from './types';
import { label } from './user-findings';

export interface GroupMappingConfig {
  match: 'displayName' | 'externalId';
  only?: readonly string[] | undefined;
}

export interface GroupMapping {
  /** app group resource → IdP group resource */
  pairs: Map<number, number>;
  notes: string[];
}

function groupLabel(g: SnapshotGroup): string {
  return g.displayName ?? g.remoteId;
}

/** Pairs each IdP group (limited to `only`) with its app group by displayName (case-insensitive) or externalId. */
export function mapGroups(idpGroups: readonly SnapshotGroup[], appGroups: readonly SnapshotGroup[], config: GroupMappingConfig): GroupMapping {
  const notes: string[] = [];
  const only = config.only ? new Set(config.only.map((n) => n.toLowerCase())) : null;
  const appIndex = new Map<string, SnapshotGroup[]>();
  for (const g of appGroups) {
    const key = config.match === 'displayName' ? g.displayName?.toLowerCase() : g.externalId;
    if (key === undefined || key === null) continue;
    const list = appIndex.get(key);
    if (list) list.push(g);
    else appIndex.set(key, [g]);
  }
  const pairs = new Map<number, number>();
  const found = new Set<string>();
  for (const i of idpGroups) {
    const name = i.displayName?.toLowerCase();
    if (only && (name === undefined || !only.has(name))) continue;
    if (name !== undefined) found.add(name);
    const key = config.match === 'displayName' ? name : i.remoteId;
    const candidates = key === undefined ? [] : (appIndex.get(key) ?? []);
    if (candidates.length > 1) {
      notes.push(`IdP group "${groupLabel(i)}" matches ${candidates.length} app groups; its memberships were not compared.`);
      continue;
    }
    const app = candidates[0];
    if (app && !pairs.has(app.res)) pairs.set(app.res, i.res);
  }
  for (const name of only ?? []) if (!found.has(name)) notes.push(`Group "${name}" listed in groups.only does not exist in the IdP.`);
  return { pairs, notes };
}

export interface MembershipFindingInput {
  appConnectionId: number;
  names: AnalysisNames;
  appGroups: ReadonlyMap<number, SnapshotGroup>;
  appUsers: ActivityTable;
  idpUsers: ActivityTable;
  /** Whole records, read only for the members a finding is about. */
  appUser: UserLookup;
  idpUser: UserLookup;
  /** The app account to add for a person: their live account (from correlation). */
  accountOf(idpRes: number): number | undefined;
}

/** Stale memberships, (app group, app member) present in the app but not expected from the IdP, as findings. */
export function* staleMembershipFindings(
  input: MembershipFindingInput,
  stale: ReadonlyArray<readonly [group: number, member: number]>,
): Generator<FindingDraft> {
  const { names } = input;
  for (let k = 0; k < stale.length; k++) {
    const [gRes, mRes] = stale[k] as readonly [number, number];
    const g = input.appGroups.get(gRes);
    if (!g || !input.appUsers.has(mRes)) continue;
    const u = input.appUser(mRes);
    yield membershipDraft(input.appConnectionId, 'stale_membership', g, u.remoteId, {
      message: `"${label(u)}" is a member of "${groupLabel(g)}" in ${names.app} but not in ${names.idp}.`,
      userName: u.userName,
      idpRemoteId: null,
      details: { group: { id: g.remoteId, displayName: g.displayName }, member: { id: u.remoteId, userName: u.userName, active: u.active } },
    });
  }
}

/**
 * Missing memberships, (app group, IdP person) expected from the IdP with none of the person's
 * accounts in the app group, as findings.
 */
export function* missingMembershipFindings(
  input: MembershipFindingInput,
  missing: ReadonlyArray<readonly [group: number, idpUser: number]>,
): Generator<FindingDraft> {
  const { names } = input;
  for (let k = 0; k < missing.length; k++) {
    const [gRes, iRes] = missing[k] as readonly [number, number];
    const g = input.appGroups.get(gRes);
    const mRes = input.accountOf(iRes);
    const appActive = mRes === undefined ? undefined : input.appUsers.get(mRes);
    // Expected membership only matters for people who are active on both sides.
    if (!g || mRes === undefined || appActive === undefined || appActive === false || input.idpUsers.get(iRes) !== true) continue;
    const u = input.appUser(mRes);
    const i = input.idpUser(iRes);
    yield membershipDraft(input.appConnectionId, 'missing_membership', g, u.remoteId, {
      message: `"${label(u)}" is a member of "${groupLabel(g)}" in ${names.idp} but not in ${names.app}.`,
      userName: u.userName ?? i.userName,
      idpRemoteId: i.remoteId,
      details: { group: { id: g.remoteId, displayName: g.displayName }, member: { id: u.remoteId, userName: u.userName }, idp: { id: i.remoteId } },
    });
  }
}

function membershipDraft(
  appConnectionId: number,
  type: 'stale_membership' | 'missing_membership',
  g: SnapshotGroup,
  appRemoteId: string,
  fields: Pick<FindingDraft, 'message' | 'userName' | 'idpRemoteId' | 'details'>,
): FindingDraft {
  return {
    key: findingKey(type, appConnectionId, g.remoteId, appRemoteId),
    type,
    severity: DEFAULT_SEVERITY[type],
    message: fields.message,
    userName: fields.userName,
    groupName: g.displayName,
    attribute: null,
    idpValue: null,
    appValue: null,
    appRemoteId,
    idpRemoteId: fields.idpRemoteId,
    matchRule: null,
    details: fields.details,
  };
}

/** App groups with no IdP counterpart. Only meaningful when every IdP group was listed and no `only` limit applies. */
export function orphanedGroupFindings(
  appConnectionId: number,
  names: AnalysisNames,
  appGroups: Iterable<SnapshotGroup>,
  mapped: ReadonlyMap<number, number>,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const g of appGroups) {
    if (mapped.has(g.res)) continue;
    out.push({
      key: findingKey('orphaned_group', appConnectionId, g.remoteId),
      type: 'orphaned_group',
      severity: DEFAULT_SEVERITY.orphaned_group,
      message: `Group "${groupLabel(g)}" exists in ${names.app} but has no counterpart in ${names.idp}.`,
      userName: null,
      groupName: g.displayName,
      attribute: null,
      idpValue: null,
      appValue: null,
      appRemoteId: g.remoteId,
      idpRemoteId: null,
      matchRule: null,
      details: { group: { id: g.remoteId, displayName: g.displayName, externalId: g.externalId } },
    });
  }
  return out;
}
