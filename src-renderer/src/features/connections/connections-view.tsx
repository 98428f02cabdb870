import { Alert, Button, Center, Group, Loader, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ConnectionDto } from '../../../../src-main/contract/dto';
import { ErrorAlert } from '../../components/error-alert';
import { IconFlask, IconPlus } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/store-context';
import { useOpenDemo } from '../first-run/use-open-demo';
import { ConnectionCard } from './connection-card';
import { ConnectionFormModal } from './connection-form';

function DeleteConnectionModal({ connection, onClose }: { connection: ConnectionDto | null; onClose(): void }) {
  const deleteConnection = useAppStore((s) => s.deleteConnection);
  const [busy, setBusy] = useState(false);
  const onConfirm = async () => {
    if (!connection) return;
    setBusy(true);
    try {
      await deleteConnection(connection.name);
      notifySuccess('Connection deleted', `“${connection.name}” and its history are gone.`);
      onClose();
    } catch (err) {
      notifyError(`Could not delete “${connection.name}”`, err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={connection !== null} onClose={onClose} title={<Text fw={600}>Delete “{connection?.name}”?</Text>} data-testid="connection-delete-modal">
      <Stack gap="md">
        <Text size="sm">
          Driftline forgets this connection, its stored secret, its snapshots and sync history
          {connection?.role === 'app' ? ', and its findings' : ''}. Nothing changes in the remote system.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep it
          </Button>
          <Button color="red" loading={busy} onClick={() => void onConfirm()} data-testid="connection-delete-confirm">
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function ConnectionsView() {
  const connections = useAppStore((s) => s.connections);
  const status = useAppStore((s) => s.connectionsStatus);
  const error = useAppStore((s) => s.connectionsError);
  const openEditor = useAppStore((s) => s.openEditor);
  const { opening: openingDemo, openDemo } = useOpenDemo();
  const [deleting, setDeleting] = useState<ConnectionDto | null>(null);
  const now = useNow(true, 30_000);

  const idp = connections.find((c) => c.role === 'idp');
  const apps = connections.filter((c) => c.role === 'app');

  return (
    <Stack gap="lg">
      <PageHeader
        title="Connections"
        description="The identity provider is the source of truth; every app is compared with it. Secrets go to the secret store and are never shown again."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => openEditor({ mode: 'add' })} data-testid="add-connection">
            Add connection
          </Button>
        }
      />
      {status === 'error' && error && <ErrorAlert title="Could not load the connections" error={error} />}
      {status === 'loading' && connections.length === 0 && (
        <Center h={160}>
          <Loader aria-label="Loading connections" />
        </Center>
      )}

      <Stack gap="sm">
        <Title order={3} size="h4">
          Identity provider
        </Title>
        {idp ? (
          <ConnectionCard connection={idp} now={now} onDelete={setDeleting} />
        ) : (
          status === 'ready' && (
            <Alert color="blue" variant="light" title="No identity provider yet">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">Add an Okta org or an HR/CSV export: it is what every app is compared with.</Text>
                <Group gap="xs">
                  <Button size="xs" onClick={() => openEditor({ mode: 'add' })}>
                    Add the identity provider
                  </Button>
                  {connections.length === 0 && (
                    <Button size="xs" variant="default" leftSection={<IconFlask size={14} />} loading={openingDemo} onClick={() => void openDemo()} data-testid="open-demo">
                      Open the demo tenant instead
                    </Button>
                  )}
                </Group>
              </Stack>
            </Alert>
          )
        )}
      </Stack>

      <Stack gap="sm">
        <Title order={3} size="h4">
          Apps
        </Title>
        {apps.map((app) => (
          <ConnectionCard key={app.name} connection={app} now={now} onDelete={setDeleting} />
        ))}
        {status === 'ready' && apps.length === 0 && (
          <Text size="sm" c="dimmed">
            No SCIM apps yet.
          </Text>
        )}
      </Stack>

      <ConnectionFormModal />
      <DeleteConnectionModal connection={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
