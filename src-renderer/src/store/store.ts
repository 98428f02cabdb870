import { createStore, type StoreApi } from 'zustand/vanilla';
import { createActionsSlice, type ActionsSlice } from './actions.slice';
import { createAppSlice, type AppSlice } from './app.slice';
import { createAuditSlice, type AuditSlice } from './audit.slice';
import { createConnectionsSlice, type ConnectionsSlice } from './connections.slice';
import { createDashboardSlice, type DashboardSlice } from './dashboard.slice';
import { createFindingsSlice, type FindingsSlice } from './findings.slice';
import { createRouteSlice, type RouteSlice } from './route.slice';
import { createSyncSlice, type SyncSlice } from './sync.slice';
import type { StoreDeps } from './types';

/** The whole renderer state: one bound store built from typed slices. */
export type AppState = AppSlice &
  RouteSlice &
  ConnectionsSlice &
  SyncSlice &
  DashboardSlice &
  FindingsSlice &
  ActionsSlice &
  AuditSlice & {
    /** Back to the state of a fresh start (tests reset between cases). */
    reset(): void;
  };

export type AppStore = StoreApi<AppState>;

/** One store per app (and per test): the API is injected, nothing is a module-level singleton. */
export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((set, get, store) => ({
    ...createAppSlice(deps)(set, get, store),
    ...createRouteSlice()(set, get, store),
    ...createConnectionsSlice(deps)(set, get, store),
    ...createSyncSlice(deps)(set, get, store),
    ...createDashboardSlice(deps)(set, get, store),
    ...createFindingsSlice(deps)(set, get, store),
    ...createActionsSlice(deps)(set, get, store),
    ...createAuditSlice(deps)(set, get, store),
    reset: () => set(store.getInitialState(), true),
  }));
}
