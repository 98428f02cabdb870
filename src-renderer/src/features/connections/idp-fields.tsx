import { Stack, TextInput } from '@mantine/core';
import type { ConnectionDto } from '../../../../src-main/contract/dto';
import { secretField, secretStatus, type CsvDraft, type OktaDraft } from './connection-draft';
import { LimitsFields } from './limits-fields';
import { SecretInput } from './secret-input';

export function OktaFields({
  draft,
  existing,
  errors,
  onChange,
}: {
  draft: OktaDraft;
  existing: ConnectionDto | null;
  errors: Record<string, string>;
  onChange(next: OktaDraft): void;
}) {
  const set = (patch: Partial<OktaDraft>) => onChange({ ...draft, ...patch });
  const field = secretField(draft);
  return (
    <Stack gap="md">
      <TextInput
        label="Okta org URL"
        placeholder="https://example.okta.com"
        required
        value={draft.orgUrl}
        onChange={(e) => set({ orgUrl: e.currentTarget.value })}
        error={errors.orgUrl}
        data-testid="connection-org-url"
      />
      <SecretInput label="API token" field={field} draft={draft.secret} status={secretStatus(existing, field)} error={errors[field]} onChange={(secret) => set({ secret })} />
      <LimitsFields limits={draft.limits} errors={errors} onChange={(limits) => set({ limits })} />
      <TextInput
        label="Private CA bundle"
        description="Path of a PEM file on the machine running Driftline. Certificate checks are never turned off."
        value={draft.caFile}
        onChange={(e) => set({ caFile: e.currentTarget.value })}
        error={errors['tls.caFile']}
      />
    </Stack>
  );
}

export function CsvFields({ draft, errors, onChange }: { draft: CsvDraft; errors: Record<string, string>; onChange(next: CsvDraft): void }) {
  const set = (patch: Partial<CsvDraft>) => onChange({ ...draft, ...patch });
  return (
    <Stack gap="md">
      <TextInput
        label="CSV file"
        description="Path on the machine running Driftline; a relative path is resolved against the data folder. One row per person with at least id, userName, email, givenName, familyName, displayName, active, groups (separated by ;)."
        placeholder="/exports/people.csv"
        required
        value={draft.path}
        onChange={(e) => set({ path: e.currentTarget.value })}
        error={errors.path}
        data-testid="connection-path"
      />
      <TextInput
        label="Delimiter"
        description="One character; leave empty for a comma."
        placeholder=","
        maxLength={1}
        w={160}
        value={draft.delimiter}
        onChange={(e) => set({ delimiter: e.currentTarget.value })}
        error={errors.delimiter}
      />
    </Stack>
  );
}
