import { FINDING_STATUSES, FINDING_TYPES, SEVERITIES } from '../../../src-main/contract/findings';
import type { FindingFilters } from '../store/findings.slice';
import { VIEWS, type View } from '../store/route.slice';

// A small hash router: `#/<view>`, and for findings optional facets, e.g.
// `#/findings?app=Acme%20CRM&type=attribute_drift&status=open`. Hash URLs work the same from the
// browser-mode server and from the Electron window's bundled files.

export interface Route {
  view: View;
  /** Facets a link asked for (a dashboard count); null for a plain view link. */
  filters: Partial<FindingFilters> | null;
}

function pick<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] {
  return params.getAll(key).filter((value): value is T => (allowed as readonly string[]).includes(value));
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const view = VIEWS.find((v) => v === path) ?? 'dashboard';
  if (view !== 'findings' || query === '') return { view, filters: null };
  const params = new URLSearchParams(query);
  return {
    view,
    filters: {
      apps: params.getAll('app'),
      types: pick(params, 'type', FINDING_TYPES),
      severities: pick(params, 'severity', SEVERITIES),
      statuses: pick(params, 'status', FINDING_STATUSES),
    },
  };
}

export function routeHref(view: View, filters?: Partial<FindingFilters>): string {
  const params = new URLSearchParams();
  for (const app of filters?.apps ?? []) params.append('app', app);
  for (const type of filters?.types ?? []) params.append('type', type);
  for (const severity of filters?.severities ?? []) params.append('severity', severity);
  for (const status of filters?.statuses ?? []) params.append('status', status);
  const query = params.toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

export function navigate(view: View, filters?: Partial<FindingFilters>): void {
  window.location.hash = routeHref(view, filters);
}
