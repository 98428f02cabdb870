import { Alert, Code, List, Stack, Text } from '@mantine/core';
import type { AuditVerificationDto } from '../../../../src-main/contract/actions';
import { IconAlert, IconShield } from '../../components/icons';
import { formatCount } from '../../lib/format';

/** What "Verify chain" found: intact (how many entries, the head hash) or the first broken entry and why. */
export function VerifyResult({ result }: { result: AuditVerificationDto }) {
  const broken = result.firstBroken;
  return (
    <Alert
      color={result.ok ? 'green' : 'red'}
      variant="light"
      icon={result.ok ? <IconShield /> : <IconAlert />}
      title={result.ok ? 'The chain is intact' : `The chain is broken at entry #${broken?.seq ?? '?'}`}
      data-testid="audit-verify-result"
      data-ok={result.ok}
      data-entries={result.entries}
      data-broken-seq={broken?.seq}
    >
      <Stack gap={6}>
        {result.ok ? (
          <Text size="sm">
            {result.entries === 0 ? (
              'The log is empty.'
            ) : (
              <>
                {formatCount(result.entries)} {result.entries === 1 ? 'entry' : 'entries'} checked, each linked to the one before by its hash. Head hash{' '}
                <Code className="dl-break" data-testid="audit-head-hash">
                  {result.headHash}
                </Code>
              </>
            )}
          </Text>
        ) : (
          <>
            <Text size="sm" data-testid="audit-broken-reason">
              Entry #{broken?.seq}: {broken?.reason}
            </Text>
            <Text size="sm">
              The {formatCount(Math.max(0, (broken?.seq ?? 1) - 1))} entries before it check out; it and everything after it cannot be trusted. Keep a copy of
              the database and the exported log for investigation.
            </Text>
          </>
        )}
        {result.notes.length > 0 && (
          <List size="sm">
            {result.notes.map((note) => (
              <List.Item key={note}>{note}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}
