import type { FindingType, Severity } from '../../contract/findings';

/** A user of one snapshot, as analysis sees it. `res` is the store's stable resource id. */
export interface SnapshotUser {
  res: number;
  active: boolean | null;
  remoteId: string;
  userName: string | null;
  externalId: string | null;
  email: string | null;
  status: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  attributes: Record<string, string | null>;
}

/** A user's whole record by resource id, read on demand. */
export type UserLookup = (res: number) => SnapshotUser;

export interface SnapshotGroup {
  res: number;
  remoteId: string;
  displayName: string | null;
  externalId: string | null;
}

/** A finding as analysis produces it, before the store gives it a lifecycle. */
export interface FindingDraft {
  key: string;
  type: FindingType;
  severity: Severity;
  message: string;
  userName: string | null;
  groupName: string | null;
  attribute: string | null;
  idpValue: string | null;
  appValue: string | null;
  appRemoteId: string | null;
  idpRemoteId: string | null;
  matchRule: string | null;
  details: Record<string, unknown>;
}

/** Names shown in messages. */
export interface AnalysisNames {
  app: string;
  idp: string;
}

/** Key fields correlation can join on; each is a column indexed at ingest. */
export type KeyField = 'id' | 'externalId' | 'userName' | 'email';
