import type { ActionDto } from '../../contract/actions';

/** What must be true of the target after the write; checked by reading it back. */
export type Expectation =
  | { type: 'active'; value: boolean }
  | { type: 'attributes'; values: Array<{ path: string; value: string | null; caseSensitive: boolean }> }
  | { type: 'member'; memberId: string; present: boolean }
  | { type: 'gone' };

/** A planned write, persisted in the journal as plan_json before anything is sent. */
export interface ActionPlan
  extends Pick<ActionDto, 'kind' | 'targetType' | 'targetId' | 'targetLabel' | 'memberId' | 'summary' | 'request'> {
  expected: Expectation;
  /** The target as Driftline last saw it (the snapshot the finding came from). */
  preImage: unknown;
  /** meta.version of the pre-image, when the app gave one. */
  preVersion: string | null;
}
