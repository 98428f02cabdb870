import type { ApiMethod, ApiResult } from '../../../src-main/contract/api';
import type { ExportFileDto } from '../../../src-main/contract/dto';
import type { SaveOutcome } from './bridge';
import { httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';

/** How the API reaches the core. One implementation per shell, chosen once at start. */
export interface Transport {
  invoke(method: ApiMethod, args: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Fires when the event stream came back after a break: events may have been missed. */
  onReconnect(listener: () => void): () => void;
  saveFile(file: ExportFileDto): Promise<SaveOutcome>;
}

/** The Electron preload's bridge when it is there, else the browser-mode server of this origin. */
export function pickTransport(win: Window): Transport {
  return win.bridge ? ipcTransport(win.bridge) : httpTransport(win);
}
