import { Badge, Center, Code, CopyButton, Drawer, Group, Loader, SimpleGrid, Stack, Text, Timeline, Title, Tooltip, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';
import type { FindingDetailDto } from '../../../../src-main/contract/dto';
import { SeverityBadge, StatusBadge, TypeBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/error-alert';
import { IconNotEqual } from '../../components/icons';
import { Timestamp } from '../../components/timestamp';
import { capitalize } from '../../lib/labels';
import { useAppStore } from '../../store/store-context';
import { ActionHistoryList } from '../actions/action-history';
import { FixSection } from '../actions/fix-section';
import { ExceptionSection } from '../exceptions/exception-section';
import { SideBySide } from './side-by-side';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" className="dl-break">
        {children}
      </Text>
    </Stack>
  );
}

/** Raw JSON behind a native disclosure: collapsed by default, keyboard-operable, no script needed. */
function RawJson({ summary, value, testId }: { summary: string; value: unknown; testId: string }) {
  return (
    <details className="dl-raw" data-testid={testId}>
      <summary>{summary}</summary>
      <pre className="dl-pre">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

function DetailBody({ detail, idpName }: { detail: FindingDetailDto; idpName: string }) {
  const f = detail.finding;
  const hasDetails = Object.keys(detail.details).length > 0;
  return (
    <Stack gap="lg" data-testid="finding-detail" data-key={f.key} data-status={f.status}>
      <Stack gap="xs">
        <Group gap="xs">
          <SeverityBadge severity={f.severity} />
          <TypeBadge type={f.type} />
          <StatusBadge status={f.status} />
          <CopyButton value={f.key}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy the finding key'}>
                <UnstyledButton onClick={copy} aria-label={`Copy the finding key ${f.key}`}>
                  <Code>{f.key}</Code>
                </UnstyledButton>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Text size="md" fw={500} data-testid="detail-message">
          {f.message}
        </Text>
      </Stack>

      {/* Keyed by finding: a choice made for one finding never carries over to the next. */}
      <FixSection key={f.key} detail={detail} />

      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="sm">
        <Fact label="App">{f.app}</Fact>
        <Fact label="User">{f.userName ?? '—'}</Fact>
        <Fact label="Group">{f.group ?? '—'}</Fact>
        <Fact label="Attribute">{f.attribute ? <Code>{f.attribute}</Code> : '—'}</Fact>
        <Fact label="Matched by" testId="detail-match-rule">
          {f.matchRule ? <Code>{f.matchRule}</Code> : <Text span size="sm" c="dimmed">no correlation rule matched</Text>}
        </Fact>
        <Fact label="First seen">
          <Timestamp iso={f.firstSeen} />
        </Fact>
        <Fact label="Last seen">
          <Timestamp iso={f.lastSeen} />
        </Fact>
        {f.resolvedAt && (
          <Fact label="Resolved">
            <Timestamp iso={f.resolvedAt} />
          </Fact>
        )}
      </SimpleGrid>

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>IdP record vs app record</Title>
          {detail.differing.length > 0 && (
            <Badge color="red" variant="light" leftSection={<IconNotEqual size={12} />} tt="none">
              {detail.differing.length} differing
            </Badge>
          )}
        </Group>
        {detail.idp === null && detail.app === null ? (
          <Text size="sm" c="dimmed">
            This finding is about a group or membership; there is no user record to compare.
          </Text>
        ) : (
          <SideBySide
            idp={detail.idp}
            app={detail.app}
            differing={detail.differing}
            idpName={idpName}
            appName={f.app}
            focusAttribute={f.attribute}
          />
        )}
        <Group grow align="flex-start">
          {detail.idp && <RawJson summary={`Raw JSON from ${idpName}`} value={detail.idp.raw} testId="detail-raw-idp" />}
          {detail.app && <RawJson summary={`Raw JSON from ${f.app}`} value={detail.app.raw} testId="detail-raw-app" />}
        </Group>
        {hasDetails && <RawJson summary="Analysis details" value={detail.details} testId="detail-analysis" />}
      </Stack>

      <ExceptionSection key={f.key} detail={detail} />
      <ActionHistoryList findingKey={f.key} />

      <Stack gap="xs">
        <Title order={4}>History</Title>
        <Timeline bulletSize={14} lineWidth={2} active={detail.history.length - 1} data-testid="detail-history">
          {detail.history.map((event, i) => (
            <Timeline.Item key={`${event.at}-${i}`} title={capitalize(event.status)}>
              <Text size="xs" c="dimmed">
                <Timestamp iso={event.at} />
              </Text>
              {event.note && <Text size="sm">{event.note}</Text>}
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Stack>
  );
}

/** The detail panel of one finding, from `findings.get`. */
export function FindingDetailDrawer() {
  const detail = useAppStore((s) => s.detail);
  const closeDetail = useAppStore((s) => s.closeDetail);
  const idpName = useAppStore((s) => s.connections.find((c) => c.role === 'idp')?.name ?? 'IdP');

  return (
    <Drawer
      opened={detail !== null}
      onClose={closeDetail}
      position="right"
      size="min(880px, 92vw)"
      title={<Text fw={600}>Finding</Text>}
      closeButtonProps={{ 'aria-label': 'Close the finding' }}
    >
      {detail?.status === 'loading' && (
        <Center h={200}>
          <Loader aria-label="Loading the finding" />
        </Center>
      )}
      {detail?.status === 'error' && detail.error && <ErrorAlert title="Could not load this finding" error={detail.error} />}
      {detail?.status === 'ready' && detail.data && <DetailBody detail={detail.data} idpName={idpName} />}
    </Drawer>
  );
}
