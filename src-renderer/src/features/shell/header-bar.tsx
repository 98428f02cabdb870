import { ActionIcon, Badge, Group, Text, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '../../components/icons';
import { useAppStore } from '../../store/store-context';

function Logo() {
  return (
    <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-primary-color-filled)" />
      <path d="M6 20c4-8 8-8 10 0s6 8 10 0" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

export function HeaderBar() {
  const version = useAppStore((s) => s.info?.version);
  const dataDir = useAppStore((s) => s.info?.dataDir);
  const demoRunning = useAppStore((s) => s.info?.demoRunning === true);
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';

  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="xs" wrap="nowrap">
        <Logo />
        <Text fw={700} size="lg">
          Driftline
        </Text>
        {version && (
          <Tooltip label={dataDir ? `Data folder: ${dataDir}` : 'Driftline version'}>
            <Badge variant="default" radius="sm" tt="none" data-testid="app-version">
              v{version}
            </Badge>
          </Tooltip>
        )}
        {demoRunning && (
          <Badge color="grape" variant="light" radius="sm" data-testid="demo-badge">
            Demo tenant
          </Badge>
        )}
      </Group>
      <Tooltip label={`Switch to ${next} mode`}>
        <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(next)} aria-label={`Switch to ${next} mode`} data-testid="color-scheme-toggle">
          {scheme === 'dark' ? <IconSun /> : <IconMoon />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
