import type { SyncProgress } from '../../core/sync/sync-connection';

export interface ProgressRenderer {
  update(p: SyncProgress): void;
  done(): void;
}

function describe(p: SyncProgress): string {
  const count = p.total !== null ? `${p.resources}/${p.total}` : String(p.resources);
  const pages = p.pages > 0 ? `, ${p.pages} pages` : '';
  const waits = p.waits > 0 ? `, waited ${(p.waitMs / 1000).toFixed(1)} s for rate limits` : '';
  const msg = p.message ? ` — ${p.message}` : '';
  return `${p.connection}: ${p.phase} ${count}${pages}${waits} (${(p.elapsedMs / 1000).toFixed(1)} s)${msg}`;
}

function bar(p: SyncProgress, width = 20): string {
  if (p.total === null || p.total === 0) return ' '.repeat(width);
  const filled = Math.min(width, Math.round((p.resources / p.total) * width));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** A live multi-line display on a terminal: one line per connection, redrawn at most 10 times a second. */
function ttyRenderer(out: NodeJS.WriteStream): ProgressRenderer {
  const lines = new Map<string, SyncProgress>();
  let drawn = 0;
  let last = 0;
  const draw = (): void => {
    if (drawn > 0) out.write(`\x1b[${drawn}A`);
    for (const p of lines.values()) out.write(`\x1b[2K${bar(p)} ${describe(p)}\n`);
    drawn = lines.size;
  };
  return {
    update(p) {
      const isNew = !lines.has(p.connection);
      lines.set(p.connection, p);
      const now = Date.now();
      if (isNew || now - last > 100) {
        last = now;
        draw();
      }
    },
    done: draw,
  };
}

/** Plain lines for logs and pipes: one when a connection changes phase, then at most every 5 s. */
function lineRenderer(out: NodeJS.WritableStream): ProgressRenderer {
  const state = new Map<string, { phase: string; at: number }>();
  return {
    update(p) {
      const prev = state.get(p.connection);
      const now = Date.now();
      if (prev && prev.phase === p.phase && now - prev.at < 5000) return;
      state.set(p.connection, { phase: p.phase, at: now });
      out.write(`${describe(p)}\n`);
    },
    done: () => undefined,
  };
}

export function progressRenderer(out: NodeJS.WriteStream): ProgressRenderer {
  return out.isTTY ? ttyRenderer(out) : lineRenderer(out);
}
