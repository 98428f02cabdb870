import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { createCore, type Core } from '../../core/core';
import { defaultDataDir } from '../../core/data-dir';
import { toErrorInfo } from '../../core/errors';
import { currentOperator } from '../../core/operator';
import { rendererDir } from '../shared/renderer-dir';
import { stderrLogger } from '../shared/stderr-logger';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './app-protocol';
import { forwardEvents, registerIpc } from './ipc';
import { locateNativeBinding } from './native-binding';
import { denyAllPermissions } from './permissions';
import { safeStorageVault } from './safe-storage-vault';
import { createSaveFile } from './save-file';
import { createHardenedWindow } from './window-factory';

// The Electron entry: wires the core to one hardened window. Everything with a decision in it
// lives in the small modules next to this file, where it is unit-tested without Electron.

const logger = stderrLogger(app.isPackaged ? 'warn' : 'info');

// Privileged schemes must be declared before `ready`; declared later, app:// silently loses them.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// Chromium's profile, and with it the single-instance lock, lives in the data folder: one Driftline
// per database, and DRIFTLINE_DATA isolates a test run completely. Set before `ready`.
const dataDir = defaultDataDir();
app.setPath('userData', join(dataDir, 'electron'));

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

/** Tells the user why Driftline cannot run, then exits (closing the database if it was opened). */
function fail(title: string, message: string): void {
  logger.error(title, { message });
  dialog.showErrorBox(title, message);
  const stopping = core;
  core = null;
  void (stopping?.stop() ?? Promise.resolve()).finally(() => app.exit(1));
}

async function start(): Promise<void> {
  const binding = locateNativeBinding(app.getAppPath(), process.versions.electron);
  if (!binding.ok) {
    fail('Driftline cannot open its database', binding.message);
    return;
  }

  denyAllPermissions(session.defaultSession);
  app.on('session-created', denyAllPermissions);
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir()));

  core = createCore({
    dataDir,
    secrets: safeStorageVault(dataDir, safeStorage),
    logger,
    database: { nativeBinding: binding.path },
    operator: currentOperator(),
  });

  const win = createHardenedWindow(BrowserWindow, {
    preload: join(__dirname, '..', 'preload', 'index.js'),
    devTools: !app.isPackaged,
    openExternal: (url) => {
      shell.openExternal(url).catch((err: unknown) => logger.warn('could not open a link in the browser', { message: toErrorInfo(err).message }));
    },
  });
  mainWindow = win;
  const unregister = registerIpc(ipcMain, {
    handlers: core.handlers,
    logger,
    saveFile: createSaveFile({ showSaveDialog: (options) => dialog.showSaveDialog(win, options), defaultDir: app.getPath('downloads') }),
  });
  const unsubscribe = forwardEvents(core.events, win.webContents);
  win.on('closed', () => {
    unsubscribe();
    unregister();
    mainWindow = null;
  });
  await win.loadURL(APP_ENTRY_URL);
}

// One Driftline per data folder: a second launch focuses the first window (two processes writing
// one database and one secrets file would race).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // One window is the whole app, on every platform: closing it quits.
  app.on('window-all-closed', () => app.quit());

  // Quit waits for the core to stop: syncs cancelled and rolled back, the demo tenant closed, the
  // database closed cleanly.
  app.on('will-quit', (event) => {
    if (core === null) return;
    event.preventDefault();
    const stopping = core;
    core = null;
    stopping
      .stop()
      .catch((err: unknown) => logger.error('core did not stop cleanly', { message: toErrorInfo(err).message }))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail('Driftline cannot start', toErrorInfo(err).message));
}
