import { Text, type TextProps } from '@mantine/core';
import { formatRelative, formatTimestamp } from '../lib/format';

/** A time in local `YYYY-MM-DD HH:mm[:ss]` (or relative), with the exact ISO value on hover. */
export function Timestamp({ iso, relativeTo, withSeconds, ...props }: { iso: string | null; relativeTo?: number; withSeconds?: boolean } & TextProps) {
  return (
    <Text component="time" dateTime={iso ?? undefined} title={iso ?? undefined} inherit {...props}>
      {relativeTo === undefined ? formatTimestamp(iso, withSeconds) : formatRelative(iso, relativeTo)}
    </Text>
  );
}
