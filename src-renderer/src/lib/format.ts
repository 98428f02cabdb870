// Times and durations as an admin reads them. Timestamps are shown in local time, with the exact
// ISO value in a title attribute wherever they appear.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-12-01 14:05` (or `14:05:09` with seconds), local time: compact, unambiguous, and sorts as it reads. */
export function formatTimestamp(iso: string | null, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${withSeconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatRelative(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** `0.4 s`, `12 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** `1 finding`, `3 findings`. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** How long a finished run took; null while it runs. */
export function runDuration(run: { startedAt: string; finishedAt: string | null }): string | null {
  if (!run.finishedAt) return null;
  return formatDuration(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime());
}
