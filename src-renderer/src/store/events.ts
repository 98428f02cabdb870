import type { ApiClient } from '../api/client';
import type { AppStore } from './store';

/**
 * Core events drive the store: progress paints the sync cards and bulk fixes, outcomes and new
 * analyses refetch what they change. After a broken event stream everything is refetched, since
 * events were lost.
 */
export function connectEvents(store: AppStore, api: ApiClient): () => void {
  const offEvent = api.onEvent((event) => {
    const s = store.getState();
    switch (event.name) {
      case 'sync.progress':
        s.applyProgress(event.payload);
        break;
      case 'sync.finished':
        s.applyFinished(event.payload);
        void s.loadConnections();
        void s.loadRuns();
        void s.loadDashboard();
        break;
      case 'findings.changed':
        void s.loadDashboard();
        s.findingsChanged();
        // Exceptions and settings are audited too.
        if (s.view === 'audit') void s.loadAudit();
        break;
      case 'connections.changed':
        void s.loadConnections();
        void s.loadDashboard();
        void s.loadInfo();
        if (s.view === 'audit') void s.loadAudit();
        break;
      case 'actions.changed':
        s.applyActionsChanged();
        break;
      case 'actions.progress':
        s.applyBatchProgress(event.payload);
        break;
    }
  });
  const offReconnect = api.onReconnect(() => void store.getState().refreshAll());
  return () => {
    offEvent();
    offReconnect();
  };
}
