import type { ApiHandlers, ApiResult } from '../../contract/api';
import type { ApiEventName } from '../../contract/events';
import type { EventHub } from '../../core/events';
import type { Logger } from '../../core/ports';
import { BRIDGE_CHANNELS, type SaveFileResult } from '../../contract/bridge';
import { dispatch } from '../../transport/dispatch';
import { isAppUrl } from './app-protocol';

// The main-process side of window.bridge: one invoke channel for the whole API, one for the save
// dialog, one event channel out. Registered on a structural IpcMainLike so tests need no Electron.

/** The parts of a WebFrameMain the sender check reads. Reading a disposed frame may throw. */
export interface FrameLike {
  readonly url: string;
  readonly detached: boolean;
}

/** The parts of an IpcMainInvokeEvent the sender check reads. */
export interface IpcEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly mainFrame: FrameLike };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Where events go: the window's webContents. */
export interface EventSink {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface IpcDeps {
  handlers: ApiHandlers;
  logger: Logger;
  saveFile(request: unknown): Promise<ApiResult<SaveFileResult>>;
}

/**
 * Only the app's own top frame may call: the frame exists and is still attached (a frame running
 * unload handlers can be swapped for its successor, electron#43473), it is the window's main
 * frame (no iframe), and its URL is on the app:// origin.
 */
export function senderAllowed(event: IpcEventLike): boolean {
  try {
    const frame = event.senderFrame;
    if (frame === null || frame.detached) return false;
    if (frame !== event.sender.mainFrame) return false;
    return isAppUrl(frame.url);
  } catch {
    // A frame disposed mid-call throws on access: treat it as a stranger.
    return false;
  }
}

function forbidden(): ApiResult<never> {
  return { ok: false, error: { code: 'forbidden', message: 'Refused: this call did not come from the Driftline window.' } };
}

/** Registers the bridge's two invoke channels; returns the function that removes them. */
export function registerIpc(ipc: IpcMainLike, deps: IpcDeps): () => void {
  const guarded =
    (channel: string, run: (args: unknown[]) => Promise<ApiResult<unknown>>) =>
    (event: IpcEventLike, ...args: unknown[]): Promise<ApiResult<unknown>> => {
      if (!senderAllowed(event)) {
        deps.logger.warn('refused an IPC call from outside the app window', { channel });
        return Promise.resolve(forbidden());
      }
      return run(args);
    };

  ipc.handle(
    BRIDGE_CHANNELS.invoke,
    guarded(BRIDGE_CHANNELS.invoke, ([method, args]) => dispatch(deps.handlers, method, args, deps.logger)),
  );
  ipc.handle(
    BRIDGE_CHANNELS.saveFile,
    guarded(BRIDGE_CHANNELS.saveFile, ([request]) => deps.saveFile(request)),
  );
  return () => {
    ipc.removeHandler(BRIDGE_CHANNELS.invoke);
    ipc.removeHandler(BRIDGE_CHANNELS.saveFile);
  };
}

/** Pushes every core event to the window on the one event channel; returns the unsubscribe. */
export function forwardEvents(events: EventHub, sink: EventSink): () => void {
  return events.subscribe((name: ApiEventName, payload) => {
    if (!sink.isDestroyed()) sink.send(BRIDGE_CHANNELS.event, name, payload);
  });
}
