import { API_ARGS, isApiMethod, type ApiHandlers, type ApiResult } from '../contract/api';
import { toErrorInfo } from '../core/errors';
import type { Logger } from '../core/ports';

/**
 * The single entry every transport uses: only the API's own method names, arguments validated
 * against the contract's schema, errors returned as values with an admin-facing message. The method
 * name is untrusted too: it arrives as whatever the transport decoded.
 */
export async function dispatch(handlers: ApiHandlers, method: unknown, args: unknown, logger?: Logger): Promise<ApiResult<unknown>> {
  if (typeof method !== 'string' || !isApiMethod(method)) {
    const shown = typeof method === 'string' ? method.slice(0, 100) : `(a ${typeof method})`;
    return { ok: false, error: { code: 'unknown_method', message: `Unknown API method "${shown}".` } };
  }
  const parsed = API_ARGS[method].safeParse(args ?? undefined);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
    return { ok: false, error: { code: 'invalid_argument', message: `Invalid arguments for ${method}: ${issues}` } };
  }
  try {
    const call = handlers[method] as (a: unknown) => Promise<unknown>;
    return { ok: true, data: await call(parsed.data) };
  } catch (err) {
    const error = toErrorInfo(err);
    if (error.code === 'internal') logger?.error('handler failed', { method, message: error.message });
    return { ok: false, error };
  }
}
