import { Alert, Button, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { FindingDetailDto } from '../../../../src-main/contract/dto';
import type { ErrorInfo } from '../../../../src-main/contract/errors';
import { toErrorInfo } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { IconShield } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { useAppStore } from '../../store/store-context';

/** A local calendar date `days` from today, as the date input and the API take it (YYYY-MM-DD). */
function dateFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function AcceptForm({ findingKey, onDone }: { findingKey: string; onDone(): void }) {
  const acceptException = useAppStore((s) => s.acceptException);
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  // Exceptions always expire so accepted risk is reviewed again; a quarter is a common review cycle.
  const [expiresAt, setExpiresAt] = useState(dateFromToday(90));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await acceptException({ findingKey, owner: owner.trim(), reason: reason.trim(), expiresAt, ...(ticket.trim() ? { ticket: ticket.trim() } : {}) });
      notifySuccess('Accepted as an exception', `Until ${expiresAt}. It is in the audit log.`);
      onDone();
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} data-testid="exception-form">
      <Stack gap="xs">
        <Group grow align="flex-start">
          <TextInput label="Owner" description="Who answers for this risk" required value={owner} onChange={(e) => setOwner(e.currentTarget.value)} data-testid="exception-owner" />
          <TextInput label="Ticket" description="Optional reference" value={ticket} onChange={(e) => setTicket(e.currentTarget.value)} data-testid="exception-ticket" />
          <TextInput
            type="date"
            label="Expires"
            description="Re-reviewed after this date"
            required
            min={dateFromToday(1)}
            value={expiresAt}
            onChange={(e) => setExpiresAt(e.currentTarget.value)}
            data-testid="exception-expires"
          />
        </Group>
        <Textarea
          label="Reason"
          description="Why this is acceptable, e.g. a break-glass or service account"
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="exception-reason"
        />
        {error && <ErrorAlert title="Not accepted" error={error} testId="exception-error" />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onDone} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} disabled={!owner.trim() || !reason.trim() || !expiresAt} data-testid="exception-accept">
            Accept as exception
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Accept an open finding as a known risk (owner, reason, ticket, expiry), or revoke the exception of an accepted one. */
export function ExceptionSection({ detail }: { detail: FindingDetailDto }) {
  const revokeException = useAppStore((s) => s.revokeException);
  const [formOpen, setFormOpen] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const f = detail.finding;
  if (f.status !== 'open' && f.status !== 'accepted') return null;

  const onRevoke = async (): Promise<void> => {
    setRevoking(true);
    try {
      await revokeException(f.key);
      notifySuccess('Exception revoked', 'The finding is open again.');
    } catch (err) {
      notifyError('Could not revoke the exception', err);
    } finally {
      setRevoking(false);
    }
  };

  // The core records the exception's terms in the finding's history note.
  const terms = detail.history.findLast((e) => e.status === 'accepted')?.note ?? null;

  return (
    <Stack gap="xs" data-testid="exception-section">
      <Title order={4}>Exception</Title>
      {f.status === 'accepted' ? (
        <Alert color="gray" variant="light" icon={<IconShield />} title="Accepted as a known risk" data-testid="exception-active">
          <Stack gap="xs">
            {terms && <Text size="sm">{terms}</Text>}
            <Group>
              <Button size="xs" variant="default" color="red" loading={revoking} onClick={() => void onRevoke()} data-testid="exception-revoke">
                Revoke the exception
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : formOpen ? (
        <AcceptForm findingKey={f.key} onDone={() => setFormOpen(false)} />
      ) : (
        <Group gap="xs">
          <Button variant="default" leftSection={<IconShield size={16} />} onClick={() => setFormOpen(true)} data-testid="exception-open">
            Accept as exception…
          </Button>
          <Text size="xs" c="dimmed">
            For a break-glass or service account: the finding stays listed as accepted until the exception expires.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
