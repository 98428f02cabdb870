import type { SliceCreator } from './types';

/** The screens of the app. */
export const VIEWS = ['dashboard', 'findings', 'connections', 'sync', 'audit'] as const;
export type View = (typeof VIEWS)[number];

export interface RouteSlice {
  view: View;
  setView(view: View): void;
}

export function createRouteSlice(): SliceCreator<RouteSlice> {
  return (set) => ({
    view: 'dashboard',
    setView: (view) => set({ view }),
  });
}
