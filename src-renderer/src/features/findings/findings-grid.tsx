import { Checkbox, UnstyledButton } from '@mantine/core';
import type { Header, Row, Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef, type KeyboardEvent } from 'react';
import type { FindingDto } from '../../../../src-main/contract/findings';
import { IconChevronDown, IconChevronUp, IconSelector } from '../../components/icons';
import { useAppStore } from '../../store/store-context';
import { FindingsGridRow, HEADER_HEIGHT, ROW_HEIGHT, rowDomId } from './findings-grid-row';

function SortHeader({ header }: { header: Header<FindingDto, unknown> }) {
  const sorted = header.column.getIsSorted();
  const label = String(header.column.columnDef.header);
  return (
    <div role="columnheader" className="dl-cell dl-head-cell" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
      <UnstyledButton
        className="dl-sort-button"
        onClick={header.column.getToggleSortingHandler()}
        title={`Sort by ${label.toLowerCase()} (shift-click adds a sort key)`}
        data-testid={`findings-sort-${header.column.id}`}
      >
        {label}
        {sorted === 'asc' ? <IconChevronUp size={14} /> : sorted === 'desc' ? <IconChevronDown size={14} /> : <IconSelector size={14} className="dl-sort-idle" />}
      </UnstyledButton>
    </div>
  );
}

/**
 * The findings as an ARIA grid, virtualized: only the rows in view (plus overscan) are in the DOM.
 * The grid element keeps focus; arrow keys move the active row (aria-activedescendant), Enter
 * opens its detail, Space toggles its selection, Shift+arrows extend the selection, Ctrl/⌘+A
 * selects every row of the view.
 */
export function FindingsGrid({ table, rows }: { table: Table<FindingDto>; rows: Row<FindingDto>[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const anchorRef = useRef<number | null>(null);
  const activeKey = useAppStore((s) => s.activeKey);
  const selection = useAppStore((s) => s.selection);
  const setActiveKey = useAppStore((s) => s.setActiveKey);
  const setSelection = useAppStore((s) => s.setSelection);
  const openDetail = useAppStore((s) => s.openDetail);

  const indexByKey = useMemo(() => new Map(rows.map((row, i) => [row.id, i])), [rows]);
  const activeIndex = activeKey === null ? -1 : (indexByKey.get(activeKey) ?? -1);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // The sticky header sits inside the scroll area, above the rows: offset them by its height,
    // and keep a row scrolled to from hiding under it.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });

  const onOpen = useCallback(
    (key: string, index: number) => {
      anchorRef.current = index;
      setActiveKey(key);
      scrollRef.current?.focus({ preventScroll: true });
      void openDetail(key);
    },
    [openDetail, setActiveKey],
  );

  const onToggle = useCallback(
    (key: string, index: number, range: boolean) => {
      const anchor = anchorRef.current;
      setSelection((old) => {
        if (range && anchor !== null) {
          // Shift-click selects everything between the last row touched and this one.
          const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
          const next = { ...old };
          for (const row of rows.slice(from, to + 1)) next[row.id] = true;
          return next;
        }
        const { [key]: wasSelected, ...others } = old;
        return wasSelected ? others : { ...old, [key]: true };
      });
      anchorRef.current = index;
      setActiveKey(key);
      scrollRef.current?.focus({ preventScroll: true });
    },
    [rows, setActiveKey, setSelection],
  );

  const moveTo = (index: number, extend: boolean): void => {
    const row = rows[index];
    if (!row) return;
    if (extend) {
      const from = rows[activeIndex];
      setSelection((old) => ({ ...old, ...(from ? { [from.id]: true } : {}), [row.id]: true }));
    }
    setActiveKey(row.id);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget || rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 2);
    const at = activeIndex;
    const last = rows.length - 1;
    const handled = (): void => e.preventDefault();
    switch (e.key) {
      case 'ArrowDown':
        handled();
        moveTo(at < 0 ? 0 : Math.min(last, at + 1), e.shiftKey);
        return;
      case 'ArrowUp':
        handled();
        moveTo(at < 0 ? 0 : Math.max(0, at - 1), e.shiftKey);
        return;
      case 'PageDown':
        handled();
        moveTo(Math.min(last, Math.max(0, at) + page), e.shiftKey);
        return;
      case 'PageUp':
        handled();
        moveTo(Math.max(0, at - page), e.shiftKey);
        return;
      case 'Home':
        handled();
        moveTo(0, false);
        return;
      case 'End':
        handled();
        moveTo(last, false);
        return;
      case 'Enter': {
        const row = rows[at];
        if (row) {
          handled();
          onOpen(row.id, at);
        }
        return;
      }
      case ' ': {
        const row = rows[at];
        handled();
        if (row) onToggle(row.id, at, e.shiftKey);
        else moveTo(0, false);
        return;
      }
      case 'a':
      case 'A':
        if (e.ctrlKey || e.metaKey) {
          handled();
          table.toggleAllRowsSelected(true);
        }
        return;
    }
  };

  const headers = table.getHeaderGroups()[0]?.headers.filter((h) => h.column.getIsVisible()) ?? [];
  const allSelected = table.getIsAllRowsSelected();
  const someSelected = table.getIsSomeRowsSelected();
  const activeRow = rows[activeIndex];

  return (
    <div
      ref={scrollRef}
      className="dl-grid"
      role="grid"
      aria-label="Findings"
      aria-rowcount={rows.length + 1}
      aria-colcount={headers.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeRow ? rowDomId(activeRow.id) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="findings-table"
    >
      <div role="rowgroup" className="dl-grid-head">
        <div role="row" aria-rowindex={1} className="dl-grid-row">
          <div role="columnheader" className="dl-cell dl-cell-select">
            <Checkbox
              size="xs"
              checked={allSelected}
              indeterminate={someSelected && !allSelected}
              onChange={() => table.toggleAllRowsSelected(!allSelected)}
              aria-label="Select every finding in this view"
              data-testid="findings-select-all"
            />
          </div>
          {headers.map((header) => (
            <SortHeader key={header.id} header={header} />
          ))}
        </div>
      </div>
      <div role="rowgroup" className="dl-grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <FindingsGridRow
              key={row.id}
              finding={row.original}
              index={item.index}
              top={item.start - HEADER_HEIGHT}
              selected={selection[row.id] === true}
              active={item.index === activeIndex}
              onOpen={onOpen}
              onToggle={onToggle}
            />
          );
        })}
      </div>
    </div>
  );
}
