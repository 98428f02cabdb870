import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { guardNavigation, type GuardableContents } from './navigation';

// The one place windows are made, so every window gets the same locked-down web preferences and
// navigation guards. The constructor is injected: tests pass a fake and read the options.

/**
 * The renderer is an untrusted web page: isolated from the preload's world, sandboxed by the OS,
 * no Node.js anywhere (not in workers, not in subframes), same-origin policy on, no <webview>.
 * Options that weaken this (allowRunningInsecureContent, experimentalFeatures,
 * enableBlinkFeatures) are never set.
 */
export function hardenedWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    // Dropping a file on the window must not navigate it to file://.
    navigateOnDragDrop: false,
    // A page that loops on alert() must not be able to lock the window.
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

/** The parts of a BrowserWindow the factory touches. */
export interface WindowLike {
  readonly webContents: GuardableContents;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export interface WindowOptions {
  /** Absolute path of the built preload (CommonJS). */
  preload: string;
  /** Developer tools: on for development builds only. */
  devTools: boolean;
  /** Opens an allowlisted https link in the system browser. */
  openExternal(url: string): void;
}

export function createHardenedWindow<W extends WindowLike>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, options: WindowOptions): W {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: 'Driftline',
    // Shown once the first paint is ready, so the user never sees an empty white frame.
    show: false,
    webPreferences: hardenedWebPreferences(options.preload, options.devTools),
  });
  guardNavigation(window.webContents, options.openExternal);
  window.once('ready-to-show', () => window.show());
  return window;
}
