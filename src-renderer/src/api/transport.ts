import type { ApiMethod, ApiResult } from '../../../src-main/contract/api';
import type { ExportFileDto } from '../../../src-main/contract/dto';
import type { SaveFileResult } from '../../../src-main/contract/bridge';

/** How the API reaches the core. One implementation per shell, chosen once at start (pick-transport.ts). */
export interface Transport {
  invoke(method: ApiMethod, args: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Fires when the event stream came back after a break: events may have been missed. */
  onReconnect(listener: () => void): () => void;
  saveFile(file: ExportFileDto): Promise<SaveFileResult>;
}
