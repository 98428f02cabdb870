import { memo, type MouseEvent } from 'react';
import type { FindingDto } from '../../../../src-main/contract/findings';
import { formatTimestamp } from '../../lib/format';
import { SEVERITY_COLOR, STATUS_COLOR, TYPE_INFO } from '../../lib/labels';

/** Height of every row: fixed, so the virtualizer needs no measuring at 100,000 rows. */
export const ROW_HEIGHT = 38;
/** Height of the sticky header row (matches .dl-grid-head in app.css). */
export const HEADER_HEIGHT = 40;

export function rowDomId(key: string): string {
  return `finding-row-${key}`;
}

/** URN-qualified paths are long; the tail names the attribute (the full path is in the tooltip). */
export function shortAttribute(path: string): string {
  if (!path.startsWith('urn:')) return path;
  const parts = path.split(':');
  return `…${parts.slice(-2).join(':')}`;
}

function Value({ value, mono }: { value: string | null; mono?: boolean }) {
  if (value === null) {
    return (
      <span className="dl-cell-empty" aria-label="empty">
        —
      </span>
    );
  }
  return (
    <span className={mono ? 'dl-cell-text dl-mono' : 'dl-cell-text'} title={value}>
      {value}
    </span>
  );
}

export interface FindingsGridRowProps {
  finding: FindingDto;
  /** 0-based position in the filtered, sorted view. */
  index: number;
  top: number;
  selected: boolean;
  active: boolean;
  onOpen(key: string, index: number): void;
  onToggle(key: string, index: number, range: boolean): void;
}

/**
 * One virtualized row. Memoized, and drawn with plain elements and CSS rather than Mantine
 * components: fast scrolling mounts a screenful of these every frame.
 */
export const FindingsGridRow = memo(function FindingsGridRow({ finding: f, index, top, selected, active, onOpen, onToggle }: FindingsGridRowProps) {
  const label = f.userName ?? f.group ?? f.key;
  return (
    <div
      id={rowDomId(f.key)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className="dl-grid-row dl-grid-body-row"
      data-active={active}
      data-testid="findings-row"
      data-key={f.key}
      data-type={f.type}
      data-severity={f.severity}
      data-status={f.status}
      data-user={f.userName ?? undefined}
      data-attribute={f.attribute ?? undefined}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(f.key, index)}
    >
      <div role="gridcell" className="dl-cell dl-cell-select" onClick={(e: MouseEvent) => e.stopPropagation()}>
        <input
          type="checkbox"
          className="dl-checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select the finding for ${label}`}
          onChange={() => undefined}
          onClick={(e: MouseEvent<HTMLInputElement>) => onToggle(f.key, index, e.shiftKey)}
          data-testid="findings-row-select"
        />
      </div>
      <div role="gridcell" className="dl-cell">
        <span className="dl-pill" data-variant={f.severity === 'critical' ? 'filled' : 'light'} data-color={SEVERITY_COLOR[f.severity]}>
          {f.severity}
        </span>
      </div>
      <div role="gridcell" className="dl-cell">
        <span className="dl-cell-text" title={TYPE_INFO[f.type].description}>
          {TYPE_INFO[f.type].label}
        </span>
      </div>
      <div role="gridcell" className="dl-cell">
        <Value value={f.app} />
      </div>
      <div role="gridcell" className="dl-cell">
        <Value value={f.userName} />
      </div>
      <div role="gridcell" className="dl-cell">
        <Value value={f.group} />
      </div>
      <div role="gridcell" className="dl-cell">
        {f.attribute === null ? (
          <Value value={null} />
        ) : (
          <span className="dl-cell-text dl-mono" title={f.attribute}>
            {shortAttribute(f.attribute)}
          </span>
        )}
      </div>
      <div role="gridcell" className="dl-cell">
        <Value value={f.idpValue} />
      </div>
      <div role="gridcell" className="dl-cell">
        <Value value={f.appValue} />
      </div>
      <div role="gridcell" className="dl-cell">
        <span className="dl-pill" data-variant="outline" data-color={STATUS_COLOR[f.status]}>
          {f.status}
        </span>
      </div>
      <div role="gridcell" className="dl-cell">
        <time dateTime={f.firstSeen} title={f.firstSeen} className="dl-cell-text">
          {formatTimestamp(f.firstSeen)}
        </time>
      </div>
    </div>
  );
});
