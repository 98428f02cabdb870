import type { BatchProgressDto } from './actions';
import type { SyncFinishedDto, SyncProgressDto } from './dto';

// The events the core pushes to every UI. Kept apart from api.ts (and its zod schemas) so the
// renderer can import these values without pulling a validator into the page.

/** Events pushed to the UI. */
export interface ApiEvents {
  'sync.progress': SyncProgressDto;
  'sync.finished': SyncFinishedDto;
  /** Findings or dashboards changed (after an analysis). */
  'findings.changed': { apps: string[] };
  'connections.changed': { names: string[] };
  'actions.changed': { ids: number[] };
  'actions.progress': BatchProgressDto;
}

export type ApiEventName = keyof ApiEvents;

export const API_EVENT_NAMES = [
  'sync.progress',
  'sync.finished',
  'findings.changed',
  'connections.changed',
  'actions.changed',
  'actions.progress',
] as const satisfies readonly ApiEventName[];

/** Fails to compile when an event is added to ApiEvents but not to API_EVENT_NAMES. */
type AssertNever<T extends never> = T;
export type EveryEventListed = AssertNever<Exclude<ApiEventName, (typeof API_EVENT_NAMES)[number]>>;

export function isApiEventName(name: string): name is ApiEventName {
  return (API_EVENT_NAMES as readonly string[]).includes(name);
}
