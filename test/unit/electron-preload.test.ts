import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS, type Bridge } from '../../src-main/contract/bridge';

// The preload only talks to `electron`'s contextBridge and ipcRenderer; both are replaced here so
// the real module runs under Node and what it exposes can be inspected.
const electron = vi.hoisted(() => {
  type Forward = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Forward>>();
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    emit(channel: string, ...args: unknown[]): void {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'ipcRenderer' }, ...args);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(l);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      electron.listeners.get(channel)?.delete(l);
    },
  },
}));

async function loadBridge(): Promise<Bridge> {
  vi.resetModules();
  electron.exposed.clear();
  await import('../../src-main/preload/index');
  const bridge = electron.exposed.get('bridge');
  if (!bridge) throw new Error('window.bridge was not exposed');
  return bridge as Bridge;
}

beforeEach(() => {
  electron.invoke.mockReset();
  electron.listeners.clear();
});

describe('preload', () => {
  it('exposes window.bridge and nothing else: exactly invoke, onEvent and saveFile, all functions', async () => {
    const bridge = await loadBridge();
    expect([...electron.exposed.keys()]).toEqual(['bridge']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'saveFile']);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('forwards invoke on the one invoke channel and returns the main process’s ApiResult untouched', async () => {
    const bridge = await loadBridge();
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'forbidden', message: 'no' } });
    expect(await bridge.invoke('findings.list', { app: 'CRM' })).toEqual({ ok: false, error: { code: 'forbidden', message: 'no' } });
    expect(electron.invoke).toHaveBeenCalledWith(BRIDGE_CHANNELS.invoke, 'findings.list', { app: 'CRM' });
  });

  it('delivers events as (name, payload) without the IPC event object, until unsubscribed', async () => {
    const bridge = await loadBridge();
    const seen: unknown[][] = [];
    const off = bridge.onEvent((name, payload) => seen.push([name, payload]));
    electron.emit(BRIDGE_CHANNELS.event, 'findings.changed', { apps: ['CRM'] });
    electron.emit('some-other-channel', 'findings.changed', { apps: ['ignored'] });
    off();
    electron.emit(BRIDGE_CHANNELS.event, 'findings.changed', { apps: ['after off'] });
    expect(seen).toEqual([['findings.changed', { apps: ['CRM'] }]]);
    expect(electron.listeners.get(BRIDGE_CHANNELS.event)?.size ?? 0).toBe(0);
  });

  it('resolves saveFile with the result, and rejects with the admin-facing message on failure', async () => {
    const bridge = await loadBridge();
    const request = { fileName: 'f.csv', mimeType: 'text/csv', content: 'a' };
    electron.invoke.mockResolvedValueOnce({ ok: true, data: { saved: true, path: '/home/me/f.csv' } });
    expect(await bridge.saveFile(request)).toEqual({ saved: true, path: '/home/me/f.csv' });
    expect(electron.invoke).toHaveBeenCalledWith(BRIDGE_CHANNELS.saveFile, request);
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'internal', message: 'Could not write /x: EACCES' } });
    await expect(bridge.saveFile(request)).rejects.toThrow('Could not write /x: EACCES');
  });
});
