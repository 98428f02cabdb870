import { useEffect } from 'react';
import { useAppStoreApi } from '../store/store-context';
import { parseHash, routeHref } from './hash-route';

/** Keeps the store's view in step with the location hash; facets in a link become the findings filter. */
export function useHashRoute(): void {
  const store = useAppStoreApi();
  useEffect(() => {
    const apply = (): void => {
      const route = parseHash(window.location.hash);
      const state = store.getState();
      if (route.filters) {
        state.showFindings(route.filters);
        // The facets now live in the store; a plain hash lets the same link be followed again later.
        window.history.replaceState(null, '', routeHref(route.view));
      }
      state.setView(route.view);
    };
    apply();
    window.addEventListener('hashchange', apply);
    return () => window.removeEventListener('hashchange', apply);
  }, [store]);
}
