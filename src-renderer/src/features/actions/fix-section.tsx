import { Alert, Button, Group, Menu, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ActionKind } from '../../../../src-main/contract/actions';
import type { FindingDetailDto } from '../../../../src-main/contract/dto';
import { IconChevronDown, IconWrench } from '../../components/icons';
import { notifyError } from '../../components/notify';
import { duplicateAccounts, fixChoices } from '../../lib/fixes';
import { useAppStore } from '../../store/store-context';

/**
 * The Fix section of the detail panel: the default write as a button, the other allowed writes in
 * a menu (with the reason when one cannot be used), or why no write fixes this finding. Clicking
 * plans the write and opens its preview; nothing is sent from here.
 */
export function FixSection({ detail }: { detail: FindingDetailDto }) {
  const f = detail.finding;
  const connection = useAppStore((s) => s.connections.find((c) => c.name === f.app));
  const planFix = useAppStore((s) => s.planFix);
  const [planning, setPlanning] = useState<ActionKind | null>(null);
  const [targetId, setTargetId] = useState<string | null>(null);

  const { choices, unfixable } = fixChoices(f, connection);
  const accounts = f.type === 'duplicate_account' ? duplicateAccounts(f, detail.details) : [];
  const needsTarget = accounts.length > 0 && targetId === null;
  const [first, ...others] = choices;

  const plan = async (kind: ActionKind): Promise<void> => {
    setPlanning(kind);
    try {
      await planFix(f.key, { kind, ...(targetId ? { targetId } : {}) });
    } catch (err) {
      notifyError('Could not plan the fix', err);
    } finally {
      setPlanning(null);
    }
  };

  return (
    <Stack gap="xs" data-testid="fix-section">
      <Title order={4}>Fix</Title>
      {unfixable !== null || !first ? (
        <Alert color="gray" variant="light" py="xs" data-testid="fix-unavailable">
          <Text size="sm">{unfixable}</Text>
        </Alert>
      ) : (
        <>
          {accounts.length > 0 && (
            <Select
              label="Account to act on"
              description="This person has several live accounts in the app: choose the one to change."
              placeholder="Choose an account"
              data={accounts.map((a) => ({ value: a.id, label: a.label }))}
              value={targetId}
              onChange={setTargetId}
              maw={420}
              data-testid="fix-target"
            />
          )}
          <Group gap="xs">
            <Button
              leftSection={<IconWrench size={16} />}
              loading={planning === first.kind}
              disabled={needsTarget || first.disabledReason !== null || (planning !== null && planning !== first.kind)}
              onClick={() => void plan(first.kind)}
              data-testid="fix-default"
              data-kind={first.kind}
            >
              {first.label}
            </Button>
            {others.length > 0 && (
              <Menu position="bottom-start" withinPortal>
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} />} disabled={needsTarget || planning !== null} data-testid="fix-more">
                    Other fixes
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {others.map((choice) => (
                    <Menu.Item
                      key={choice.kind}
                      disabled={choice.disabledReason !== null}
                      color={choice.kind === 'delete_account' ? 'red' : undefined}
                      onClick={() => void plan(choice.kind)}
                      data-testid={`fix-${choice.kind}`}
                    >
                      <Text size="sm">{choice.label}</Text>
                      {choice.disabledReason && (
                        <Text size="xs" c="dimmed" maw={320}>
                          {choice.disabledReason}
                        </Text>
                      )}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {needsTarget ? 'Choose the account first. ' : ''}Nothing is sent until you have reviewed the exact request and applied it.
          </Text>
        </>
      )}
    </Stack>
  );
}
