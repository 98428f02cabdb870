import { Table, Text, Tooltip } from '@mantine/core';
import type { RunDto } from '../../../../src-main/contract/dto';
import { RunStateBadge } from '../../components/badges';
import { Timestamp } from '../../components/timestamp';
import { formatCount, runDuration } from '../../lib/format';

function count(n: number | null): string {
  return n === null ? '—' : formatCount(n);
}

/** Recent runs of every connection, newest first. */
export function RunsTable({ runs }: { runs: RunDto[] }) {
  if (runs.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No runs yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="runs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Connection</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Took</Table.Th>
            <Table.Th ta="right">Users</Table.Th>
            <Table.Th ta="right">Groups</Table.Th>
            <Table.Th ta="right">Memberships</Table.Th>
            <Table.Th>Notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => {
            const notes = [...(run.error ? [`${run.error.message} [${run.error.code}]`] : []), ...run.coverageNotes, ...run.warnings];
            return (
              <Table.Tr key={run.id} data-testid="run-row" data-run-id={run.id} data-state={run.state}>
                <Table.Td>{run.connection}</Table.Td>
                <Table.Td>
                  <RunStateBadge state={run.state} />
                </Table.Td>
                <Table.Td>
                  <Timestamp iso={run.startedAt} size="sm" />
                </Table.Td>
                <Table.Td>{runDuration(run) ?? '—'}</Table.Td>
                <Table.Td ta="right">{count(run.users)}</Table.Td>
                <Table.Td ta="right">{count(run.groups)}</Table.Td>
                <Table.Td ta="right">{count(run.memberships)}</Table.Td>
                <Table.Td maw={360}>
                  {notes.length > 0 ? (
                    <Tooltip label={notes.join('\n')} multiline maw={420} style={{ whiteSpace: 'pre-wrap' }}>
                      <Text size="sm" truncate="end" c={run.state === 'failed' ? 'red' : undefined}>
                        {notes[0]}
                        {notes.length > 1 && ` (+${notes.length - 1})`}
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
