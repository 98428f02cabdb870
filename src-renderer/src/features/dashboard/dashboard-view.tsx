import { Alert, Anchor, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { DashboardDto } from '../../../../src-main/contract/dto';
import { SEVERITIES, type Severity } from '../../../../src-main/contract/findings';
import { RunStateBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/error-alert';
import { IconAlert, IconSync } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { Timestamp } from '../../components/timestamp';
import { useNow } from '../../components/use-now';
import { capitalize, SEVERITY_COLOR } from '../../lib/labels';
import { routeHref } from '../../router/hash-route';
import { useAppStore } from '../../store/store-context';
import { AppSummaryCard } from './app-summary-card';

function totalsBySeverity(dashboard: DashboardDto): Record<Severity, number> {
  const totals: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const app of dashboard.apps) for (const s of SEVERITIES) totals[s] += app.bySeverity[s] ?? 0;
  return totals;
}

function Stat({ label, value, href, color, testId }: { label: string; value: number; href: string; color?: string; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" tt="uppercase" fw={600} c="dimmed">
        {label}
      </Text>
      <Anchor href={href} fz={28} fw={700} c={value > 0 ? color : 'dimmed'} underline="hover" data-testid={testId}>
        {value.toLocaleString()}
      </Anchor>
    </Paper>
  );
}

export function DashboardView() {
  const dashboard = useAppStore((s) => s.dashboard);
  const error = useAppStore((s) => s.dashboardError);
  const now = useNow(true, 30_000);

  if (!dashboard) {
    return error ? (
      <ErrorAlert title="Could not load the dashboard" error={error} />
    ) : (
      <Center h={240}>
        <Loader aria-label="Loading the dashboard" />
      </Center>
    );
  }

  const totals = totalsBySeverity(dashboard);
  const open = dashboard.apps.reduce((sum, app) => sum + app.open, 0);
  const idp = dashboard.idp;

  return (
    <Stack gap="lg" data-testid="dashboard">
      <PageHeader
        title="Dashboard"
        description="Open findings per app, from the latest complete snapshots of each side."
        actions={
          <Button component="a" href={routeHref('sync')} variant="default" leftSection={<IconSync />}>
            Sync & runs
          </Button>
        }
      />
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
        <Stat label="Open findings" value={open} href={routeHref('findings', { statuses: ['open'] })} testId="dashboard-total-open" />
        {SEVERITIES.map((severity) => (
          <Stat
            key={severity}
            label={capitalize(severity)}
            value={totals[severity]}
            color={SEVERITY_COLOR[severity]}
            href={routeHref('findings', { severities: [severity], statuses: ['open'] })}
            testId={`dashboard-total-${severity}`}
          />
        ))}
      </SimpleGrid>

      {idp ? (
        <Paper withBorder radius="md" p="md" data-testid="dashboard-idp">
          <Group justify="space-between" wrap="wrap">
            <Group gap="xs">
              <Text fw={600}>Identity provider: {idp.name}</Text>
              {idp.lastRunState && <RunStateBadge state={idp.lastRunState} />}
            </Group>
            <Text size="sm" c="dimmed">
              Last successful sync: <Timestamp iso={idp.lastSuccessfulSync} relativeTo={now} c={idp.lastSuccessfulSync ? undefined : 'red'} />
            </Text>
          </Group>
          {idp.warnings.length > 0 && (
            <Alert color="yellow" variant="light" mt="sm" icon={<IconAlert />} title="Coverage" data-testid="dashboard-warnings-idp">
              <Stack gap={2}>
                {idp.warnings.map((w) => (
                  <Text size="sm" key={w}>
                    {w}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
        </Paper>
      ) : (
        <Alert color="yellow" variant="light" icon={<IconAlert />} title="No identity provider">
          Findings need a source of truth. <Anchor href={routeHref('connections')}>Add an Okta org or a CSV export</Anchor>.
        </Alert>
      )}

      {dashboard.apps.length === 0 ? (
        <Alert color="blue" variant="light" title="No apps yet">
          <Anchor href={routeHref('connections')}>Add a SCIM app</Anchor> to compare it with the identity provider.
        </Alert>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: dashboard.apps.length > 1 ? 2 : 1 }} spacing="md">
          {dashboard.apps.map((app) => (
            <AppSummaryCard key={app.app} summary={app} now={now} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
