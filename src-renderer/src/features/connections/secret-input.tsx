import { Badge, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import type { SecretFieldDto } from '../../../../src-main/contract/dto';
import type { SecretDraft } from './connection-draft';

function StatusBadge({ status, field }: { status: SecretFieldDto | undefined; field: string }) {
  if (!status || status.source === null) return null;
  const testId = `secret-status-${field}`;
  if (status.source === 'env') {
    return (
      <Badge color={status.set ? 'green' : 'red'} variant="light" radius="sm" tt="none" data-testid={testId}>
        from environment variable {status.env}
        {status.set ? '' : ' (not set)'}
      </Badge>
    );
  }
  return (
    <Badge color={status.set ? 'green' : 'red'} variant="light" radius="sm" tt="none" data-testid={testId}>
      {status.set ? 'set (stored)' : 'stored secret missing'}
    </Badge>
  );
}

/**
 * A write-only secret: typed into a password field and sent to the secret store, or named as an
 * environment variable. Editing shows only whether one is set and where from, never the value.
 */
export function SecretInput({
  label,
  field,
  draft,
  status,
  error,
  onChange,
}: {
  label: string;
  field: string;
  draft: SecretDraft;
  status: SecretFieldDto | undefined;
  error: string | undefined;
  onChange(next: SecretDraft): void;
}) {
  const stored = status?.source === 'store' && status.set;
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <StatusBadge status={status} field={field} />
        </Group>
        <SegmentedControl
          size="xs"
          value={draft.source}
          onChange={(source) => onChange({ ...draft, source: source === 'env' ? 'env' : 'store' })}
          data={[
            { value: 'store', label: 'Enter it' },
            { value: 'env', label: 'Environment variable' },
          ]}
          aria-label={`Where the ${label.toLowerCase()} comes from`}
        />
      </Group>
      {draft.source === 'store' ? (
        <PasswordInput
          aria-label={label}
          value={draft.value}
          onChange={(e) => onChange({ ...draft, value: e.currentTarget.value })}
          placeholder={stored ? 'set (stored): leave empty to keep it' : undefined}
          description={
            stored
              ? 'Type a new value only to replace the stored one.'
              : 'Kept in Driftline’s secret store, never shown again and never written to a config file.'
          }
          autoComplete="new-password"
          visibilityToggleButtonProps={{ 'aria-label': `Show or hide the ${label.toLowerCase()}` }}
          error={error}
          data-testid={`secret-input-${field}`}
        />
      ) : (
        <TextInput
          aria-label={`${label}: environment variable`}
          value={draft.env}
          onChange={(e) => onChange({ ...draft, env: e.currentTarget.value })}
          placeholder="CRM_SCIM_TOKEN"
          description="Read from Driftline’s environment each time it connects."
          error={error}
          classNames={{ input: 'dl-mono-input' }}
          data-testid={`secret-env-${field}`}
        />
      )}
    </Stack>
  );
}
