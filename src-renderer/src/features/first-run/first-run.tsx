import { Button, EmptyState, Group, List, Paper, Text } from '@mantine/core';
import { IconFlask, IconPlug } from '../../components/icons';
import { navigate } from '../../router/hash-route';
import { useAppStore } from '../../store/store-context';
import { useOpenDemo } from './use-open-demo';

/** No connection yet: the fastest way in is the demo tenant; the other is adding real ones. */
export function FirstRun() {
  const openEditor = useAppStore((s) => s.openEditor);
  const { opening, openDemo } = useOpenDemo();

  return (
    <Paper withBorder radius="md" p="xl" maw={720} mx="auto" mt="xl" data-testid="first-run">
      <EmptyState
        icon={<IconPlug size={28} />}
        variant="light"
        size="lg"
        title="Nothing to audit yet"
        description="Driftline compares your identity provider (the source of truth) with the apps it provisions over SCIM, and lists where they disagree."
      >
        <EmptyState.Actions>
          <Group justify="center">
            <Button size="md" leftSection={<IconFlask />} loading={opening} onClick={() => void openDemo()} data-testid="open-demo">
              Open the demo tenant
            </Button>
            <Button
              size="md"
              variant="default"
              leftSection={<IconPlug />}
              onClick={() => {
                openEditor({ mode: 'add' });
                navigate('connections');
              }}
              data-testid="add-connections"
            >
              Add connections
            </Button>
          </Group>
        </EmptyState.Actions>
      </EmptyState>
      <Text size="sm" c="dimmed" mt="lg" ta="center">
        The demo starts a simulated Okta org and a SCIM app on this machine, adds both as connections and runs a first sync:
      </Text>
      <List size="sm" c="dimmed" mt="xs" mx="auto" w="fit-content">
        <List.Item>leavers still active, orphaned and duplicate accounts</List.Item>
        <List.Item>attributes that never arrived, stale and missing group memberships</List.Item>
      </List>
    </Paper>
  );
}
