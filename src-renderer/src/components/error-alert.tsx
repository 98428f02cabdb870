import { Alert, Code, Text } from '@mantine/core';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { IconAlert } from './icons';

/** An error in the core's words, with its code, inline where it happened. */
export function ErrorAlert({ title, error, testId, color = 'red' }: { title: string; error: ErrorInfo; testId?: string; color?: 'red' | 'gray' }) {
  return (
    <Alert color={color} variant="light" title={title} icon={<IconAlert />} data-testid={testId}>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {error.message}
      </Text>
      <Code mt={6}>{error.code}</Code>
    </Alert>
  );
}
