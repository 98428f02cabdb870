import { Fieldset, Select, SegmentedControl, Stack, Switch, TagsInput, TextInput } from '@mantine/core';
import type { ConnectionDto } from '../../../../src-main/contract/dto';
import { secretField, secretStatus, type ScimDraft } from './connection-draft';
import { LimitsFields } from './limits-fields';
import { AttributeRows, MatchRuleRows } from './rule-rows';
import { SecretInput } from './secret-input';

export function ScimFields({
  draft,
  existing,
  errors,
  onChange,
}: {
  draft: ScimDraft;
  existing: ConnectionDto | null;
  errors: Record<string, string>;
  onChange(next: ScimDraft): void;
}) {
  const set = (patch: Partial<ScimDraft>) => onChange({ ...draft, ...patch });
  const field = secretField(draft);
  return (
    <Stack gap="md">
      <TextInput
        label="SCIM base URL"
        description="The endpoint that serves /Users and /Groups."
        placeholder="https://crm.example.com/scim/v2"
        required
        value={draft.baseUrl}
        onChange={(e) => set({ baseUrl: e.currentTarget.value })}
        error={errors.baseUrl}
        data-testid="connection-base-url"
      />

      <Fieldset legend="Authentication">
        <Stack gap="sm">
          <SegmentedControl
            value={draft.authType}
            onChange={(v) => set({ authType: v === 'basic' ? 'basic' : 'bearer' })}
            data={[
              { value: 'bearer', label: 'Bearer token' },
              { value: 'basic', label: 'Basic (user + password)' },
            ]}
            aria-label="Authentication type"
            w="fit-content"
          />
          {draft.authType === 'basic' && (
            <TextInput
              label="User name"
              required
              value={draft.username}
              onChange={(e) => set({ username: e.currentTarget.value })}
              error={errors['auth.username']}
              autoComplete="off"
            />
          )}
          <SecretInput
            label={draft.authType === 'basic' ? 'Password' : 'Token'}
            field={field}
            draft={draft.secret}
            status={secretStatus(existing, field)}
            error={errors[field] ?? errors.auth}
            onChange={(secret) => set({ secret })}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend="Correlation: how an app account finds its person (first matching rule wins)">
        <MatchRuleRows rules={draft.match} errors={errors} onChange={(match) => set({ match })} />
      </Fieldset>

      <Fieldset legend="Scope: who should have an account">
        <Stack gap="sm">
          <SegmentedControl
            value={draft.scopeType}
            onChange={(v) => set({ scopeType: v === 'groups' ? 'groups' : 'all' })}
            data={[
              { value: 'all', label: 'Everyone in the IdP' },
              { value: 'groups', label: 'Members of IdP groups' },
            ]}
            aria-label="Scope"
            w="fit-content"
          />
          {draft.scopeType === 'groups' && (
            <TagsInput
              label="IdP groups"
              description="Press Enter after each group name."
              placeholder="CRM Users"
              value={draft.scopeGroups}
              onChange={(scopeGroups) => set({ scopeGroups })}
              error={errors['scope.groups'] ?? errors.scope}
            />
          )}
        </Stack>
      </Fieldset>

      <Fieldset legend="Attribute mappings: app (SCIM path) ↔ IdP attribute">
        <AttributeRows mappings={draft.attributes} errors={errors} onChange={(attributes) => set({ attributes })} />
      </Fieldset>

      <Fieldset legend="Groups">
        <Stack gap="sm">
          <Switch
            label="Compare group memberships"
            description="Each IdP group is paired with an app group; members on one side only become findings."
            checked={draft.groupsEnabled}
            onChange={(e) => set({ groupsEnabled: e.currentTarget.checked })}
          />
          {draft.groupsEnabled && (
            <>
              <Select
                label="Pair groups by"
                allowDeselect={false}
                value={draft.groupsMatch}
                onChange={(v) => set({ groupsMatch: v === 'externalId' ? 'externalId' : 'displayName' })}
                data={[
                  { value: 'displayName', label: 'Same displayName (case-insensitive)' },
                  { value: 'externalId', label: 'App group externalId = IdP group id' },
                ]}
                error={errors['groups.match']}
              />
              <TagsInput
                label="Only these IdP groups"
                description="Leave empty to compare every group."
                value={draft.groupsOnly}
                onChange={(groupsOnly) => set({ groupsOnly })}
                error={errors['groups.only']}
              />
            </>
          )}
          <Select
            label="How members are read"
            allowDeselect={false}
            value={draft.groupMembers}
            onChange={(v) => set({ groupMembers: v === 'perGroup' ? 'perGroup' : 'auto' })}
            data={[
              { value: 'auto', label: 'From the group list, reading a group by id only when the list leaves members out' },
              { value: 'perGroup', label: 'Read every group by id (for servers that never list members)' },
            ]}
            error={errors.groupMembers}
          />
        </Stack>
      </Fieldset>

      <LimitsFields limits={draft.limits} errors={errors} onChange={(limits) => set({ limits })} />

      <TextInput
        label="Private CA bundle"
        description="Path of a PEM file on the machine running Driftline, for servers behind a private CA. Certificate checks are never turned off."
        placeholder="/etc/ssl/private-ca.pem"
        value={draft.caFile}
        onChange={(e) => set({ caFile: e.currentTarget.value })}
        error={errors['tls.caFile']}
      />
    </Stack>
  );
}
