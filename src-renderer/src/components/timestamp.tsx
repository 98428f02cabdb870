import { Text, type TextProps } from '@mantine/core';
import { formatRelative, formatTimestamp } from '../lib/format';

/** A time in local `YYYY-MM-DD HH:mm` (or relative), with the exact ISO value on hover. */
export function Timestamp({ iso, relativeTo, ...props }: { iso: string | null; relativeTo?: number } & TextProps) {
  return (
    <Text component="time" dateTime={iso ?? undefined} title={iso ?? undefined} inherit {...props}>
      {relativeTo === undefined ? formatTimestamp(iso) : formatRelative(iso, relativeTo)}
    </Text>
  );
}
