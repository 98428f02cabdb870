import { Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ActionDto } from '../../../../src-main/contract/actions';
import { ActionStateBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/error-alert';
import { IconUndo } from '../../components/icons';
import { notifyError } from '../../components/notify';
import { Timestamp } from '../../components/timestamp';
import { useAppStore } from '../../store/store-context';
import { RequestView } from './request-view';

function HistoryItem({ action }: { action: ActionDto }) {
  const { undoneBy } = action;
  const undoAction = useAppStore((s) => s.undoAction);
  const reviewAction = useAppStore((s) => s.reviewAction);
  const [undoing, setUndoing] = useState(false);

  const onUndo = async (): Promise<void> => {
    setUndoing(true);
    try {
      await undoAction(action.id);
    } catch (err) {
      notifyError('Could not plan the undo', err);
    } finally {
      setUndoing(false);
    }
  };

  return (
    <Paper withBorder p="xs" radius="sm" data-testid="action-history-item" data-action-id={action.id} data-state={action.state}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} miw={0}>
            <Group gap={6}>
              <ActionStateBadge state={action.state} />
              <Text size="sm" fw={500} className="dl-break">
                {action.summary}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              #{action.id} · planned <Timestamp iso={action.createdAt} />
              {action.finishedAt && (
                <>
                  {' · finished '}
                  <Timestamp iso={action.finishedAt} />
                </>
              )}
              {action.undoOf !== null && ` · reverts #${action.undoOf}`}
              {action.batchId !== null && ` · bulk fix #${action.batchId}`}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap" className="dl-no-shrink">
            {undoneBy !== null && (
              <Badge variant="outline" color="gray" radius="sm" tt="none">
                undone by #{undoneBy}
              </Badge>
            )}
            {action.state === 'planned' && (
              <Button size="compact-sm" variant="light" onClick={() => reviewAction(action)} data-testid="action-review">
                Review
              </Button>
            )}
            {action.undoable && (
              <Button size="compact-sm" variant="light" leftSection={<IconUndo size={14} />} loading={undoing} onClick={() => void onUndo()} data-testid="action-undo">
                Undo
              </Button>
            )}
          </Group>
        </Group>
        {action.outcome && (
          <Text size="xs" c="dimmed">
            {action.outcome}
          </Text>
        )}
        <details className="dl-raw">
          <summary>
            {action.sent ? 'Request sent' : 'Planned request'}: {(action.sent ?? action.request).method}
          </summary>
          <RequestView request={action.sent ?? action.request} testIdPrefix="history-request" />
        </details>
      </Stack>
    </Paper>
  );
}

/** Every write planned for this finding, newest first, with its outcome and (where it makes sense) Undo. */
export function ActionHistoryList({ findingKey }: { findingKey: string }) {
  const history = useAppStore((s) => s.actionHistory);
  const loadActionHistory = useAppStore((s) => s.loadActionHistory);

  useEffect(() => {
    void loadActionHistory(findingKey);
  }, [findingKey, loadActionHistory]);

  const mine = history?.findingKey === findingKey ? history : null;
  const items = mine?.items ?? [];

  return (
    <Stack gap="xs" data-testid="action-history" data-count={items.length}>
      <Group gap="xs">
        <Title order={4}>Fixes</Title>
        {mine?.status === 'loading' && <Loader size="xs" aria-label="Loading the fixes" />}
      </Group>
      {mine?.error && <ErrorAlert title="Could not load the fixes of this finding" error={mine.error} />}
      {mine?.status === 'ready' && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No fix has been planned for this finding.
        </Text>
      ) : (
        items.map((action) => <HistoryItem key={action.id} action={action} />)
      )}
    </Stack>
  );
}
