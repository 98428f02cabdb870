import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { BatchProgressDto } from '../../../../src-main/contract/actions';
import { IconStop } from '../../components/icons';
import { formatCount } from '../../lib/format';

/** Live progress of a bulk fix from `actions.progress`: done of total, confirmed and failed, and Cancel while it runs. */
export function BulkProgress({
  progress,
  cancelling,
  onCancel,
}: {
  progress: BatchProgressDto;
  cancelling: boolean;
  onCancel(): void;
}) {
  const { total, done, confirmed, failed, running } = progress;
  const share = (n: number): number => (total === 0 ? 0 : (n / total) * 100);
  return (
    <Stack
      gap={6}
      data-testid="bulk-progress"
      data-total={total}
      data-done={done}
      data-confirmed={confirmed}
      data-failed={failed}
      data-running={running}
      aria-live="polite"
    >
      <Progress.Root size="lg" aria-label="Bulk fix progress">
        <Progress.Section value={share(confirmed)} color="green" animated={running} />
        <Progress.Section value={share(failed)} color="red" />
      </Progress.Root>
      <Group justify="space-between">
        <Text size="sm">
          {running ? 'Applying: ' : 'Finished: '}
          <strong>
            {formatCount(done)} of {formatCount(total)}
          </strong>{' '}
          done · {formatCount(confirmed)} confirmed · {formatCount(failed)} failed or not applied
        </Text>
        {running && (
          <Button size="xs" color="red" variant="light" leftSection={<IconStop size={14} />} loading={cancelling} onClick={onCancel} data-testid="bulk-cancel">
            Cancel
          </Button>
        )}
      </Group>
      {running && (
        <Text size="xs" c="dimmed">
          Cancel stops the items not yet sent; a write already on its way is finished and verified.
        </Text>
      )}
    </Stack>
  );
}
