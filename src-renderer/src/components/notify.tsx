import { Code, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';

/** Tells the admin what failed, in the core's words, with the code to search for. */
export function notifyError(title: string, error: unknown): void {
  const info: ErrorInfo = toErrorInfo(error);
  notifications.show({
    color: 'red',
    title,
    autoClose: 12_000,
    'data-testid': 'notification-error',
    message: (
      <>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {info.message}
        </Text>
        <Code>{info.code}</Code>
      </>
    ),
  });
}

export function notifySuccess(title: string, message: string): void {
  notifications.show({ color: 'green', title, message, autoClose: 5_000, 'data-testid': 'notification-success' });
}
