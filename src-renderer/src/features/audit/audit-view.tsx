import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { IconDownload, IconShield } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { formatCount } from '../../lib/format';
import { useAppStore } from '../../store/store-context';
import { AuditTable } from './audit-table';
import { VerifyResult } from './verify-result';

/** The tamper-evident audit log: every write to an app and every admin decision, hash-chained. */
export function AuditView() {
  const entries = useAppStore((s) => s.auditEntries);
  const status = useAppStore((s) => s.auditStatus);
  const error = useAppStore((s) => s.auditError);
  const verification = useAppStore((s) => s.auditVerification);
  const loadAudit = useAppStore((s) => s.loadAudit);
  const verifyAudit = useAppStore((s) => s.verifyAudit);
  const exportAudit = useAppStore((s) => s.exportAudit);
  const [busy, setBusy] = useState<'verify' | 'export' | null>(null);

  // No event announces new entries: read what was appended since the last visit.
  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  const onVerify = async (): Promise<void> => {
    setBusy('verify');
    try {
      await verifyAudit();
    } catch (err) {
      notifyError('Could not verify the audit log', err);
    } finally {
      setBusy(null);
    }
  };

  const onExport = async (): Promise<void> => {
    setBusy('export');
    try {
      const saved = await exportAudit();
      if (saved.saved) notifySuccess('Audit log exported', saved.path ? `Saved to ${saved.path}` : 'The JSON file is downloading.');
    } catch (err) {
      notifyError('The export failed', err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="md" data-testid="audit-view">
      <PageHeader
        title="Audit log"
        description={
          <span data-testid="audit-count" data-count={entries.length}>
            {formatCount(entries.length)} {entries.length === 1 ? 'entry' : 'entries'}. Each is hashed with the one before it, so editing, removing or reordering any entry breaks the chain.
          </span>
        }
        actions={
          <>
            <Button variant="default" leftSection={<IconDownload size={16} />} loading={busy === 'export'} disabled={busy !== null} onClick={() => void onExport()} data-testid="audit-export">
              Export
            </Button>
            <Button leftSection={<IconShield size={16} />} loading={busy === 'verify'} disabled={busy !== null} onClick={() => void onVerify()} data-testid="audit-verify">
              Verify chain
            </Button>
          </>
        }
      />
      {verification && <VerifyResult result={verification} />}
      {status === 'error' && error && <ErrorAlert title="Could not read the audit log" error={error} />}
      {status === 'loading' || status === 'idle' ? (
        <Center h={200}>
          <Loader aria-label="Loading the audit log" />
        </Center>
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing recorded yet. Fixes, exceptions and connection changes appear here.
        </Text>
      ) : (
        <AuditTable entries={entries} />
      )}
    </Stack>
  );
}
