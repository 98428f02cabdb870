import { Badge, Loader, NavLink, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconDashboard, IconFindings, IconPlug, IconShield, IconSync } from '../../components/icons';
import { routeHref } from '../../router/hash-route';
import type { View } from '../../store/route.slice';
import { useAppStore } from '../../store/store-context';
import { isRunning } from '../../store/sync.slice';

function Item({ view, label, icon, right }: { view: View; label: string; icon: ReactNode; right?: ReactNode }) {
  const active = useAppStore((s) => s.view === view);
  return (
    <NavLink
      component="a"
      href={routeHref(view)}
      label={label}
      leftSection={icon}
      rightSection={right}
      active={active}
      aria-current={active ? 'page' : undefined}
      data-testid={`nav-${view}`}
      variant="light"
    />
  );
}

export function MainNav() {
  const openFindings = useAppStore((s) => s.dashboard?.apps.reduce((total, app) => total + app.open, 0) ?? 0);
  const syncing = useAppStore((s) => Object.values(s.syncCards).some(isRunning));
  return (
    <Stack gap={4} component="nav">
      <Item view="dashboard" label="Dashboard" icon={<IconDashboard />} />
      <Item
        view="findings"
        label="Findings"
        icon={<IconFindings />}
        right={
          openFindings > 0 ? (
            <Badge size="sm" variant="light" aria-label={`${openFindings} open findings`}>
              {openFindings.toLocaleString()}
            </Badge>
          ) : undefined
        }
      />
      <Item view="connections" label="Connections" icon={<IconPlug />} />
      <Item view="sync" label="Sync & runs" icon={<IconSync />} right={syncing ? <Loader size={14} aria-label="Sync running" /> : undefined} />
      <Item view="audit" label="Audit log" icon={<IconShield />} />
      <Text size="xs" c="dimmed" mt="md" px="sm">
        IdP vs SCIM apps: drift, orphaned accounts, stale memberships.
      </Text>
    </Stack>
  );
}
