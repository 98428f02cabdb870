import { Alert, Badge, Button, Code, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { ActionDto, ActionState } from '../../../../src-main/contract/actions';
import { ActionStateBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/error-alert';
import { IconCheck, IconSearch, IconUndo } from '../../components/icons';
import { useTask } from '../../components/use-task';
import { ACTION_LABEL, ACTION_STATE_COLOR, confirmsName } from '../../lib/fixes';
import { useAppStore } from '../../store/store-context';
import { RequestView } from './request-view';

type Task = 'dry-run' | 'apply' | 'undo';

const FAILED_TITLE: Record<Task, string> = {
  'dry-run': 'The dry run could not be done',
  apply: 'Not applied',
  undo: 'Could not plan the undo',
};

const OUTCOME_TITLE: Record<Exclude<ActionState, 'planned'>, string> = {
  sent: 'Sent; not yet confirmed',
  confirmed: 'Confirmed',
  failed: 'Failed',
  unknown: 'Outcome unknown',
  stale: 'Not sent: the target changed',
  cancelled: 'Not applied',
};

function Outcome({ action }: { action: ActionDto }) {
  if (action.state === 'planned') return null;
  return (
    <Alert
      color={ACTION_STATE_COLOR[action.state]}
      variant="light"
      title={OUTCOME_TITLE[action.state]}
      icon={action.state === 'confirmed' ? <IconCheck /> : undefined}
      data-testid="action-outcome"
      data-state={action.state}
    >
      <Stack gap={4}>
        <Text size="sm">{action.outcome ?? '—'}</Text>
        {action.error && (
          <Text size="sm">
            {action.error.message} <Code>{action.error.code}</Code>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

/** One action's review, dry run, apply and outcome. Keyed by action id: an undo starts afresh. */
function PreviewBody({ action, onBusy }: { action: ActionDto; onBusy(busy: boolean): void }) {
  const dryRunPreview = useAppStore((s) => s.dryRunPreview);
  const applyPreview = useAppStore((s) => s.applyPreview);
  const undoAction = useAppStore((s) => s.undoAction);
  const closePreview = useAppStore((s) => s.closePreview);
  const { task, error, run } = useTask<Task>(onBusy);
  const [dryRun, setDryRun] = useState<string | null>(null);
  const [typed, setTyped] = useState('');

  const planned = action.state === 'planned';
  const isDelete = action.kind === 'delete_account';
  const confirmed = !isDelete || confirmsName(typed, action.app);


  return (
    <Stack gap="md" data-testid="action-preview" data-action-id={action.id} data-state={action.state} data-kind={action.kind}>
      <Stack gap={6}>
        <Text fw={600} data-testid="action-summary">
          {action.summary}
        </Text>
        <Group gap="xs">
          <Badge variant="default" radius="sm" tt="none">
            {ACTION_LABEL[action.kind]}
          </Badge>
          <ActionStateBadge state={action.state} />
          <Text size="xs" c="dimmed">
            action #{action.id} · {action.app} · {action.targetType} {action.targetLabel}
            {action.undoOf !== null && ` · reverts action #${action.undoOf}`}
          </Text>
        </Group>
        {planned && (
          <Text size="sm" c="dimmed">
            Nothing has been sent yet. Apply re-reads the target, sends this request once if the target is unchanged since the snapshot, then
            reads it back to confirm. Every step is written to the audit log.
          </Text>
        )}
      </Stack>

      <Stack gap="xs">
        <Title order={5}>{action.sent ? 'Request sent' : 'Request to send'}</Title>
        <RequestView request={action.sent ?? action.request} />
      </Stack>

      {dryRun !== null && planned && (
        <Alert color="blue" variant="light" icon={<IconSearch />} title="Dry run (GET requests only)" data-testid="action-dry-run-result">
          <Text size="sm">{dryRun}</Text>
        </Alert>
      )}

      {isDelete && planned && (
        <TextInput
          label={`Type “${action.app}” to confirm`}
          description="Deleting an account cannot be undone, by Driftline or by the app."
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="action-confirm-name"
          error={typed !== '' && !confirmed ? 'That is not the app’s name.' : undefined}
        />
      )}

      <Outcome action={action} />
      {error && <ErrorAlert title={FAILED_TITLE[error.task]} error={error.info} testId="action-error" />}

      <Group justify="flex-end" gap="xs">
        {planned ? (
          <>
            <Button variant="default" onClick={closePreview} disabled={task !== null} data-testid="action-cancel">
              Cancel
            </Button>
            <Button
              variant="light"
              leftSection={<IconSearch size={16} />}
              loading={task === 'dry-run'}
              disabled={task !== null}
              onClick={() => void run('dry-run', async () => setDryRun((await dryRunPreview()).outcome))}
              data-testid="action-dry-run"
            >
              Check (dry run)
            </Button>
            <Button
              color={isDelete ? 'red' : undefined}
              loading={task === 'apply'}
              disabled={!confirmed || task !== null}
              onClick={() =>
                void run('apply', async () => {
                  await applyPreview(isDelete ? typed : undefined);
                })
              }
              data-testid="action-apply"
            >
              Apply
            </Button>
          </>
        ) : (
          <>
            {action.undoable && (
              <Button
                variant="light"
                leftSection={<IconUndo size={16} />}
                loading={task === 'undo'}
                onClick={() => void run('undo', () => undoAction(action.id))}
                data-testid="action-undo"
              >
                Undo
              </Button>
            )}
            <Button onClick={closePreview} disabled={task !== null} data-testid="action-close">
              Close
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}

/**
 * The preview of one planned write: the exact request, a dry run, typed confirmation for deletes,
 * then the outcome and Undo. Closing before applying leaves the plan journaled as planned, which
 * sends nothing; while a call is in flight the dialog stays open so it never ends half-done.
 */
export function ActionPreviewDialog() {
  const preview = useAppStore((s) => s.preview);
  const closePreview = useAppStore((s) => s.closePreview);
  const [busy, setBusy] = useState(false);
  const action = preview?.action;
  const title = !action ? '' : action.state !== 'planned' ? 'Outcome' : action.undoOf !== null ? 'Review the undo' : 'Review the change';

  return (
    <Modal
      opened={action !== undefined}
      onClose={() => {
        if (!busy) closePreview();
      }}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      size="xl"
      title={<Text fw={600}>{title}</Text>}
    >
      {action && <PreviewBody key={action.id} action={action} onBusy={setBusy} />}
    </Modal>
  );
}
