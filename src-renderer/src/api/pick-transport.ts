import { httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';
import type { Transport } from './transport';

/** The Electron preload's bridge when it is there, else the browser-mode server of this origin. */
export function pickTransport(win: Window): Transport {
  return win.bridge ? ipcTransport(win.bridge) : httpTransport(win);
}
