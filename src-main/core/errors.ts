import type { ErrorCode, ErrorInfo } from '../contract/errors';

/**
 * The one error type the core throws on purpose. `message` is written for an admin: what went wrong
 * and what to do about it. It must never contain a secret.
 */
export class DriftlineError extends Error {
  readonly code: ErrorCode;
  /** HTTP status when the error came from a response. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DriftlineError';
    this.code = code;
    this.status = options?.status;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into an admin-facing error value without leaking internals. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof DriftlineError) return err.toInfo();
  if (err instanceof Error && err.name === 'AbortError') {
    return { code: 'cancelled', message: 'The operation was cancelled.' };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Unexpected internal error: ${detail}` };
}

/** The error an ErrorInfo describes, rebuilt on the far side of a thread boundary. */
export function fromErrorInfo(info: ErrorInfo): DriftlineError {
  return new DriftlineError(info.code, info.message);
}

export function isDriftlineError(err: unknown, code?: ErrorCode): err is DriftlineError {
  return err instanceof DriftlineError && (code === undefined || err.code === code);
}
