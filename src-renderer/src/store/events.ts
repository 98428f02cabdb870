import type { ApiClient } from '../api/client';
import type { AppStore } from './store';

/**
 * Core events drive the store: progress paints the sync cards, outcomes and new analyses refetch
 * what they change. After a broken event stream everything is refetched, since events were lost.
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
        // The full list can be 100,000 rows: fetch it now only if it is on screen, else when it is
        // next shown (never, if the admin has not looked at it yet).
        if (s.view === 'findings') void s.loadFindings();
        else if (s.findingsStatus !== 'idle') s.markFindingsStale();
        break;
      case 'connections.changed':
        void s.loadConnections();
        void s.loadDashboard();
        void s.loadInfo();
        break;
    }
  });
  const offReconnect = api.onReconnect(() => void store.getState().refreshAll());
  return () => {
    offEvent();
    offReconnect();
  };
}
