import { ActionIcon, Badge, Code, Group, Pagination, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntryDto } from '../../../../src-main/contract/actions';
import { IconChevronDown, IconChevronRight } from '../../components/icons';
import { Timestamp } from '../../components/timestamp';
import { formatCount } from '../../lib/format';

/** Rows per page: a page of entries reads at a glance and keeps the DOM small for any log size. */
const PAGE_SIZE = 50;

/** The audit kinds in words; a kind added later still shows, as its code. */
const KIND_LABEL: Record<string, { label: string; color: string }> = {
  'action.planned': { label: 'Action planned', color: 'blue' },
  'action.sent': { label: 'Request sent', color: 'yellow' },
  'action.outcome': { label: 'Outcome', color: 'green' },
  'action.cancelled': { label: 'Action cancelled', color: 'gray' },
  'batch.confirmed': { label: 'Bulk fix confirmed', color: 'indigo' },
  'exception.accepted': { label: 'Exception accepted', color: 'grape' },
  'exception.revoked': { label: 'Exception revoked', color: 'grape' },
  'setting.changed': { label: 'Setting changed', color: 'cyan' },
  'audit.exported': { label: 'Log exported', color: 'gray' },
};

function KindBadge({ kind }: { kind: string }) {
  const known = KIND_LABEL[kind];
  return (
    <Badge variant="light" color={known?.color ?? 'gray'} radius="sm" tt="none" title={kind}>
      {known?.label ?? kind}
    </Badge>
  );
}

function EntryRows({ entry, open, onToggle }: { entry: AuditEntryDto; open: boolean; onToggle(): void }) {
  const detailsId = `audit-details-${entry.seq}`;
  return (
    <>
      <Table.Tr data-testid="audit-row" data-seq={entry.seq} data-kind={entry.kind}>
        <Table.Td>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            onClick={onToggle}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? 'Hide' : 'Show'} the details of entry ${entry.seq}`}
            data-testid="audit-row-toggle"
          >
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td ta="right" ff="monospace">
          {entry.seq}
        </Table.Td>
        <Table.Td>
          {/* Seconds: several entries often fall in one minute (plan, send, outcome). */}
          <Timestamp iso={entry.at} size="sm" withSeconds />
        </Table.Td>
        <Table.Td className="dl-break">{entry.operator}</Table.Td>
        <Table.Td>
          <KindBadge kind={entry.kind} />
        </Table.Td>
        <Table.Td>{entry.app ?? '—'}</Table.Td>
        <Table.Td className="dl-break" ff="monospace" fz="xs">
          {entry.target ?? '—'}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId} data-testid="audit-details">
          <Table.Td />
          <Table.Td colSpan={6}>
            <Stack gap={4}>
              <pre className="dl-pre">{JSON.stringify(entry.details, null, 2)}</pre>
              <Text size="xs" c="dimmed">
                Hash <Code className="dl-break">{entry.hash}</Code>
              </Text>
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** The audit log, newest first, a page at a time, each entry's details behind a disclosure. */
export function AuditTable({ entries }: { entries: AuditEntryDto[] }) {
  const [page, setPage] = useState(1);
  const [openSeqs, setOpenSeqs] = useState<ReadonlySet<number>>(new Set());
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const newestFirst = entries.length - 1 - (current - 1) * PAGE_SIZE;
  const rows: AuditEntryDto[] = [];
  for (let i = newestFirst; i > newestFirst - PAGE_SIZE && i >= 0; i--) {
    const entry = entries[i];
    if (entry) rows.push(entry);
  }

  const toggle = (seq: number): void =>
    setOpenSeqs((old) => {
      const next = new Set(old);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });

  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={820}>
        <Table striped highlightOnHover verticalSpacing={6} data-testid="audit-table" aria-label="Audit log entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <VisuallyHidden>Details</VisuallyHidden>
              </Table.Th>
              <Table.Th w={70} ta="right">
                Seq
              </Table.Th>
              <Table.Th w={150}>Time</Table.Th>
              <Table.Th>Operator</Table.Th>
              <Table.Th w={170}>Kind</Table.Th>
              <Table.Th>App</Table.Th>
              <Table.Th>Target</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => (
              <EntryRows key={entry.seq} entry={entry} open={openSeqs.has(entry.seq)} onToggle={() => toggle(entry.seq)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            Newest first: {formatCount((current - 1) * PAGE_SIZE + 1)}–{formatCount(Math.min(entries.length, current * PAGE_SIZE))} of {formatCount(entries.length)}
          </Text>
          <Pagination
            total={pages}
            value={current}
            onChange={setPage}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(n) => ({ 'aria-label': `Page ${n}` })}
            data-testid="audit-pages"
          />
        </Group>
      )}
    </Stack>
  );
}
