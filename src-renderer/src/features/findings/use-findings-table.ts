import { useDebouncedValue } from '@mantine/hooks';
import { getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type ColumnFiltersState, type Table } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { FindingDto } from '../../../../src-main/contract/findings';
import type { FindingFilters } from '../../store/findings.slice';
import { useAppStore } from '../../store/store-context';
import { FINDING_COLUMNS, matchesSearch, SEARCH_COLUMN } from './finding-columns';

const HIDDEN_COLUMNS = { [SEARCH_COLUMN]: false };

function columnFilters(filters: FindingFilters): ColumnFiltersState {
  return [
    { id: 'app', value: filters.apps },
    { id: 'type', value: filters.types },
    { id: 'severity', value: filters.severities },
    { id: 'status', value: filters.statuses },
  ].filter((f) => f.value.length > 0);
}

/**
 * The findings table's state lives in the store (the dashboard presets filters, and they survive
 * leaving the screen); TanStack computes the filtered and sorted row model from it.
 */
export function useFindingsTable(): Table<FindingDto> {
  const findings = useAppStore((s) => s.findings);
  const filters = useAppStore((s) => s.filters);
  const search = useAppStore((s) => s.search);
  const sorting = useAppStore((s) => s.sorting);
  const selection = useAppStore((s) => s.selection);
  const setSorting = useAppStore((s) => s.setSorting);
  const setSelection = useAppStore((s) => s.setSelection);
  // Typing filters 100,000 rows: wait for a pause instead of filtering on every key.
  const [debouncedSearch] = useDebouncedValue(search, 150);
  const facetFilters = useMemo(() => columnFilters(filters), [filters]);

  // TanStack Table keeps its own mutable instance; the React Compiler must leave this hook alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  return useReactTable({
    data: findings,
    columns: FINDING_COLUMNS,
    getRowId: (f) => f.key,
    state: { sorting, columnFilters: facetFilters, globalFilter: debouncedSearch, rowSelection: selection, columnVisibility: HIDDEN_COLUMNS },
    onSortingChange: setSorting,
    onRowSelectionChange: setSelection,
    globalFilterFn: matchesSearch,
    defaultColumn: { enableGlobalFilter: false },
    enableMultiSort: true,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
}
