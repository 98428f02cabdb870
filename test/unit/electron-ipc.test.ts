import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isApiMethod, type ApiHandlers, type ApiMethod } from '../../src-main/contract/api';
import { ERROR_CODES } from '../../src-main/contract/errors';
import { createCore, type Core } from '../../src-main/core/core';
import { silentLogger } from '../../src-main/core/ports';
import { memoryVault } from '../../src-main/core/secrets/vault';
import { forwardEvents, registerIpc, senderAllowed, type FrameLike, type IpcEventLike, type IpcMainLike } from '../../src-main/hosts/electron/ipc';
import { BRIDGE_CHANNELS } from '../../src-main/contract/bridge';
import { useTempDir } from '../helpers/temp-dir';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** Records handlers like ipcMain (which also refuses a second handler on one channel). */
class FakeIpcMain implements IpcMainLike {
  readonly channels = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.channels.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.channels.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.channels.delete(channel);
  }

  call(channel: string, event: IpcEventLike, ...args: unknown[]): Promise<unknown> {
    const listener = this.channels.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  }
}

const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
});

/** A real core whose handler map counts every method the dispatcher looks up (= calls). */
function setup(): { ipc: FakeIpcMain; core: Core; calls: ApiMethod[]; saves: unknown[] } {
  const core = createCore({ dataDir: join(tempDir(), 'data'), secrets: memoryVault('memory only'), logger: silentLogger, operator: 'tester@test' });
  cores.push(core);
  const calls: ApiMethod[] = [];
  const handlers = new Proxy<ApiHandlers>(core.handlers, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && isApiMethod(prop)) calls.push(prop);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const saves: unknown[] = [];
  const ipc = new FakeIpcMain();
  registerIpc(ipc, {
    handlers,
    logger: silentLogger,
    saveFile: (request) => {
      saves.push(request);
      return Promise.resolve({ ok: true, data: { saved: false, path: null } });
    },
  });
  return { ipc, core, calls, saves };
}

function frame(url: string, detached = false): FrameLike {
  return { url, detached };
}

function appEvent(): IpcEventLike {
  const main = frame('app://driftline/index.html');
  return { senderFrame: main, sender: { mainFrame: main } };
}

const disposedFrame: FrameLike = {
  get url(): string {
    throw new Error('Render frame was disposed before WebFrameMain could be accessed');
  },
  detached: false,
};

/** Every way a caller can fail the sender check. */
const forgedSenders: Record<string, () => IpcEventLike> = {
  'another origin': () => {
    const main = frame('https://evil.example/');
    return { senderFrame: main, sender: { mainFrame: main } };
  },
  'a look-alike app origin': () => {
    const main = frame('app://driftline.evil/index.html');
    return { senderFrame: main, sender: { mainFrame: main } };
  },
  'a file:// page': () => {
    const main = frame('file:///work/main/out/renderer/index.html');
    return { senderFrame: main, sender: { mainFrame: main } };
  },
  'about:blank': () => {
    const main = frame('about:blank');
    return { senderFrame: main, sender: { mainFrame: main } };
  },
  'a null senderFrame': () => ({ senderFrame: null, sender: { mainFrame: frame('app://driftline/index.html') } }),
  'a subframe on the app origin': () => ({ senderFrame: frame('app://driftline/index.html'), sender: { mainFrame: frame('app://driftline/index.html') } }),
  'a detached main frame': () => {
    const main = frame('app://driftline/index.html', true);
    return { senderFrame: main, sender: { mainFrame: main } };
  },
  'a disposed frame that throws on access': () => ({ senderFrame: disposedFrame, sender: { mainFrame: disposedFrame } }),
  'a destroyed sender': () => ({
    senderFrame: frame('app://driftline/index.html'),
    get sender(): { mainFrame: FrameLike } {
      throw new Error('Object has been destroyed');
    },
  }),
};

describe('IPC sender check', () => {
  it('accepts only the main frame of the app origin', () => {
    expect(senderAllowed(appEvent())).toBe(true);
    for (const [name, make] of Object.entries(forgedSenders)) expect(senderAllowed(make()), name).toBe(false);
  });
});

