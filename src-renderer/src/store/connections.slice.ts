import type { ApiArgs } from '../../../src-main/contract/api';
import type { ConnectionDto, ConnectionTestDto } from '../../../src-main/contract/dto';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';
import { singleFlight } from './single-flight';
import type { LoadStatus, SliceCreator, StoreDeps } from './types';

/** The last "Test connection" of one connection. */
export type ConnectionTestState = { status: 'running' } | { status: 'done'; result: ConnectionTestDto };

/** The add/edit form, when open: kept in the store so any screen can open it. */
export type ConnectionEditor = { mode: 'add' } | { mode: 'edit'; name: string };

export interface ConnectionsSlice {
  connections: ConnectionDto[];
  connectionsStatus: LoadStatus;
  connectionsError: ErrorInfo | null;
  connectionTests: Record<string, ConnectionTestState>;
  editor: ConnectionEditor | null;
  openEditor(editor: ConnectionEditor): void;
  closeEditor(): void;
  loadConnections(): Promise<void>;
  /** Creates or updates a connection. Rejects with an ApiError (`config_invalid` names the bad fields). */
  saveConnection(args: ApiArgs<'connections.save'>): Promise<ConnectionDto>;
  deleteConnection(name: string): Promise<void>;
  testConnection(name: string): Promise<void>;
}

function withoutKey<T>(record: Record<string, T>, ...keys: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

export function createConnectionsSlice(deps: StoreDeps): SliceCreator<ConnectionsSlice> {
  return (set, get) => ({
    connections: [],
    connectionsStatus: 'idle',
    connectionsError: null,
    connectionTests: {},
    editor: null,
    openEditor: (editor) => set({ editor }),
    closeEditor: () => set({ editor: null }),
    loadConnections: singleFlight(async () => {
      if (get().connectionsStatus !== 'ready') set({ connectionsStatus: 'loading' });
      try {
        set({ connections: await deps.api.call('connections.list'), connectionsStatus: 'ready', connectionsError: null });
      } catch (err) {
        set({ connectionsStatus: 'error', connectionsError: toErrorInfo(err) });
      }
    }),
    saveConnection: async (args) => {
      const saved = await deps.api.call('connections.save', args);
      // A changed config makes an earlier test result stale.
      set({ connectionTests: withoutKey(get().connectionTests, saved.name, ...(args.previousName ? [args.previousName] : [])) });
      await Promise.all([get().loadConnections(), get().loadDashboard()]);
      return saved;
    },
    deleteConnection: async (name) => {
      await deps.api.call('connections.delete', { name });
      set({ connectionTests: withoutKey(get().connectionTests, name), syncCards: withoutKey(get().syncCards, name) });
      await Promise.all([get().loadConnections(), get().loadDashboard(), get().loadRuns()]);
    },
    testConnection: async (name) => {
      set({ connectionTests: { ...get().connectionTests, [name]: { status: 'running' } } });
      let result: ConnectionTestDto;
      try {
        result = await deps.api.call('connections.test', { name });
      } catch (err) {
        result = { ok: false, error: toErrorInfo(err), facts: [], problems: [], capabilities: {} };
      }
      set({ connectionTests: { ...get().connectionTests, [name]: { status: 'done', result } } });
    },
  });
}
