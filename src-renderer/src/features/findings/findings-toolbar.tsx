import { Button, CloseButton, Group, MultiSelect, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { FINDING_STATUSES, FINDING_TYPES, SEVERITIES, type FindingStatus, type FindingType, type Severity } from '../../../../src-main/contract/findings';
import { IconSearch } from '../../components/icons';
import { capitalize, TYPE_INFO } from '../../lib/labels';
import { DEFAULT_FILTERS } from '../../store/findings.slice';
import { useAppStore } from '../../store/store-context';

const TYPE_OPTIONS = FINDING_TYPES.map((type) => ({ value: type, label: TYPE_INFO[type].label }));
const SEVERITY_OPTIONS = SEVERITIES.map((severity) => ({ value: severity, label: capitalize(severity) }));
const STATUS_OPTIONS = FINDING_STATUSES.map((status) => ({ value: status, label: capitalize(status) }));

/** Narrows a MultiSelect's strings back to the contract's literal types. */
function only<T extends string>(allowed: readonly T[]) {
  return (values: string[]): T[] => values.filter((v): v is T => (allowed as readonly string[]).includes(v));
}
const onlyTypes = only<FindingType>(FINDING_TYPES);
const onlySeverities = only<Severity>(SEVERITIES);
const onlyStatuses = only<FindingStatus>(FINDING_STATUSES);

export function FindingsToolbar() {
  const findings = useAppStore((s) => s.findings);
  const filters = useAppStore((s) => s.filters);
  const search = useAppStore((s) => s.search);
  const setFilters = useAppStore((s) => s.setFilters);
  const setSearch = useAppStore((s) => s.setSearch);
  const showFindings = useAppStore((s) => s.showFindings);

  // Apps come from the data (one pass), plus any app a link asked for that has no findings now.
  const appOptions = useMemo(() => {
    const apps = new Set(filters.apps);
    for (const f of findings) apps.add(f.app);
    return [...apps].sort((a, b) => a.localeCompare(b));
  }, [findings, filters.apps]);

  const isDefault =
    search === '' &&
    filters.apps.length === 0 &&
    filters.types.length === 0 &&
    filters.severities.length === 0 &&
    filters.statuses.join() === DEFAULT_FILTERS.statuses.join();

  // Not searchable: Mantine then hides the text field once values are picked, so the pills stay on
  // one line; the lists are short enough to pick from with the arrow keys.
  const common = { size: 'sm', clearable: true, searchable: false, maxDropdownHeight: 320 } as const;

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="findings-filters">
      <TextInput
        label="Search"
        placeholder="User, group, attribute, value, key…"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        w={240}
        size="sm"
        data-testid="findings-search"
        rightSection={search ? <CloseButton size="sm" aria-label="Clear the search" onClick={() => setSearch('')} /> : undefined}
      />
      <MultiSelect {...common} label="App" placeholder={filters.apps.length ? undefined : 'Any app'} data={appOptions} value={filters.apps} onChange={(apps) => setFilters({ apps })} w={180} data-testid="filter-app" />
      <MultiSelect
        {...common}
        label="Type"
        placeholder={filters.types.length ? undefined : 'Any type'}
        data={TYPE_OPTIONS}
        value={filters.types}
        onChange={(v) => setFilters({ types: onlyTypes(v) })}
        w={210}
        data-testid="filter-type"
      />
      <MultiSelect
        {...common}
        label="Severity"
        placeholder={filters.severities.length ? undefined : 'Any severity'}
        data={SEVERITY_OPTIONS}
        value={filters.severities}
        onChange={(v) => setFilters({ severities: onlySeverities(v) })}
        w={170}
        data-testid="filter-severity"
      />
      <MultiSelect
        {...common}
        label="Status"
        placeholder={filters.statuses.length ? undefined : 'Any status'}
        data={STATUS_OPTIONS}
        value={filters.statuses}
        onChange={(v) => setFilters({ statuses: onlyStatuses(v) })}
        w={170}
        data-testid="filter-status"
      />
      <Button variant="subtle" size="sm" disabled={isDefault} onClick={() => showFindings(DEFAULT_FILTERS)} data-testid="findings-reset-filters">
        Reset filters
      </Button>
    </Group>
  );
}
