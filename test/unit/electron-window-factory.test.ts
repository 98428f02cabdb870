import { describe, expect, it } from 'vitest';
import { createHardenedWindow, hardenedWebPreferences } from '../../src-main/hosts/electron/window-factory';
import { FakeWindow } from '../helpers/electron-fakes';

function makeWindow(devTools = false): { window: FakeWindow; opened: string[] } {
  const opened: string[] = [];
  const window = createHardenedWindow(FakeWindow, { preload: '/app/out/preload/index.js', devTools, openExternal: (url) => opened.push(url) });
  return { window, opened };
}

describe('hardened window factory', () => {
  it('builds the window through the injected constructor with locked-down web preferences', () => {
    const { window } = makeWindow();
    expect(FakeWindow.made.at(-1)).toBe(window);
    const prefs = window.options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });

  it('never sets the options that weaken the renderer', () => {
    const prefs = makeWindow().window.options.webPreferences;
    expect(prefs).not.toHaveProperty('allowRunningInsecureContent');
    expect(prefs).not.toHaveProperty('experimentalFeatures');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('disableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('sets exactly the reviewed web preferences, so a new one needs a new review', () => {
    expect(Object.keys(hardenedWebPreferences('/p', true)).sort()).toEqual(
      [
        'contextIsolation',
        'devTools',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'safeDialogs',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });

  it('turns developer tools on only when asked (development builds)', () => {
    expect(makeWindow(true).window.options.webPreferences?.devTools).toBe(true);
    expect(makeWindow(false).window.options.webPreferences?.devTools).toBe(false);
  });

  it('creates the window hidden and shows it once the first paint is ready', () => {
    const { window } = makeWindow();
    expect(window.options.show).toBe(false);
    expect(window.shown).toBe(false);
    window.fireReadyToShow();
    expect(window.shown).toBe(true);
  });

  it('installs the navigation, redirect, webview and window-open guards on every window it makes', () => {
    const { window, opened } = makeWindow();
    const contents = window.webContents;
    expect(contents.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emit('will-attach-webview', 'app://driftline/')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });
});
