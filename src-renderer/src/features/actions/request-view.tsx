import { Alert, Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import type { PlannedRequestDto } from '../../../../src-main/contract/actions';

const METHOD_COLOR: Record<PlannedRequestDto['method'], string> = { PATCH: 'blue', PUT: 'grape', DELETE: 'red' };

/**
 * The exact HTTP request a plan sends, as the core journaled it: method, URL, headers and the JSON
 * body. The Authorization header is never part of it (the core adds it when sending), so say so.
 */
export function RequestView({ request, testIdPrefix = 'action-request' }: { request: PlannedRequestDto; testIdPrefix?: string }) {
  const headers = Object.entries(request.headers);
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="nowrap" align="flex-start" data-testid={`${testIdPrefix}-line`} data-method={request.method} data-url={request.url}>
        <Badge color={METHOD_COLOR[request.method]} radius="sm" className="dl-no-shrink">
          {request.method}
        </Badge>
        <Code className="dl-break">{request.url}</Code>
      </Group>
      <Table withTableBorder verticalSpacing={4} fz="xs" layout="fixed" data-testid={`${testIdPrefix}-headers`} aria-label="Request headers">
        <Table.Tbody>
          {headers.map(([name, value]) => (
            <Table.Tr key={name}>
              <Table.Td w="30%" ff="monospace">
                {name}
              </Table.Td>
              <Table.Td ff="monospace" className="dl-break">
                {value}
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Td ff="monospace" c="dimmed">
              Authorization
            </Table.Td>
            <Table.Td c="dimmed">added when sending; never shown or stored</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {request.body === null ? (
        <Text size="sm" c="dimmed" data-testid={`${testIdPrefix}-body`} data-empty="true">
          No request body.
        </Text>
      ) : (
        <pre className="dl-pre" data-testid={`${testIdPrefix}-body`}>
          {JSON.stringify(request.body, null, 2)}
        </pre>
      )}
      {request.note && (
        <Alert color="blue" variant="light" py="xs" data-testid={`${testIdPrefix}-note`}>
          <Text size="sm">{request.note}</Text>
        </Alert>
      )}
    </Stack>
  );
}
