import type { BrowserWindowConstructorOptions } from 'electron';
import type { GuardableContents, NavigationEventLike } from '../../src-main/hosts/electron/navigation';
import type { WindowLike } from '../../src-main/hosts/electron/window-factory';

// Stand-ins for the few Electron objects the host's modules touch. Electron itself cannot load
// under plain Node; the modules take these shapes structurally.

type Listener = (event: NavigationEventLike) => void;

/** A webContents that records its listeners and window-open handler, and replays events. */
export class FakeContents implements GuardableContents {
  readonly listeners = new Map<string, Listener[]>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }

  /** Emits `name` with a fake event for `url`; true when a listener called preventDefault(). */
  emit(name: string, url: string): boolean {
    let prevented = false;
    const event: NavigationEventLike = {
      url,
      preventDefault: () => {
        prevented = true;
      },
    };
    for (const listener of this.listeners.get(name) ?? []) listener(event);
    return prevented;
  }
}

/** A BrowserWindow that keeps the options it was built with. */
export class FakeWindow implements WindowLike {
  static readonly made: FakeWindow[] = [];
  readonly webContents = new FakeContents();
  shown = false;
  private readyToShow: (() => void) | null = null;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    FakeWindow.made.push(this);
  }

  once(_event: 'ready-to-show', listener: () => void): this {
    this.readyToShow = listener;
    return this;
  }

  show(): void {
    this.shown = true;
  }

  fireReadyToShow(): void {
    this.readyToShow?.();
  }
}
