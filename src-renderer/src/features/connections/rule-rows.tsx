import { ActionIcon, Autocomplete, Button, Checkbox, Group, Select, Stack, Text } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '../../components/icons';
import { newRowId, type AttributeDraft, type CaseRule, type MatchRuleDraft } from './connection-draft';

// The two editable lists of a SCIM app: correlation rules (ordered: the first rule that matches an
// account decides) and attribute mappings. Suggestions are what the core supports (README).

const APP_KEYS = ['externalId', 'userName', 'id', 'emails', 'emails[type eq "work"].value', 'emails[primary eq true].value'];
const IDP_KEYS = ['id', 'userName', 'login', 'email', 'externalId'];
const APP_ATTRIBUTES = [
  'name.givenName',
  'name.familyName',
  'displayName',
  'title',
  'emails[type eq "work"].value',
  'phoneNumbers[type eq "work"].value',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
];
const IDP_ATTRIBUTES = ['givenName', 'familyName', 'displayName', 'title', 'email', 'department', 'employeeNumber', 'manager'];

function caseRule(value: string | null): CaseRule {
  return value === 'yes' || value === 'no' ? value : 'default';
}

function move<T>(items: T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

export function MatchRuleRows({ rules, errors, onChange }: { rules: MatchRuleDraft[]; errors: Record<string, string>; onChange(next: MatchRuleDraft[]): void }) {
  const update = (i: number, patch: Partial<MatchRuleDraft>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" data-testid="match-rules">
      {rules.length === 0 && (
        <Text size="sm" c="dimmed">
          No rules: accounts are matched by userName ↔ userName.
        </Text>
      )}
      {rules.map((rule, i) => (
        <Group key={rule.id} gap="xs" align="flex-start" wrap="nowrap">
          <Text size="sm" c="dimmed" w={22} pt={8} ta="right">
            {i + 1}.
          </Text>
          <Autocomplete
            aria-label={`Rule ${i + 1}: app attribute`}
            placeholder="app attribute"
            data={APP_KEYS}
            value={rule.app}
            onChange={(app) => update(i, { app })}
            error={errors[`match[${i}].app`]}
            flex={1}
            classNames={{ input: 'dl-mono-input' }}
          />
          <Text pt={6} aria-hidden="true">
            ↔
          </Text>
          <Autocomplete
            aria-label={`Rule ${i + 1}: IdP attribute`}
            placeholder="IdP attribute"
            data={IDP_KEYS}
            value={rule.idp}
            onChange={(idp) => update(i, { idp })}
            error={errors[`match[${i}].idp`]}
            flex={1}
            classNames={{ input: 'dl-mono-input' }}
          />
          <Select
            aria-label={`Rule ${i + 1}: case`}
            w={160}
            allowDeselect={false}
            value={rule.caseSensitive}
            onChange={(value) => update(i, { caseSensitive: caseRule(value) })}
            data={[
              { value: 'default', label: 'Default case' },
              { value: 'no', label: 'Ignore case' },
              { value: 'yes', label: 'Case-sensitive' },
            ]}
          />
          <ActionIcon variant="subtle" size="lg" disabled={i === 0} onClick={() => onChange(move(rules, i, i - 1))} aria-label={`Move rule ${i + 1} up`}>
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" size="lg" disabled={i === rules.length - 1} onClick={() => onChange(move(rules, i, i + 1))} aria-label={`Move rule ${i + 1} down`}>
            <IconArrowDown size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" size="lg" onClick={() => onChange(rules.filter((_, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group justify="space-between">
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...rules, { id: newRowId(), app: '', idp: '', caseSensitive: 'default' }])}
        >
          Add a rule
        </Button>
        <Text size="xs" c="dimmed">
          Default case follows RFC 7643: userName and e-mails ignore case, ids are exact.
        </Text>
      </Group>
    </Stack>
  );
}

export function AttributeRows({ mappings, errors, onChange }: { mappings: AttributeDraft[]; errors: Record<string, string>; onChange(next: AttributeDraft[]): void }) {
  const update = (i: number, patch: Partial<AttributeDraft>) => onChange(mappings.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <Stack gap="xs" data-testid="attribute-mappings">
      {mappings.length === 0 && (
        <Text size="sm" c="dimmed">
          No mapped attributes: only accounts and memberships are compared.
        </Text>
      )}
      {mappings.map((m, i) => (
        <Group key={m.id} gap="xs" align="flex-start" wrap="nowrap">
          <Autocomplete
            aria-label={`Mapping ${i + 1}: SCIM attribute path in the app`}
            placeholder="SCIM path, e.g. name.familyName"
            data={APP_ATTRIBUTES}
            value={m.app}
            onChange={(app) => update(i, { app })}
            error={errors[`attributes[${i}].app`]}
            flex={3}
            classNames={{ input: 'dl-mono-input' }}
          />
          <Text pt={6} aria-hidden="true">
            ↔
          </Text>
          <Autocomplete
            aria-label={`Mapping ${i + 1}: IdP attribute`}
            placeholder="IdP attribute"
            data={IDP_ATTRIBUTES}
            value={m.idp}
            onChange={(idp) => update(i, { idp })}
            error={errors[`attributes[${i}].idp`]}
            flex={2}
            classNames={{ input: 'dl-mono-input' }}
          />
          <Checkbox label="Case-sensitive" checked={m.caseSensitive} onChange={(e) => update(i, { caseSensitive: e.currentTarget.checked })} pt={8} />
          <ActionIcon variant="subtle" color="red" size="lg" onClick={() => onChange(mappings.filter((_, j) => j !== i))} aria-label={`Remove mapping ${i + 1}`}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="xs"
        w="fit-content"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...mappings, { id: newRowId(), app: '', idp: '', caseSensitive: true }])}
      >
        Add a mapping
      </Button>
    </Stack>
  );
}
