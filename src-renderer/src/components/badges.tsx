import { Badge } from '@mantine/core';
import type { ActionState } from '../../../src-main/contract/actions';
import type { RunDto } from '../../../src-main/contract/dto';
import type { FindingStatus, FindingType, Severity } from '../../../src-main/contract/findings';
import { ACTION_STATE_COLOR } from '../lib/fixes';
import { capitalize, RUN_STATE_COLOR, SEVERITY_COLOR, STATUS_COLOR, TYPE_INFO } from '../lib/labels';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge color={SEVERITY_COLOR[severity]} variant={severity === 'critical' ? 'filled' : 'light'} radius="sm" data-severity={severity}>
      {severity}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: FindingStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="outline" radius="sm" data-status={status}>
      {status}
    </Badge>
  );
}

export function TypeBadge({ type }: { type: FindingType }) {
  return (
    <Badge color="gray" variant="default" radius="sm" tt="none">
      {TYPE_INFO[type].label}
    </Badge>
  );
}

export function RunStateBadge({ state }: { state: RunDto['state'] }) {
  return (
    <Badge color={RUN_STATE_COLOR[state]} variant="light" radius="sm" data-state={state}>
      {capitalize(state)}
    </Badge>
  );
}

/**
 * Where a write stands in the journal (planned → sent → confirmed | failed | unknown; stale;
 * cancelled). A span, so it can sit in a <summary>, which takes phrasing content only.
 */
export function ActionStateBadge({ state }: { state: ActionState }) {
  return (
    <Badge component="span" color={ACTION_STATE_COLOR[state]} variant={state === 'confirmed' || state === 'failed' ? 'filled' : 'light'} radius="sm" data-state={state}>
      {state}
    </Badge>
  );
}
