import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { IconDownload } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { plural } from '../../lib/format';
import { useAppStore } from '../../store/store-context';

/**
 * Saves exactly the given findings (the current view, or the selected rows of it) as CSV or JSON:
 * a native save dialog in the desktop app, a download in the browser.
 */
export function ExportButtons({ keys, verb, testIdPrefix, empty }: { keys: () => string[]; verb: string; testIdPrefix: string; empty: boolean }) {
  const exportFindings = useAppStore((s) => s.exportFindings);
  const [busy, setBusy] = useState<'csv' | 'json' | null>(null);

  const run = async (format: 'csv' | 'json') => {
    const wanted = keys();
    setBusy(format);
    try {
      const outcome = await exportFindings(format, wanted);
      if (outcome.saved) {
        notifySuccess(`Exported ${plural(wanted.length, 'finding')}`, outcome.path ? `Saved to ${outcome.path}` : `The ${format.toUpperCase()} file is downloading.`);
      }
    } catch (err) {
      notifyError('The export failed', err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Group gap="xs">
      {(['csv', 'json'] as const).map((format) => (
        <Button
          key={format}
          size="sm"
          variant="default"
          leftSection={<IconDownload size={16} />}
          loading={busy === format}
          disabled={empty || busy !== null}
          onClick={() => void run(format)}
          data-testid={`${testIdPrefix}-${format}`}
        >
          {verb} {format.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
