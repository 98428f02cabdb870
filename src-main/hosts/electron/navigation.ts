import { isAppUrl } from './app-protocol';

// A window shows the app and nothing else: it never navigates away from app://driftline, never
// opens another window, never embeds a <webview>. Links to the few allowlisted https hosts open
// in the system browser instead.

/** Hosts the UI may link to (opened in the system browser). Anything else stays closed. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['datatracker.ietf.org', 'www.rfc-editor.org'];

/** The part of an Electron navigation event the guard uses. */
export interface NavigationEventLike {
  readonly url: string;
  preventDefault(): void;
}

/** The part of `webContents` the guard hooks into (structural, so tests need no Electron). */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * The URL to hand to `shell.openExternal`, or null: an https URL, default port, no userinfo, whose
 * parsed hostname is exactly one of `hosts`. Parsed with `new URL()`, never prefix-matched, so
 * `https://ok.example.com.evil.com` and `https://ok.example.com@evil.com` are refused. The
 * normalized form is returned, so the browser opens exactly what was checked.
 */
export function allowedExternalUrl(raw: string, hosts: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const allowed = url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && hosts.includes(url.hostname);
  return allowed ? url.href : null;
}

/** Cancels a navigation or redirect unless it stays inside the app's own origin. */
export function preventForeignNavigation(event: NavigationEventLike): void {
  if (!isAppUrl(event.url)) event.preventDefault();
}

/** Installs every navigation guard on one window's contents. */
export function guardNavigation(contents: GuardableContents, openExternal: (url: string) => void, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): void {
  contents.on('will-navigate', preventForeignNavigation);
  contents.on('will-redirect', preventForeignNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = allowedExternalUrl(url, hosts);
    if (external !== null) openExternal(external);
    return { action: 'deny' };
  });
}
