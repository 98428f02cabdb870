import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import type { ConnectionDto } from '../../../../src-main/contract/dto';
import type { ErrorInfo } from '../../../../src-main/contract/errors';
import { toErrorInfo } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { IconAlert } from '../../components/icons';
import { notifySuccess } from '../../components/notify';
import { useAppStore } from '../../store/store-context';
import { fieldErrors } from './config-errors';
import { draftFromConnection, emptyDraft, toSaveRequest, type ConnectionDraft, type ConnectionType } from './connection-draft';
import { CsvFields, OktaFields } from './idp-fields';
import { ScimFields } from './scim-fields';

const TYPE_LABELS: Record<ConnectionType, string> = { scim: 'SCIM app', okta: 'Okta (identity provider)', csv: 'CSV export (identity provider)' };

function ConnectionForm({ existing, otherIdp, onDone }: { existing: ConnectionDto | null; otherIdp: string | null; onDone(): void }) {
  const saveConnection = useAppStore((s) => s.saveConnection);
  const [draft, setDraft] = useState<ConnectionDraft>(() => (existing ? draftFromConnection(existing) : emptyDraft(otherIdp ? 'scim' : 'okta')));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ErrorInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // After a failed save, take the admin to the first field that needs attention.
  const focusFirstError = (): void => {
    window.requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const built = toSaveRequest(draft, existing);
    if (!built.ok) {
      setErrors(built.errors);
      setFailure(null);
      focusFirstError();
      return;
    }
    setSaving(true);
    try {
      const { config, secrets } = built.request;
      const saved = await saveConnection({
        ...(existing ? { previousName: existing.name } : {}),
        config,
        ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
      });
      notifySuccess(existing ? 'Connection saved' : 'Connection added', `“${saved.name}” is ready. Test it, then sync.`);
      onDone();
    } catch (err) {
      const info = toErrorInfo(err);
      setFailure(info);
      setErrors(info.code === 'config_invalid' ? fieldErrors(info.message) : {});
      focusFirstError();
    } finally {
      setSaving(false);
    }
  };

  const typeOptions = (['scim', 'okta', 'csv'] as const).map((type) => ({
    value: type,
    label: TYPE_LABELS[type],
    // One identity provider per workspace: every app is compared with the same source of truth.
    disabled: type !== 'scim' && otherIdp !== null,
  }));

  return (
    <form ref={formRef} onSubmit={(e) => void onSubmit(e)} noValidate data-testid="connection-form" aria-label={existing ? `Edit ${existing.name}` : 'Add a connection'}>
      <Stack gap="md">
        {!existing && (
          <Stack gap={4}>
            <SegmentedControl
              value={draft.type}
              onChange={(type) => setDraft(emptyDraft(type === 'okta' || type === 'csv' ? type : 'scim', draft.name))}
              data={typeOptions}
              aria-label="Connection type"
              data-testid="connection-type"
            />
            {otherIdp && (
              <Text size="xs" c="dimmed">
                “{otherIdp}” is the identity provider; edit or delete it to use another.
              </Text>
            )}
          </Stack>
        )}
        <TextInput
          label="Name"
          description="Shown everywhere, and used by `driftline sync --only`."
          required
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          error={errors.name}
          data-testid="connection-name"
          data-autofocus
        />
        {draft.type === 'scim' && <ScimFields draft={draft} existing={existing} errors={errors} onChange={setDraft} />}
        {draft.type === 'okta' && <OktaFields draft={draft} existing={existing} errors={errors} onChange={setDraft} />}
        {draft.type === 'csv' && <CsvFields draft={draft} errors={errors} onChange={setDraft} />}

        {failure && (
          <ErrorAlert
            title={failure.code === 'config_invalid' ? 'Driftline cannot use this configuration' : 'Could not save'}
            error={failure}
            testId="connection-form-error"
          />
        )}
        {!failure && Object.keys(errors).length > 0 && (
          <Alert color="red" variant="light" icon={<IconAlert />} data-testid="connection-form-error">
            Some fields need attention.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} data-testid="connection-save">
            {existing ? 'Save changes' : 'Add connection'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The add/edit form in a modal, opened from anywhere through the store. */
export function ConnectionFormModal() {
  const editor = useAppStore((s) => s.editor);
  const connections = useAppStore((s) => s.connections);
  const closeEditor = useAppStore((s) => s.closeEditor);
  const existing = editor?.mode === 'edit' ? (connections.find((c) => c.name === editor.name) ?? null) : null;
  const otherIdp = connections.find((c) => c.role === 'idp' && c.name !== existing?.name)?.name ?? null;

  return (
    <Modal opened={editor !== null} onClose={closeEditor} size="xl" title={<Text fw={600}>{existing ? `Edit “${existing.name}”` : 'Add a connection'}</Text>}>
      {editor && <ConnectionForm key={existing?.name ?? 'new'} existing={existing} otherIdp={otherIdp} onDone={closeEditor} />}
    </Modal>
  );
}
