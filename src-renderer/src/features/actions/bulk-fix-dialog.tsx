import { Alert, Badge, Button, Group, List, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { ACTION_KINDS, type ActionDto, type BatchProgressDto } from '../../../../src-main/contract/actions';
import { ActionStateBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/error-alert';
import { IconAlert, IconCheck } from '../../components/icons';
import { useTask } from '../../components/use-task';
import { formatCount, plural } from '../../lib/format';
import { ACTION_LABEL, confirmsName, isSettled } from '../../lib/fixes';
import type { BulkFix } from '../../store/actions.slice';
import { useAppStore } from '../../store/store-context';
import { BulkProgress } from './bulk-progress';
import { RequestView } from './request-view';

/** Items drawn in the dialog: enough to review, without mounting 100,000 rows in a modal. Counts cover all. */
const SHOWN_ITEMS = 300;

type Task = 'apply' | 'cancel' | 'retry';

const FAILED_TITLE: Record<Task, string> = { apply: 'Not applied', cancel: 'Could not cancel', retry: 'Could not plan the retry' };

function BulkItem({ action }: { action: ActionDto }) {
  return (
    <details className="dl-raw" data-testid="bulk-item" data-action-id={action.id} data-state={action.state} data-finding-key={action.findingKey ?? undefined}>
      <summary>
        <ActionStateBadge state={action.state} /> {action.summary}
      </summary>
      <Stack gap="xs" mt="xs">
        {action.outcome && (
          <Text size="sm" data-testid="bulk-item-outcome">
            {action.outcome}
          </Text>
        )}
        <RequestView request={action.sent ?? action.request} testIdPrefix="bulk-request" />
      </Stack>
    </details>
  );
}

function Skipped({ skipped }: { skipped: BulkFix['plan']['skipped'] }) {
  const findings = useAppStore((s) => s.findings);
  const byKey = useMemo(() => new Map(findings.map((f) => [f.key, f])), [findings]);
  return (
    <Stack gap={4} data-testid="bulk-skipped" data-count={skipped.length}>
      <Title order={5}>Not included ({formatCount(skipped.length)})</Title>
      <List size="sm" spacing={2}>
        {skipped.slice(0, SHOWN_ITEMS).map((s) => {
          const f = byKey.get(s.key);
          return (
            <List.Item key={s.key} data-testid="bulk-skipped-item" data-finding-key={s.key}>
              <Text span size="sm" fw={500}>
                {f ? (f.userName ?? f.group ?? s.key) : s.key}
              </Text>
              : {s.reason}
            </List.Item>
          );
        })}
      </List>
    </Stack>
  );
}

/**
 * Where an applied batch stands: its latest progress event, or, once every item's journal state is
 * final, the items themselves (so a final event lost with a broken event stream cannot leave the
 * dialog running forever). Null while the plan is under review.
 */
function batchState(bulk: BulkFix, progress: BatchProgressDto | undefined): BatchProgressDto | null {
  const { batchId, items, plan } = bulk;
  if (batchId === null) return null;
  // Only when every item was read: the journal lists at most 10,000 of a batch.
  if (items.length > 0 && items.length === plan.actions.length && items.every((a) => isSettled(a.state))) {
    const confirmed = items.filter((a) => a.state === 'confirmed').length;
    return { batchId, app: plan.app, total: items.length, done: items.length, confirmed, failed: items.length - confirmed, running: false };
  }
  return progress ?? { batchId, app: plan.app, total: items.length, done: 0, confirmed: 0, failed: 0, running: true };
}

function BulkBody({ bulk, live, onBusy }: { bulk: BulkFix; live: BatchProgressDto | null; onBusy(busy: boolean): void }) {
  const applyBulk = useAppStore((s) => s.applyBulk);
  const cancelBulk = useAppStore((s) => s.cancelBulk);
  const retryFailedBulk = useAppStore((s) => s.retryFailedBulk);
  const closeBulk = useAppStore((s) => s.closeBulk);
  const setSelection = useAppStore((s) => s.setSelection);
  const { task, error, run } = useTask<Task>(onBusy);
  const [typed, setTyped] = useState('');

  const { plan, items } = bulk;
  const count = plan.actions.length;
  // The core also insists on the typed name for any delete in a batch.
  const needsName = plan.requiresTypedConfirmation || plan.actions.some((a) => a.kind === 'delete_account');
  const nameOk = !needsName || confirmsName(typed, plan.app);
  const phase = live === null ? 'review' : live.running ? 'running' : 'done';


  const kinds = ACTION_KINDS.filter((k) => (plan.byKind[k] ?? 0) > 0);

  return (
    <Stack gap="md" data-testid="bulk-preview" data-phase={phase} data-count={count}>
      <Stack gap={6}>
        <Text fw={600} data-testid="bulk-summary">
          {count === 0 ? `Nothing in the selection can be fixed in ${plan.app}.` : `${plural(count, 'change')} to ${plan.app}`}
        </Text>
        <Group gap="xs">
          {kinds.map((kind) => (
            <Badge key={kind} variant="light" radius="sm" tt="none" data-testid={`bulk-kind-${kind}`} data-count={plan.byKind[kind]}>
              {formatCount(plan.byKind[kind] ?? 0)} × {ACTION_LABEL[kind]}
            </Badge>
          ))}
        </Group>
        {phase === 'review' && count > 0 && (
          <Text size="sm" c="dimmed">
            Nothing has been sent yet. Each item is re-read before its one write and read back after it; each step is written to the audit log.
          </Text>
        )}
      </Stack>

      {phase === 'review' && count > 0 && (
        <Alert
          color={needsName ? 'orange' : 'gray'}
          variant="light"
          icon={<IconAlert />}
          title={needsName ? 'Type the app’s name to confirm' : 'Below the confirmation threshold'}
          data-testid="bulk-threshold"
          data-threshold={plan.threshold}
          data-required={needsName}
        >
          <Stack gap="xs">
            <Text size="sm">
              {plan.requiresTypedConfirmation
                ? `This fix changes ${plural(count, 'item')} in ${plan.app}, more than the confirmation threshold of ${formatCount(plan.threshold)}.`
                : needsName
                  ? `This fix deletes accounts in ${plan.app}, which cannot be undone.`
                  : `Bulk fixes of more than ${plural(plan.threshold, 'item')} in ${plan.app} need its name typed to confirm.`}
            </Text>
            {needsName && (
              <TextInput
                label="Type the app's name to confirm"
                placeholder={plan.app}
                value={typed}
                onChange={(e) => setTyped(e.currentTarget.value)}
                autoComplete="off"
                spellCheck={false}
                maw={360}
                data-testid="bulk-confirm-name"
                error={typed !== '' && !nameOk ? 'That is not the app’s name.' : undefined}
              />
            )}
          </Stack>
        </Alert>
      )}

      {live && <BulkProgress progress={live} cancelling={task === 'cancel'} onCancel={() => void run('cancel', cancelBulk)} />}

      {live && !live.running && live.failed === 0 && (
        <Alert color="green" variant="light" icon={<IconCheck />} data-testid="bulk-done">
          Every item was confirmed by reading it back.
        </Alert>
      )}

      {items.length > 0 && (
        <Stack gap={4} data-testid="bulk-items">
          <Title order={5}>Items{items.length > SHOWN_ITEMS ? ` (the first ${formatCount(SHOWN_ITEMS)} of ${formatCount(items.length)})` : ''}</Title>
          {items.slice(0, SHOWN_ITEMS).map((action) => (
            <BulkItem key={action.id} action={action} />
          ))}
        </Stack>
      )}

      {plan.skipped.length > 0 && <Skipped skipped={plan.skipped} />}

      {error && <ErrorAlert title={FAILED_TITLE[error.task]} error={error.info} testId="bulk-error" />}

      <Group justify="flex-end" gap="xs">
        {phase === 'review' && (
          <>
            <Button variant="default" onClick={closeBulk} disabled={task !== null} data-testid="bulk-dismiss">
              Cancel
            </Button>
            <Button
              loading={task === 'apply'}
              disabled={count === 0 || !nameOk || task !== null}
              onClick={() =>
                void run('apply', async () => {
                  await applyBulk(needsName ? typed : undefined);
                  // The selected findings are being fixed: a later bulk fix starts from a fresh selection.
                  setSelection({});
                })
              }
              data-testid="bulk-apply"
            >
              Apply all ({formatCount(count)})
            </Button>
          </>
        )}
        {live && !live.running && (
          <>
            {live.failed > 0 && (
              <Button variant="light" loading={task === 'retry'} disabled={task !== null} onClick={() => void run('retry', retryFailedBulk)} data-testid="bulk-retry">
                Retry failed items
              </Button>
            )}
            <Button onClick={closeBulk} disabled={task !== null} data-testid="bulk-close">
              Close
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}

/**
 * A bulk fix: review every planned item (and what was left out, and why), confirm by typing the
 * app's name above the threshold, then follow it live and see each item's outcome. It cannot be
 * dismissed while the batch runs; Cancel stops what has not been sent.
 */
export function BulkFixDialog() {
  const bulk = useAppStore((s) => s.bulk);
  const progress = useAppStore((s) => (s.bulk?.batchId != null ? s.batchProgress[s.bulk.batchId] : undefined));
  const closeBulk = useAppStore((s) => s.closeBulk);
  const [busy, setBusy] = useState(false);
  const live = bulk ? batchState(bulk, progress) : null;
  const locked = busy || live?.running === true;

  return (
    <Modal
      opened={bulk !== null}
      onClose={() => {
        if (!locked) closeBulk();
      }}
      closeOnClickOutside={!locked}
      closeOnEscape={!locked}
      withCloseButton={!locked}
      size="xl"
      title={<Text fw={600}>{bulk?.batchId == null ? 'Review the bulk fix' : 'Bulk fix'}</Text>}
    >
      {/* A retry is a new plan: a fresh body, so nothing typed for the last one carries over. */}
      {bulk && <BulkBody key={bulk.plan.actions[0]?.id ?? 'empty'} bulk={bulk} live={live} onBusy={setBusy} />}
    </Modal>
  );
}
