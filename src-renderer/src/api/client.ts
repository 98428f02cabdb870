import type { ApiArgs, ApiMethod, ApiResults } from '../../../src-main/contract/api';
import type { SaveFileResult } from '../../../src-main/contract/bridge';
import { isApiEventName, type ApiEventName, type ApiEvents } from '../../../src-main/contract/events';
import type { ExportFileDto } from '../../../src-main/contract/dto';
import type { ErrorCode, ErrorInfo } from '../../../src-main/contract/errors';
import type { Transport } from './transport';

/** A failed API call: the core's error code and its admin-facing message. */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
  }
}

/** Any thrown value as the error shape the UI shows. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** One core event, discriminated by name. */
export type ApiEventMessage = { [E in ApiEventName]: { name: E; payload: ApiEvents[E] } }[ApiEventName];

/** Arguments may be left out exactly where the contract makes them optional. */
type CallArgs<M extends ApiMethod> = undefined extends ApiArgs<M> ? [args?: ApiArgs<M>] : [args: ApiArgs<M>];

/** The typed API the store talks to, whichever shell carries it. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, ...args: CallArgs<M>): Promise<ApiResults[M]>;
  onEvent(listener: (event: ApiEventMessage) => void): () => void;
  onReconnect(listener: () => void): () => void;
  saveFile(file: ExportFileDto): Promise<SaveFileResult>;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(method, ...args) {
      let result;
      try {
        result = await transport.invoke(method, args[0]);
      } catch (err) {
        throw new ApiError({ code: 'internal', message: `The call to ${method} failed: ${err instanceof Error ? err.message : String(err)}` });
      }
      if (!result.ok) throw new ApiError(result.error);
      // The core's handler map is typed by the same contract, so data has the method's result type.
      return result.data as ApiResults[typeof method];
    },
    onEvent(listener) {
      return transport.onEvent((name, payload) => {
        // Events come from our own core, typed by the contract; unknown names are ignored.
        if (isApiEventName(name)) listener({ name, payload } as ApiEventMessage);
      });
    },
    onReconnect: (listener) => transport.onReconnect(listener),
    saveFile: (file) => transport.saveFile(file),
  };
}
