import type { ApiResult } from '../../../src-main/contract/api';
import type { ErrorCode } from '../../../src-main/contract/errors';
import { API_EVENT_NAMES } from '../../../src-main/contract/events';
import type { Transport } from './transport';

function failure(code: ErrorCode, message: string): ApiResult<unknown> {
  return { ok: false, error: { code, message } };
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (value === null || typeof value !== 'object' || !('ok' in value)) return false;
  if (value.ok === true) return 'data' in value;
  return value.ok === false && 'error' in value && value.error !== null && typeof value.error === 'object';
}

/**
 * Browser mode: `POST /api/<method>` on this origin (the HttpOnly session cookie rides along) and
 * one EventSource on `/api/events`. HTTP-level refusals become error values like every other error.
 */
export function httpTransport(win: Window): Transport {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const reconnectListeners = new Set<() => void>();
  let source: EventSource | null = null;

  const openStream = (): void => {
    if (source) return;
    const stream = new EventSource('/api/events');
    source = stream;
    let broken = false;
    stream.addEventListener('error', () => {
      broken = true;
    });
    stream.addEventListener('open', () => {
      if (!broken) return;
      broken = false;
      for (const listener of reconnectListeners) listener();
    });
    for (const name of API_EVENT_NAMES) {
      stream.addEventListener(name, (event: MessageEvent<string>) => {
        let payload: unknown;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        for (const listener of listeners) listener(name, payload);
      });
    }
  };

  return {
    async invoke(method, args) {
      let response: Response;
      try {
        response = await win.fetch(`/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ args }),
          credentials: 'same-origin',
        });
      } catch {
        return failure('network_error', 'Driftline’s local server does not answer. Is `driftline serve` still running?');
      }
      const text = await response.text();
      if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
        try {
          const body: unknown = JSON.parse(text);
          if (isApiResult(body)) return body;
        } catch {
          // Fall through: reported below as a protocol error.
        }
      }
      if (response.status === 401 || response.status === 403) {
        return failure('forbidden', text || 'This browser session is no longer valid. Open the link printed by `driftline serve` again.');
      }
      return failure('internal', `Driftline’s local server answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`);
    },

    onEvent(listener) {
      listeners.add(listener);
      openStream();
      return () => listeners.delete(listener);
    },

    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },

    saveFile(file) {
      const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
      const link = win.document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      link.rel = 'noopener';
      win.document.body.append(link);
      link.click();
      link.remove();
      // The download has taken its copy once click() returns; revoke on the next turn to be safe.
      win.setTimeout(() => URL.revokeObjectURL(url), 0);
      return Promise.resolve({ saved: true, path: null });
    },
  };
}
