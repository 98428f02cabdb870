import type { SecretStorageDto } from '../contract/dto';

// Platform services the core needs, implemented once per host (Electron, browser-mode server, CLI)
// and wired only in the host entry files.

/** Structured log sink. Implementations must not write secrets; callers never pass them. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Resolves secret references from the config (`{ env: NAME }` or `{ secret: key }`). */
export interface SecretStore {
  /** Returns the secret's value, or undefined when it is not set. */
  get(ref: SecretRef): Promise<string | undefined>;
}

/** A SecretStore the app can also write to: UI-entered secrets go here, never into SQLite. */
export interface SecretVault extends SecretStore {
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  describe(): SecretStorageDto;
}

/** A reference to a secret; the config never holds a secret literally. */
export type SecretRef = { env: string } | { secret: string };

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
