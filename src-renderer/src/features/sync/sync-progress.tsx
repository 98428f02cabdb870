import { Badge, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import type { SyncPhaseDto } from '../../../../src-main/contract/dto';
import { IconCheck } from '../../components/icons';
import { formatCount, formatDuration } from '../../lib/format';
import { capitalize } from '../../lib/labels';
import { isRunning, type SyncCard } from '../../store/sync.slice';

const PHASES: readonly SyncPhaseDto[] = ['discovery', 'users', 'groups', 'members', 'commit'];

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <Stack gap={0} title={hint}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** Live progress of one sync (and, once it ended, what it came to). */
export function SyncProgress({ card, now }: { card: SyncCard; now: number }) {
  const p = card.progress;
  const live = isRunning(card);
  const phaseIndex = p ? PHASES.indexOf(p.phase) : -1;
  const elapsed = live ? Math.max(card.elapsedMs, now - card.startedAt) : card.elapsedMs;
  const percent = !live ? 100 : p?.total ? Math.min(100, (p.resources / p.total) * 100) : 100;
  const color = card.state === 'failed' ? 'red' : card.state === 'cancelled' ? 'gray' : card.state === 'complete' ? 'green' : 'blue';

  return (
    <Stack
      gap="xs"
      data-testid={`sync-progress-${card.connection}`}
      data-state={card.state}
      data-phase={p?.phase ?? 'starting'}
      data-run-id={card.runId ?? undefined}
    >
      <div className="dl-phases" aria-label="Phases">
        {PHASES.map((phase, i) => {
          const done = card.state === 'complete' || i < phaseIndex;
          const current = live && i === phaseIndex;
          const failedHere = !live && card.state !== 'complete' && i === phaseIndex;
          return (
            <Badge
              key={phase}
              size="sm"
              radius="sm"
              tt="none"
              variant={done ? 'light' : current || failedHere ? 'filled' : 'outline'}
              color={failedHere ? color : done ? 'green' : current ? 'blue' : 'gray'}
              leftSection={done ? <IconCheck size={10} /> : undefined}
              aria-current={current ? 'step' : undefined}
            >
              {capitalize(phase)}
            </Badge>
          );
        })}
      </div>
      <Progress
        value={percent}
        color={color}
        striped={live && !p?.total}
        animated={live}
        size="lg"
        aria-label={`Sync of ${card.connection}`}
        aria-valuetext={live ? (p?.total ? `${Math.round(percent)}% of ${p.phase}` : `${p?.phase ?? 'starting'}, total unknown`) : card.state}
      />
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        {live ? (
          <>
            <Stat label="Phase" value={card.state === 'starting' ? 'Starting' : p ? capitalize(p.phase) : '—'} testId={`sync-phase-${card.connection}`} />
            <Stat label="Pages" value={p ? formatCount(p.pages) : '—'} testId={`sync-pages-${card.connection}`} />
            <Stat
              label="Resources"
              value={p ? `${formatCount(p.resources)}${p.total !== null ? ` / ${formatCount(p.total)}` : ''}` : '—'}
              testId={`sync-resources-${card.connection}`}
            />
          </>
        ) : (
          // Pages and resources count per phase: after the end they would describe only the last one.
          <Stat label="Outcome" value={capitalize(card.state)} testId={`sync-outcome-${card.connection}`} />
        )}
        <Stat
          label="Rate-limit waits"
          value={p && p.waits > 0 ? `${p.waits} (${formatDuration(p.waitMs)})` : 'none'}
          hint="Waits for a rate limit or before a retry, and the time spent waiting"
          testId={`sync-waits-${card.connection}`}
        />
        <Stat label="Elapsed" value={formatDuration(elapsed)} testId={`sync-elapsed-${card.connection}`} />
      </SimpleGrid>
      {p?.message && live && (
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            {p.message}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
