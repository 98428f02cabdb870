import type { ApiArgs } from '../../../src-main/contract/api';
import type { FindingDetailDto, FindingQuery } from '../../../src-main/contract/dto';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import type { FindingDto, FindingStatus, FindingType, Severity } from '../../../src-main/contract/findings';
import type { SaveFileResult } from '../../../src-main/contract/bridge';
import { toErrorInfo } from '../api/client';
import { applyUpdater, type Updater } from '../lib/updater';
import { singleFlight } from './single-flight';
import type { LoadStatus, SliceCreator, StoreDeps } from './types';

/** The faceted filters of the findings table; an empty list means "any". */
export interface FindingFilters {
  apps: string[];
  types: FindingType[];
  severities: Severity[];
  statuses: FindingStatus[];
}

/** Open findings are what an admin works on; resolved ones are one click away. */
export const DEFAULT_FILTERS: FindingFilters = { apps: [], types: [], severities: [], statuses: ['open'] };

/** One sort key of the table (TanStack's SortingState entry). */
export interface SortRule {
  id: string;
  desc: boolean;
}

export const DEFAULT_SORTING: SortRule[] = [{ id: 'severity', desc: false }];

export interface FindingDetailState {
  key: string;
  status: 'loading' | 'ready' | 'error';
  data: FindingDetailDto | null;
  error: ErrorInfo | null;
}

export interface FindingsSlice {
  /** Every finding of every status: the table filters on the client. */
  findings: FindingDto[];
  findingsStatus: LoadStatus;
  findingsError: ErrorInfo | null;
  /** A newer analysis exists than the loaded list: reload when the findings screen is shown. */
  findingsStale: boolean;
  filters: FindingFilters;
  search: string;
  sorting: SortRule[];
  /** Selected finding keys (TanStack's RowSelectionState). */
  selection: Record<string, boolean>;
  /** The row the keyboard cursor is on. */
  activeKey: string | null;
  detail: FindingDetailState | null;
  loadFindings(): Promise<void>;
  markFindingsStale(): void;
  /** Findings changed in the core: reload now if the list is on screen, else when it is next shown. */
  findingsChanged(): void;
  setFilters(patch: Partial<FindingFilters>): void;
  /** Replaces every filter, as a link from the dashboard does: facets not given are cleared, and so is the search. */
  showFindings(filters: Partial<FindingFilters>): void;
  setSearch(text: string): void;
  setSorting(updater: Updater<SortRule[]>): void;
  setSelection(updater: Updater<Record<string, boolean>>): void;
  setActiveKey(key: string | null): void;
  openDetail(key: string): Promise<void>;
  /** Reads the open finding again (its status or history changed). */
  reloadDetail(): Promise<void>;
  closeDetail(): void;
  /** Accepts a finding as a known risk until a date. Rejects with an ApiError. */
  acceptException(input: ApiArgs<'exceptions.accept'>): Promise<void>;
  /** Ends a finding's exception: it is open again. Rejects with an ApiError. */
  revokeException(findingKey: string): Promise<void>;
  /** Saves the given findings (those of the current view) as CSV or JSON. Rejects with an ApiError. */
  exportFindings(format: 'csv' | 'json', keys: string[]): Promise<SaveFileResult>;
}

/** The facets as the API's query, so an export records the filter it was made with. */
export function queryOf(filters: FindingFilters): FindingQuery {
  const query: FindingQuery = {};
  if (filters.apps.length === 1) query.app = filters.apps[0];
  if (filters.types.length > 0) query.types = filters.types;
  if (filters.statuses.length > 0) query.statuses = filters.statuses;
  if (filters.severities.length > 0) query.severities = filters.severities;
  return query;
}

export function createFindingsSlice(deps: StoreDeps): SliceCreator<FindingsSlice> {
  return (set, get) => {
    const loadDetail = async (key: string): Promise<void> => {
      try {
        const data = await deps.api.call('findings.get', { key });
        if (get().detail?.key === key) set({ detail: { key, status: 'ready', data, error: null } });
      } catch (err) {
        if (get().detail?.key === key) set({ detail: { key, status: 'error', data: null, error: toErrorInfo(err) } });
      }
    };
    return {
      findings: [],
      findingsStatus: 'idle',
      findingsError: null,
      findingsStale: false,
      filters: DEFAULT_FILTERS,
      search: '',
      sorting: DEFAULT_SORTING,
      selection: {},
      activeKey: null,
      detail: null,
      loadFindings: singleFlight(async () => {
        if (get().findingsStatus !== 'ready') set({ findingsStatus: 'loading' });
        set({ findingsStale: false });
        try {
          const findings = await deps.api.call('findings.list');
          set({ findings, findingsStatus: 'ready', findingsError: null });
        } catch (err) {
          set({ findingsStatus: 'error', findingsError: toErrorInfo(err) });
          return;
        }
        // The open finding may have changed status with the new analysis.
        const key = get().detail?.key;
        if (key) await loadDetail(key);
      }),
      markFindingsStale: () => set({ findingsStale: true }),
      findingsChanged: () => {
        // The full list can be 100,000 rows: fetch it now only if it is on screen, else when it is
        // next shown (never, if the admin has not looked at it yet).
        if (get().view === 'findings') void get().loadFindings();
        else if (get().findingsStatus !== 'idle') get().markFindingsStale();
      },
      setFilters: (patch) => set({ filters: { ...get().filters, ...patch } }),
      showFindings: (filters) => set({ filters: { apps: [], types: [], severities: [], statuses: [], ...filters }, search: '', activeKey: null }),
      setSearch: (search) => set({ search }),
      setSorting: (updater) => set({ sorting: applyUpdater(updater, get().sorting) }),
      setSelection: (updater) => set({ selection: applyUpdater(updater, get().selection) }),
      setActiveKey: (activeKey) => set({ activeKey }),
      openDetail: async (key) => {
        set({ detail: { key, status: 'loading', data: null, error: null }, activeKey: key });
        await loadDetail(key);
      },
      reloadDetail: async () => {
        const key = get().detail?.key;
        if (key) await loadDetail(key);
      },
      closeDetail: () => set({ detail: null }),
      // The core announces both with findings.changed, which reloads the list; the open detail is
      // read here so the panel shows the new status as soon as the call returns.
      acceptException: async (input) => {
        await deps.api.call('exceptions.accept', input);
        if (get().detail?.key === input.findingKey) await loadDetail(input.findingKey);
      },
      revokeException: async (findingKey) => {
        await deps.api.call('exceptions.revoke', { findingKey });
        if (get().detail?.key === findingKey) await loadDetail(findingKey);
      },
      exportFindings: async (format, keys) => {
        const file = await deps.api.call('findings.export', { format, keys, query: queryOf(get().filters) });
        return deps.api.saveFile(file);
      },
    };
  };
}
