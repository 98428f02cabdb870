import { Alert, Group, List, Loader, Stack, Table, Text } from '@mantine/core';
import { ErrorAlert } from '../../components/error-alert';
import { IconAlert, IconCheck } from '../../components/icons';
import type { ConnectionTestState } from '../../store/connections.slice';

/** What "Test connection" found: the system's capabilities in words, and problems an admin can act on. */
export function TestResult({ name, test }: { name: string; test: ConnectionTestState }) {
  if (test.status === 'running') {
    return (
      <Group gap="xs" data-testid={`connection-test-result-${name}`} data-state="running">
        <Loader size="xs" />
        <Text size="sm">Testing: discovering what the server supports…</Text>
      </Group>
    );
  }
  const { result } = test;
  return (
    <Stack gap="sm" data-testid={`connection-test-result-${name}`} data-state={result.ok ? 'ok' : 'failed'}>
      {result.ok ? (
        <Group gap={6} c="green">
          <IconCheck size={16} />
          <Text size="sm" fw={500}>
            Connected. This is what the server says about itself:
          </Text>
        </Group>
      ) : (
        result.error && <ErrorAlert title="The test failed" error={result.error} />
      )}
      {result.facts.length > 0 && (
        <Table withTableBorder verticalSpacing={4} data-testid={`connection-test-facts-${name}`}>
          <Table.Tbody>
            {result.facts.map((fact) => (
              <Table.Tr key={fact.label}>
                <Table.Th w="40%" fw={500}>
                  {fact.label}
                </Table.Th>
                <Table.Td>{fact.value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {result.problems.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlert />} title="Problems" data-testid={`connection-test-problems-${name}`}>
          <List size="sm">
            {result.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
