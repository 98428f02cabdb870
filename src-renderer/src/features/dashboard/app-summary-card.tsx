import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { AppSummaryDto } from '../../../../src-main/contract/dto';
import { DEFAULT_SEVERITY, FINDING_TYPES, SEVERITIES, type FindingType } from '../../../../src-main/contract/findings';
import { RunStateBadge, SeverityBadge } from '../../components/badges';
import { IconAlert, IconCheck } from '../../components/icons';
import { Timestamp } from '../../components/timestamp';
import { capitalize, SEVERITY_COLOR, TYPE_INFO } from '../../lib/labels';
import { routeHref } from '../../router/hash-route';

/** Types with open findings, most severe first, then the biggest counts. */
function typeRows(summary: AppSummaryDto): Array<{ type: FindingType; count: number }> {
  return FINDING_TYPES.map((type) => ({ type, count: summary.byType[type] ?? 0 }))
    .filter((row) => row.count > 0)
    .sort((a, b) => SEVERITIES.indexOf(DEFAULT_SEVERITY[a.type]) - SEVERITIES.indexOf(DEFAULT_SEVERITY[b.type]) || b.count - a.count);
}

export function AppSummaryCard({ summary, now }: { summary: AppSummaryDto; now: number }) {
  const app = summary.app;
  const rows = typeRows(summary);
  return (
    <Paper withBorder radius="md" p="md" data-testid={`dashboard-app-${app}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={3} size="h4">
              {app}
            </Title>
            {summary.lastRunState && <RunStateBadge state={summary.lastRunState} />}
          </Group>
          <Text size="sm" c="dimmed">
            Last successful sync: <Timestamp iso={summary.lastSuccessfulSync} relativeTo={now} c={summary.lastSuccessfulSync ? undefined : 'red'} />
            {summary.analyzedAt && (
              <>
                {' · '}analysed <Timestamp iso={summary.analyzedAt} relativeTo={now} />
              </>
            )}
          </Text>
        </Stack>
        <Stack gap={0} align="flex-end">
          <Anchor href={routeHref('findings', { apps: [app], statuses: ['open'] })} fz={30} fw={700} lh={1.1} data-testid={`dashboard-open-${app}`}>
            {summary.open.toLocaleString()}
          </Anchor>
          <Text size="xs" c="dimmed">
            open findings
          </Text>
        </Stack>
      </Group>

      <Group gap={6} mt="sm">
        {SEVERITIES.map((severity) => {
          const count = summary.bySeverity[severity] ?? 0;
          return (
            <Badge
              key={severity}
              component="a"
              href={routeHref('findings', { apps: [app], severities: [severity], statuses: ['open'] })}
              color={SEVERITY_COLOR[severity]}
              variant={count > 0 ? 'light' : 'outline'}
              opacity={count > 0 ? 1 : 0.55}
              radius="sm"
              size="lg"
              tt="none"
              className="dl-badge-link"
              data-testid={`dashboard-severity-${app}-${severity}`}
            >
              {capitalize(severity)} {count}
            </Badge>
          );
        })}
      </Group>

      {summary.warnings.length > 0 && (
        <Alert color="yellow" variant="light" mt="md" icon={<IconAlert />} title="Coverage warnings" data-testid={`dashboard-warnings-${app}`}>
          <Stack gap={2}>
            {summary.warnings.map((w) => (
              <Text size="sm" key={w}>
                {w}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      {rows.length > 0 ? (
        <Table mt="md" verticalSpacing={6} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Finding type</Table.Th>
              <Table.Th w={110}>Severity</Table.Th>
              <Table.Th w={80} ta="right">
                Open
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ type, count }) => (
              <Table.Tr key={type}>
                <Table.Td>
                  <Tooltip label={TYPE_INFO[type].description} openDelay={300} multiline maw={320}>
                    <Text size="sm" span>
                      {TYPE_INFO[type].label}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <SeverityBadge severity={DEFAULT_SEVERITY[type]} />
                </Table.Td>
                <Table.Td ta="right">
                  <Anchor
                    href={routeHref('findings', { apps: [app], types: [type], statuses: ['open'] })}
                    fw={600}
                    data-testid={`dashboard-count-${app}-${type}`}
                    data-count={count}
                    aria-label={`${count} open ${TYPE_INFO[type].label.toLowerCase()} findings in ${app}`}
                  >
                    {count.toLocaleString()}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : summary.analyzedAt ? (
        <Group gap="xs" mt="md" c="green">
          <IconCheck />
          <Text size="sm">No open findings: this app matches the identity provider.</Text>
        </Group>
      ) : (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            Not analysed yet: it needs a complete sync of the identity provider and of this app.
          </Text>
          <Button component="a" href={routeHref('sync')} size="xs" variant="light">
            Go to sync
          </Button>
        </Group>
      )}
    </Paper>
  );
}
