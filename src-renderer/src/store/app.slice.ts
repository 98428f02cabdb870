import type { AppInfoDto } from '../../../src-main/contract/dto';
import { toErrorInfo } from '../api/client';
import { singleFlight } from './single-flight';
import type { SliceCreator, StoreDeps } from './types';

export interface AppSlice {
  info: AppInfoDto | null;
  loadInfo(): Promise<void>;
  /** Reloads everything on screen: at start, and after the event stream was broken. */
  refreshAll(): Promise<void>;
  /** Starts the demo tenant and adds its connections. Rejects with an ApiError. */
  openDemo(): Promise<void>;
}

export function createAppSlice(deps: StoreDeps): SliceCreator<AppSlice> {
  return (set, get) => ({
    info: null,
    loadInfo: singleFlight(async () => {
      try {
        set({ info: await deps.api.call('app.info') });
      } catch (err) {
        deps.reportError('Could not read Driftline’s status', toErrorInfo(err));
      }
    }),
    refreshAll: async () => {
      const s = get();
      const findingsLoaded = s.findingsStatus !== 'idle';
      // The findings list is the heavy one: reload it only when it is on screen.
      if (findingsLoaded && s.view !== 'findings') s.markFindingsStale();
      await Promise.all([
        s.loadInfo(),
        s.loadConnections(),
        s.loadDashboard(),
        s.loadSyncStatus(),
        s.loadRuns(),
        findingsLoaded && s.view === 'findings' ? s.loadFindings() : Promise.resolve(),
        s.view === 'audit' ? s.loadAudit() : Promise.resolve(),
        s.reloadBulk(),
      ]);
    },
    openDemo: async () => {
      await deps.api.call('demo.open');
      await Promise.all([get().loadInfo(), get().loadConnections()]);
    },
  });
}
