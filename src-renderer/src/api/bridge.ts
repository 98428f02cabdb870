import type { ApiResult } from '../../../src-main/contract/api';
import type { ExportFileDto } from '../../../src-main/contract/dto';

/** What saving a file through the shell came to: `saved: false` when the admin cancelled. */
export interface SaveOutcome {
  saved: boolean;
  /** Where the file went, when the shell knows (a native save dialog); null for a browser download. */
  path: string | null;
}

/**
 * What the Electron preload exposes as `window.bridge`: a dumb pipe to the main process.
 * The preload is written against this type (`satisfies Bridge`), so both sides agree.
 */
export interface Bridge {
  invoke(method: string, args: unknown): Promise<ApiResult<unknown>>;
  /** Subscribes to core events; returns the unsubscribe function. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Shows a native save dialog and writes the file. */
  saveFile(file: ExportFileDto): Promise<SaveOutcome>;
}

declare global {
  interface Window {
    /** Present only inside the Electron window. */
    bridge?: Bridge;
  }
}
