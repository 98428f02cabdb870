import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import type { ApiResult } from '../../contract/api';
import type { SaveFileResult } from '../../contract/bridge';

// Exports leave the app only through the native save dialog: the renderer suggests a name and
// hands over the content, the user picks the path, the main process writes it.

/** The options Driftline passes to `dialog.showSaveDialog`. */
export interface SaveDialogOptions {
  defaultPath: string;
  filters: Array<{ name: string; extensions: string[] }>;
}

export interface SaveFileDeps {
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  /** Folder the dialog opens in (the user's Downloads folder). */
  defaultDir: string;
}

// Exports are text (CSV, JSON); 512 MiB is far above any tenant's findings and bounds memory.
const MAX_CONTENT = 512 * 1024 * 1024;

const saveFileRequest = z.strictObject({
  fileName: z.string().min(1).max(255),
  // Part of the bridge's shape (browser mode builds a Blob with it); the dialog goes by extension.
  mimeType: z.string().max(200),
  content: z.string().max(MAX_CONTENT),
});

/** A suggested name as a bare file name: no folders, no characters Windows or the shell reject. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'driftline-export' : cleaned;
}

export function createSaveFile(deps: SaveFileDeps): (request: unknown) => Promise<ApiResult<SaveFileResult>> {
  return async (request) => {
    const parsed = saveFileRequest.safeParse(request);
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_argument', message: 'Invalid save request: expects { fileName, mimeType, content } strings.' } };
    }
    const fileName = safeFileName(parsed.data.fileName);
    const extension = extname(fileName).slice(1);
    const choice = await deps.showSaveDialog({
      defaultPath: join(deps.defaultDir, fileName),
      filters: extension ? [{ name: extension.toUpperCase(), extensions: [extension] }] : [],
    });
    if (choice.canceled || !choice.filePath) return { ok: true, data: { saved: false, path: null } };
    const path = choice.filePath;
    try {
      await writePrivate(path, parsed.data.content);
    } catch (err) {
      return { ok: false, error: { code: 'internal', message: `Could not write ${path}: ${(err as Error).message}` } };
    }
    return { ok: true, data: { saved: true, path } };
  };
}

/**
 * Exports hold personal data: the file is 0600 whatever the umask. Written to a fresh temporary
 * file and renamed over the target, so replacing an existing (perhaps world-readable) file never
 * exposes the new content under the old mode, and a failed write leaves the old file intact.
 */
async function writePrivate(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