describe('IPC registry', () => {
  it('registers exactly the two invoke channels, and removes them again', () => {
    const ipc = new FakeIpcMain();
    const unregister = registerIpc(ipc, { handlers: setup().core.handlers, logger: silentLogger, saveFile: () => Promise.reject(new Error('unused')) });
    expect([...ipc.channels.keys()].sort()).toEqual([BRIDGE_CHANNELS.invoke, BRIDGE_CHANNELS.saveFile].sort());
    unregister();
    expect(ipc.channels.size).toBe(0);
  });

  it('dispatches a call from the app window to the core and returns its result', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.call(BRIDGE_CHANNELS.invoke, appEvent(), 'app.info', undefined);
    expect(result).toMatchObject({ ok: true, data: { version: expect.any(String), secretStorage: { backend: 'memory', persistent: false } } });
    expect(calls).toEqual(['app.info']);
  });

  it('returns the core’s typed errors as values (bad arguments never reach the handler)', async () => {
    const { ipc, calls } = setup();
    expect(await ipc.call(BRIDGE_CHANNELS.invoke, appEvent(), 'findings.get', { key: 'nope' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await ipc.call(BRIDGE_CHANNELS.invoke, appEvent(), 'connections.delete', { name: 'missing' })).toMatchObject({ ok: false });
    expect(calls).toEqual(['connections.delete']);
  });

  it('refuses forged senders on both channels with a typed forbidden result, never calling the core', async () => {
    const { ipc, calls, saves } = setup();
    for (const [name, make] of Object.entries(forgedSenders)) {
      const invoked = await ipc.call(BRIDGE_CHANNELS.invoke, make(), 'app.info', undefined);
      expect(invoked, name).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      const saved = await ipc.call(BRIDGE_CHANNELS.saveFile, make(), { fileName: 'x.csv', mimeType: 'text/csv', content: 'a' });
      expect(saved, name).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    expect(calls).toEqual([]);
    expect(saves).toEqual([]);
  });

  it('refuses forged senders whatever method and arguments they send', async () => {
    const { ipc, calls, saves } = setup();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(forgedSenders)), fc.anything(), fc.anything(), fc.anything(), async (kind, method, args, extra) => {
        const make = forgedSenders[kind];
        if (!make) throw new Error(kind);
        await expect(ipc.call(BRIDGE_CHANNELS.invoke, make(), method, args, extra)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
        await expect(ipc.call(BRIDGE_CHANNELS.saveFile, make(), args, extra)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }),
      { numRuns: 300 },
    );
    expect(calls).toEqual([]);
    expect(saves).toEqual([]);
  });

  it('answers any non-method from the app window with a typed error and no core call', async () => {
    const { ipc, calls } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.anything().filter((m) => !(typeof m === 'string' && isApiMethod(m))),
        fc.anything(),
        async (method, args) => {
          const result = await ipc.call(BRIDGE_CHANNELS.invoke, appEvent(), method, args);
          expect(result).toMatchObject({ ok: false, error: { code: 'unknown_method', message: expect.any(String) } });
        },
      ),
      { numRuns: 300 },
    );
    expect(calls).toEqual([]);
  });

  it('never throws on arbitrary arguments to real methods: a value or a typed error, handler called only when valid', async () => {
    const { ipc, calls } = setup();
    const readOnly = ['findings.get', 'findings.list', 'runs.list', 'connections.test', 'connections.delete', 'sync.status'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...readOnly), fc.anything(), async (method, args) => {
        const before = calls.length;
        const result = await ipc.call(BRIDGE_CHANNELS.invoke, appEvent(), method, args);
        expect(result).toHaveProperty('ok');
        const r = result as { ok: boolean; error?: { code: string } };
        if (r.ok || r.error?.code !== 'invalid_argument') expect(calls.slice(before)).toEqual([method]);
        else expect(calls.length).toBe(before);
        if (!r.ok) expect(ERROR_CODES).toContain(r.error?.code);
      }),
      { numRuns: 300 },
    );
  });

  it('passes save requests from the app window through to the save-file handler', async () => {
    const { ipc, saves } = setup();
    const request = { fileName: 'findings.csv', mimeType: 'text/csv', content: 'a,b\n' };
    expect(await ipc.call(BRIDGE_CHANNELS.saveFile, appEvent(), request)).toEqual({ ok: true, data: { saved: false, path: null } });
    expect(saves).toEqual([request]);
  });
});

describe('event forwarding', () => {
  it('pushes every core event to the window on the one event channel, until unsubscribed', () => {
    const { core } = setup();
    const sent: unknown[][] = [];
    let destroyed = false;
    const unsubscribe = forwardEvents(core.events, { send: (...args) => void sent.push(args), isDestroyed: () => destroyed });
    core.events.emit('findings.changed', { apps: ['CRM'] });
    core.events.emit('connections.changed', { names: ['Okta'] });
    expect(sent).toEqual([
      [BRIDGE_CHANNELS.event, 'findings.changed', { apps: ['CRM'] }],
      [BRIDGE_CHANNELS.event, 'connections.changed', { names: ['Okta'] }],
    ]);
    destroyed = true;
    core.events.emit('findings.changed', { apps: ['after close'] });
    expect(sent).toHaveLength(2);
    destroyed = false;
    unsubscribe();
    core.events.emit('findings.changed', { apps: ['after unsubscribe'] });
    expect(sent).toHaveLength(2);
  });
});
