import type { ApiResult } from './api';
import type { ExportFileDto } from './dto';
import type { ApiEventName } from './events';

// The one surface the Electron window gets (window.bridge): the preload implements it, the main
// process answers its channels, the renderer's transport calls it.

/** A file the UI asks to save through the native dialog (an export); `fileName` is a suggestion. */
export type SaveFileRequest = ExportFileDto;

/** What happened to a save request: `saved: false` when the user cancelled the dialog. */
export interface SaveFileResult {
  saved: boolean;
  path: string | null;
}

/** `window.bridge` in the Electron window: exactly these three functions, nothing else. */
export interface Bridge {
  invoke(method: string, args?: unknown): Promise<ApiResult<unknown>>;
  /** Subscribes to core events; returns the unsubscribe function. */
  onEvent(listener: (name: ApiEventName, payload: unknown) => void): () => void;
  /** Rejects with the admin-facing message when the file cannot be written. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
}

/** The IPC channels behind the bridge: two invoke channels and one event channel, nothing else. */
export const BRIDGE_CHANNELS = {
  invoke: 'driftline:invoke',
  saveFile: 'driftline:save-file',
  event: 'driftline:event',
} as const;
