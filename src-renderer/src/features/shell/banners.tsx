import { Alert, Stack, Text } from '@mantine/core';
import { IconFlask, IconKey } from '../../components/icons';
import { useAppStore } from '../../store/store-context';

/** Conditions the admin must keep in mind on every screen: one compact line each. */
export function Banners() {
  const secretsWarning = useAppStore((s) => s.info?.secretStorage.warning ?? null);
  const demoRunning = useAppStore((s) => s.info?.demoRunning === true);
  if (!secretsWarning && !demoRunning) return null;
  return (
    <Stack gap={0} className="dl-banners">
      {secretsWarning && (
        <Alert color="yellow" variant="light" radius={0} icon={<IconKey size={16} />} py={6} data-testid="secrets-warning">
          <Text size="sm">
            <strong>Secrets are not kept on disk.</strong> {secretsWarning}
          </Text>
        </Alert>
      )}
      {demoRunning && (
        <Alert color="grape" variant="light" radius={0} icon={<IconFlask size={16} />} py={6} data-testid="demo-banner">
          <Text size="sm">
            <strong>Demo tenant running.</strong> “Okta (demo)” and “Acme CRM” are simulated on this machine, seeded with every kind of drift; they
            stop when Driftline stops.
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
