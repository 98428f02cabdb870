import type { ApiEventName } from '../../../src-main/contract/api';

/**
 * Every event of the contract. Listed here rather than imported as a value: importing anything
 * but types from contract/api.ts builds its zod schemas at load, which puts zod into the UI bundle
 * along with its `new Function` probe that the CSP (rightly) refuses.
 */
export const EVENT_NAMES = [
  'sync.progress',
  'sync.finished',
  'findings.changed',
  'connections.changed',
  'actions.changed',
  'actions.progress',
] as const satisfies readonly ApiEventName[];

/** Fails to compile when the contract gains an event this list lacks. */
type AssertNever<T extends never> = T;
export type EveryEventListed = AssertNever<Exclude<ApiEventName, (typeof EVENT_NAMES)[number]>>;

export function isEventName(name: string): name is ApiEventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
