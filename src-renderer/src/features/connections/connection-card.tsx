import { Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ConnectionDto } from '../../../../src-main/contract/dto';
import { RunStateBadge } from '../../components/badges';
import { IconPencil, IconPlug, IconTrash } from '../../components/icons';
import { Timestamp } from '../../components/timestamp';
import { useAppStore } from '../../store/store-context';
import { summarize } from './connection-summary';
import { TestResult } from './test-result';

function SecretLine({ connection }: { connection: ConnectionDto }) {
  if (connection.secrets.length === 0) return null;
  return (
    <>
      {connection.secrets.map((s) => (
        <Stack gap={0} key={s.field}>
          <Text size="xs" c="dimmed">
            Secret <Code fz="xs">{s.field}</Code>
          </Text>
          <Text size="sm" c={s.set ? undefined : 'red'} data-testid={`connection-secret-${connection.name}-${s.field}`}>
            {s.source === 'env' ? `from environment variable ${s.env ?? ''}${s.set ? '' : ' (not set)'}` : s.set ? 'set (stored)' : 'missing: enter it again'}
          </Text>
        </Stack>
      ))}
    </>
  );
}

export function ConnectionCard({ connection, now, onDelete }: { connection: ConnectionDto; now: number; onDelete(connection: ConnectionDto): void }) {
  const name = connection.name;
  const test = useAppStore((s) => s.connectionTests[name]);
  const testConnection = useAppStore((s) => s.testConnection);
  const openEditor = useAppStore((s) => s.openEditor);
  const lastRun = connection.lastRun;

  return (
    <Paper withBorder radius="md" p="md" data-testid={`connection-card-${name}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <Text fw={600} size="lg">
              {name}
            </Text>
            <Badge variant="light" color={connection.role === 'idp' ? 'violet' : 'cyan'} radius="sm" tt="none">
              {connection.role === 'idp' ? 'Identity provider' : 'App'}
            </Badge>
            <Code>{connection.type}</Code>
          </Group>
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlug size={14} />}
              loading={test?.status === 'running'}
              onClick={() => void testConnection(name)}
              data-testid={`connection-test-${name}`}
            >
              Test connection
            </Button>
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => openEditor({ mode: 'edit', name })} data-testid={`connection-edit-${name}`}>
              Edit
            </Button>
            <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => onDelete(connection)} data-testid={`connection-delete-${name}`}>
              Delete
            </Button>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing={6}>
          {summarize(connection).map((item) => (
            <Stack gap={0} key={item.label}>
              <Text size="xs" c="dimmed">
                {item.label}
              </Text>
              <Text size="sm" ff={item.mono ? 'monospace' : undefined} className="dl-break">
                {item.value || '—'}
              </Text>
            </Stack>
          ))}
          <SecretLine connection={connection} />
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              Last sync
            </Text>
            {lastRun ? (
              <Group gap={6}>
                <RunStateBadge state={lastRun.state} />
                <Text size="sm">
                  <Timestamp iso={lastRun.finishedAt ?? lastRun.startedAt} relativeTo={now} />
                </Text>
              </Group>
            ) : (
              <Text size="sm">never</Text>
            )}
          </Stack>
        </SimpleGrid>
        {test && <TestResult name={name} test={test} />}
      </Stack>
    </Paper>
  );
}
