import { Button, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { IconStop, IconSync } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/store-context';
import { isRunning } from '../../store/sync.slice';
import { RunsTable } from './runs-table';
import { SyncConnectionCard } from './sync-connection-card';

export function SyncView() {
  const connections = useAppStore((s) => s.connections);
  const cards = useAppStore((s) => s.syncCards);
  const runs = useAppStore((s) => s.runs);
  const runsStatus = useAppStore((s) => s.runsStatus);
  const loadRuns = useAppStore((s) => s.loadRuns);
  const startSync = useAppStore((s) => s.startSync);
  const cancelSync = useAppStore((s) => s.cancelSync);
  const [starting, setStarting] = useState(false);
  const running = Object.values(cards).filter(isRunning);
  const now = useNow(true, running.length > 0 ? 500 : 30_000);

  useEffect(() => {
    if (runsStatus === 'idle') void loadRuns();
  }, [runsStatus, loadRuns]);

  // The identity provider first: every app is compared with it.
  const ordered = [...connections].sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'idp' ? -1 : 1));

  const onSyncAll = async () => {
    setStarting(true);
    try {
      const started = await startSync();
      if (started.length === 0) notifySuccess('Already syncing', 'Every connection is syncing now.');
    } catch (err) {
      notifyError('Could not start the sync', err);
    } finally {
      setStarting(false);
    }
  };

  const onCancelAll = async () => {
    try {
      await Promise.all(running.map((card) => cancelSync(card.connection)));
    } catch (err) {
      notifyError('Could not cancel', err);
    }
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Sync & runs"
        description="Each sync polls one system, stores a snapshot atomically, then re-analyses the apps. A failed or cancelled run keeps the previous snapshot."
        actions={
          <Group gap="xs">
            {running.length > 1 && (
              <Button variant="default" color="red" leftSection={<IconStop size={16} />} onClick={() => void onCancelAll()} data-testid="sync-cancel-all">
                Cancel all
              </Button>
            )}
            <Button leftSection={<IconSync size={16} />} loading={starting} onClick={() => void onSyncAll()} disabled={connections.length === 0} data-testid="sync-all">
              Sync now
            </Button>
          </Group>
        }
      />
      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
        {ordered.map((connection) => (
          <SyncConnectionCard key={connection.name} connection={connection} card={cards[connection.name]} now={now} />
        ))}
      </SimpleGrid>
      <Stack gap="xs">
        <Title order={3} size="h4">
          Recent runs
        </Title>
        <RunsTable runs={runs} />
      </Stack>
    </Stack>
  );
}
