import { Alert, Badge, Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ConnectionDto, RunDto } from '../../../../src-main/contract/dto';
import { RunStateBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/error-alert';
import { IconAlert, IconStop, IconSync } from '../../components/icons';
import { notifyError } from '../../components/notify';
import { Timestamp } from '../../components/timestamp';
import { formatCount, runDuration } from '../../lib/format';
import { useAppStore } from '../../store/store-context';
import { isFinished, isRunning, type SyncCard } from '../../store/sync.slice';
import { SyncProgress } from './sync-progress';

/** The last run as recorded: outcome, counts, the error in words, and what it could not see. */
function LastRun({ run, now }: { run: RunDto; now: number }) {
  const duration = runDuration(run);
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Text size="sm" fw={500}>
          Last run
        </Text>
        <RunStateBadge state={run.state} />
        <Text size="sm" c="dimmed">
          started <Timestamp iso={run.startedAt} relativeTo={now} />
          {duration && ` · took ${duration}`}
        </Text>
      </Group>
      {run.state === 'complete' && (
        <Text size="sm" c="dimmed" data-testid={`sync-counts-${run.connection}`}>
          {formatCount(run.users ?? 0)} users · {formatCount(run.groups ?? 0)} groups · {formatCount(run.memberships ?? 0)} memberships
        </Text>
      )}
      {run.error && run.state !== 'running' && (
        <ErrorAlert
          // A cancel is the admin's own doing: say so without alarm.
          color={run.state === 'cancelled' ? 'gray' : 'red'}
          title={run.state === 'cancelled' ? 'Cancelled' : 'The sync failed; the previous snapshot is kept'}
          error={run.error}
          testId={`sync-error-${run.connection}`}
        />
      )}
      {(run.coverageNotes.length > 0 || run.warnings.length > 0) && (
        <Alert color="yellow" variant="light" icon={<IconAlert />} title="What this run could not see" py="xs">
          <Stack gap={2}>
            {[...run.coverageNotes, ...run.warnings].map((note) => (
              <Text size="sm" key={note}>
                {note}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

export function SyncConnectionCard({ connection, card, now }: { connection: ConnectionDto; card: SyncCard | undefined; now: number }) {
  const startSync = useAppStore((s) => s.startSync);
  const cancelSync = useAppStore((s) => s.cancelSync);
  const [starting, setStarting] = useState(false);
  const name = connection.name;
  const running = isRunning(card);
  const finished = isFinished(card) ? card : undefined;
  // Right after a run ends, the event is fresher than the connection list (reloaded just after).
  const listBehind = finished !== undefined && finished.runId !== null && connection.lastRun?.id !== finished.runId;
  const state = running ? 'running' : listBehind && finished ? finished.state : (connection.lastRun?.state ?? 'never');

  const onSync = async () => {
    setStarting(true);
    try {
      await startSync([name]);
    } catch (err) {
      notifyError(`Could not sync ${name}`, err);
    } finally {
      setStarting(false);
    }
  };

  const onCancel = async () => {
    try {
      await cancelSync(name);
    } catch (err) {
      notifyError(`Could not cancel the sync of ${name}`, err);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid={`sync-card-${name}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text fw={600}>{name}</Text>
            <Badge variant="light" color={connection.role === 'idp' ? 'violet' : 'cyan'} radius="sm" tt="none">
              {connection.role === 'idp' ? 'Identity provider' : 'App'}
            </Badge>
            <Code>{connection.type}</Code>
          </Group>
          {/* Sync stays put (disabled while running) and Cancel appears beside it: a Cancel click that
              lands just after the run ended hits an empty spot, never a fresh Sync. */}
          <Group gap="xs" wrap="nowrap">
            {running && (
              <Button
                size="xs"
                color="red"
                variant="light"
                leftSection={<IconStop size={14} />}
                onClick={() => void onCancel()}
                loading={card?.cancelRequested}
                data-testid={`sync-cancel-${name}`}
              >
                Cancel
              </Button>
            )}
            <Button
              size="xs"
              variant="light"
              leftSection={<IconSync size={14} />}
              loading={starting}
              disabled={running}
              onClick={() => void onSync()}
              data-testid={`sync-one-${name}`}
            >
              {running ? 'Syncing…' : 'Sync'}
            </Button>
          </Group>
        </Group>
        {card && <SyncProgress card={card} now={now} />}
        <div data-testid={`sync-status-${name}`} data-state={state}>
          {running ? (
            <Text size="sm" c="dimmed">
              {connection.lastCompleteRun ? (
                <>
                  Until this run completes, analysis uses the snapshot of <Timestamp iso={connection.lastCompleteRun.finishedAt} relativeTo={now} />.
                </>
              ) : (
                'No earlier snapshot: this is the first sync.'
              )}
            </Text>
          ) : listBehind && finished ? (
            <Group gap="xs">
              <RunStateBadge state={finished.state} />
              {finished.error && <ErrorAlert title="The sync did not complete" error={finished.error} color={finished.state === 'cancelled' ? 'gray' : 'red'} />}
            </Group>
          ) : connection.lastRun ? (
            <LastRun run={connection.lastRun} now={now} />
          ) : (
            <Text size="sm" c="dimmed">
              Never synced.
            </Text>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
