// The normalized snapshot model every connector produces and the store keeps.

/** One account as a connector read it. `raw` is the resource exactly as the system returned it. */
export interface UserRecord {
  /** The system's own identifier (SCIM `id`, Okta user id, the CSV `id` column). */
  id: string;
  userName: string | null;
  externalId: string | null;
  /** `null` when the system's value could not be read: never treated as inactive. */
  active: boolean | null;
  /** The system's own status word, kept for messages (Okta `SUSPENDED`, a CSV cell, SCIM `"False"`). */
  status: string | null;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  /** Further named attributes (IdP profile fields, CSV extra columns) available to attribute mappings. */
  attributes: Record<string, string | null>;
  raw: unknown;
}

export type MemberType = 'User' | 'Group' | null;

export interface MemberRef {
  /** The member's id in the same system. */
  value: string;
  type: MemberType;
  /**
   * A hint from connectors that know it (an HR export names its own rows): the member is the user
   * at this 0-based position among the users the run handed to its sink. The store then finds the
   * member without looking its id up among every resource of the connection; `value` still decides.
   */
  userIndex?: number;
}

export interface GroupRecord {
  id: string;
  displayName: string | null;
  externalId: string | null;
  /**
   * The group's complete member list; `undefined` when it will arrive later through
   * `SnapshotSink.members`, `null` when it could not be read at all.
   */
  members?: MemberRef[] | null;
  raw: unknown;
}

/** What a run could really see. Analysis never concludes "absent" from what was not seen. */
export interface Coverage {
  /** Every user of the system was listed. */
  users: boolean;
  /** Inactive / deactivated users appear in the listing (so absence means gone, not hidden). */
  inactiveUsers: boolean;
  /** Every group was listed. */
  groups: boolean;
  /** Whether group member lists were read: for every group, some, or none. */
  memberships: 'all' | 'partial' | 'none';
  /** Why coverage is less than full, in an admin's words. */
  notes: string[];
}

/**
 * Receives a run's data page by page. Calls are applied in order; each promise settles once the
 * store has taken the page (awaiting it is the connector's back-pressure).
 */
export interface SnapshotSink {
  users(batch: readonly UserRecord[]): Promise<void>;
  groups(batch: readonly GroupRecord[]): Promise<void>;
  /** The complete member list of one group, or `null` when it could not be read. */
  members(groupId: string, members: readonly MemberRef[] | null): Promise<void>;
}

export type SyncPhase = 'discovery' | 'users' | 'groups' | 'members' | 'commit';

/** A progress update from a running poll. Counts are cumulative for the phase. */
export interface ProgressUpdate {
  phase: SyncPhase;
  pages?: number;
  resources?: number;
  /** The server's announced total, when it gave one. */
  total?: number;
  message?: string;
}
