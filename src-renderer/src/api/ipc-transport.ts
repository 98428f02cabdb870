import type { Bridge } from '../../../src-main/contract/bridge';
import type { Transport } from './transport';

/** Electron: every call and event goes through the preload's bridge. */
export function ipcTransport(bridge: Bridge): Transport {
  return {
    invoke: (method, args) => bridge.invoke(method, args),
    onEvent: (listener) => bridge.onEvent(listener),
    // IPC has no connection that could drop, so there is nothing to catch up on.
    onReconnect: () => () => undefined,
    saveFile: (file) => bridge.saveFile(file),
  };
}
