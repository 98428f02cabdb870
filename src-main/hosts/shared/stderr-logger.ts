import type { Logger } from '../../core/ports';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** Log lines on stderr at or above `min`. Callers never pass secrets; fields are printed as JSON. */
export function stderrLogger(min: Level): Logger {
  const threshold = LEVELS.indexOf(min);
  const log =
    (level: Level) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS.indexOf(level) < threshold) return;
      process.stderr.write(`[${level}] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
