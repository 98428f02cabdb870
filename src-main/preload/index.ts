import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiResult } from '../contract/api';
import type { ApiEventName } from '../contract/events';
import { BRIDGE_CHANNELS, type Bridge, type SaveFileResult } from '../contract/bridge';

// A dumb pipe from the isolated renderer to the main process: three narrow functions on fixed
// channels. ipcRenderer itself never crosses the context bridge, so the page cannot pick a channel.
// Sandboxed preloads run as CommonJS with only `electron` available; this file is bundled alone.

const bridge = {
  invoke: (method, args) => ipcRenderer.invoke(BRIDGE_CHANNELS.invoke, method, args),

  onEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, name: ApiEventName, payload: unknown): void => listener(name, payload);
    ipcRenderer.on(BRIDGE_CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(BRIDGE_CHANNELS.event, forward);
    };
  },

  saveFile: async (request) => {
    // Errors cross IPC as values; the renderer's promise rejects with the admin-facing message.
    const result: ApiResult<SaveFileResult> = await ipcRenderer.invoke(BRIDGE_CHANNELS.saveFile, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  },
} satisfies Bridge;

contextBridge.exposeInMainWorld('bridge', bridge);
