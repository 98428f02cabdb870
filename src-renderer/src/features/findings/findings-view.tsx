import { Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { IconSync, IconWrench } from '../../components/icons';
import { notifyError } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { formatCount, plural } from '../../lib/format';
import { routeHref } from '../../router/hash-route';
import { DEFAULT_FILTERS } from '../../store/findings.slice';
import { useAppStore } from '../../store/store-context';
import { ActionPreviewDialog } from '../actions/action-preview-dialog';
import { BulkFixDialog } from '../actions/bulk-fix-dialog';
import { ExportButtons } from './export-buttons';
import { FindingDetailDrawer } from './finding-detail';
import { FindingsGrid } from './findings-grid';
import { FindingsToolbar } from './findings-toolbar';
import { useFindingsTable } from './use-findings-table';

export function FindingsView() {
  const status = useAppStore((s) => s.findingsStatus);
  const stale = useAppStore((s) => s.findingsStale);
  const error = useAppStore((s) => s.findingsError);
  const total = useAppStore((s) => s.findings.length);
  const loadFindings = useAppStore((s) => s.loadFindings);
  const showFindings = useAppStore((s) => s.showFindings);
  const setSelection = useAppStore((s) => s.setSelection);
  const planBulkFix = useAppStore((s) => s.planBulkFix);
  const [planning, setPlanning] = useState(false);
  const table = useFindingsTable();

  useEffect(() => {
    if (status === 'idle' || stale) void loadFindings();
  }, [status, stale, loadFindings]);

  const rows = table.getRowModel().rows;
  const selectedInView = table.getFilteredSelectedRowModel().rows;

  const onFixSelected = async (): Promise<void> => {
    setPlanning(true);
    try {
      await planBulkFix(selectedInView.map((r) => r.id));
    } catch (err) {
      notifyError('Could not plan the bulk fix', err);
    } finally {
      setPlanning(false);
    }
  };

  return (
    <Stack gap="sm" h="100%" className="dl-findings">
      <PageHeader
        title="Findings"
        description={
          <span data-testid="findings-count" data-shown={rows.length} data-total={total} aria-live="polite">
            Showing {formatCount(rows.length)} of {plural(total, 'finding')}
          </span>
        }
        actions={<ExportButtons verb="Export" keys={() => rows.map((r) => r.id)} testIdPrefix="export" empty={rows.length === 0} />}
      />
      <FindingsToolbar />
      {selectedInView.length > 0 && (
        <Paper withBorder px="sm" py={6} className="dl-selection-bar" data-testid="findings-selection">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {plural(selectedInView.length, 'finding')} selected
            </Text>
            <Group gap="xs">
              <Button size="sm" leftSection={<IconWrench size={16} />} loading={planning} onClick={() => void onFixSelected()} data-testid="bulk-fix">
                Fix selected ({formatCount(selectedInView.length)})
              </Button>
              <ExportButtons verb="Export selected" keys={() => selectedInView.map((r) => r.id)} testIdPrefix="export-selected" empty={false} />
              <Button size="sm" variant="subtle" onClick={() => setSelection({})}>
                Clear selection
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      {status === 'error' && error && <ErrorAlert title="Could not load the findings" error={error} />}
      <div className="dl-grid-frame">
        {status === 'loading' || status === 'idle' ? (
          <Center h="100%">
            <Loader aria-label="Loading findings" />
          </Center>
        ) : total === 0 ? (
          <Center h="100%">
            <Stack align="center" gap="xs">
              <Text fw={500}>No findings yet</Text>
              <Text size="sm" c="dimmed">
                Findings appear after a complete sync of the identity provider and an app.
              </Text>
              <Button component="a" href={routeHref('sync')} leftSection={<IconSync size={16} />} variant="light">
                Go to sync
              </Button>
            </Stack>
          </Center>
        ) : (
          <>
            <FindingsGrid table={table} rows={rows} />
            {rows.length === 0 && (
              <Stack align="center" gap="xs" className="dl-grid-empty">
                <Text fw={500}>No findings match these filters</Text>
                <Button variant="light" size="xs" onClick={() => showFindings(DEFAULT_FILTERS)}>
                  Reset filters
                </Button>
              </Stack>
            )}
          </>
        )}
      </div>
      <Text size="xs" c="dimmed">
        ↑/↓ move · Enter opens · Space selects · Shift+↑/↓ extends · Ctrl/⌘+A selects all · shift-click a header to sort by several columns
      </Text>
      <FindingDetailDrawer />
      <ActionPreviewDialog />
      <BulkFixDialog />
    </Stack>
  );
}
