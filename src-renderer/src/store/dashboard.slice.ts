import type { DashboardDto } from '../../../src-main/contract/dto';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';
import { singleFlight } from './single-flight';
import type { LoadStatus, SliceCreator, StoreDeps } from './types';

export interface DashboardSlice {
  dashboard: DashboardDto | null;
  dashboardStatus: LoadStatus;
  dashboardError: ErrorInfo | null;
  loadDashboard(): Promise<void>;
}

export function createDashboardSlice(deps: StoreDeps): SliceCreator<DashboardSlice> {
  return (set, get) => ({
    dashboard: null,
    dashboardStatus: 'idle',
    dashboardError: null,
    loadDashboard: singleFlight(async () => {
      if (get().dashboard === null) set({ dashboardStatus: 'loading' });
      try {
        set({ dashboard: await deps.api.call('dashboard.get'), dashboardStatus: 'ready', dashboardError: null });
      } catch (err) {
        set({ dashboardStatus: 'error', dashboardError: toErrorInfo(err) });
      }
    }),
  });
}
