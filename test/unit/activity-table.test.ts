import { describe, expect, it } from 'vitest';
import { ActivityTable } from '../../src-main/core/analysis/activity-table';

describe('ActivityTable', () => {
  it('reads back active, inactive and unknown by resource id, and nothing outside the snapshot', () => {
    const table = ActivityTable.fromColumns([12, 10, 15], [1, 0, null]);
    expect(table.size).toBe(3);
    expect([10, 11, 12, 15].map((res) => table.get(res))).toEqual([false, undefined, true, null]);
    expect([9, 11, 16, -1].map((res) => table.has(res))).toEqual([false, false, false, false]);
    const seen: Array<[number, boolean | null]> = [];
    table.forEach((res, active) => seen.push([res, active]));
    expect(seen).toEqual([
      [10, false],
      [12, true],
      [15, null],
    ]);
    expect(table.ids()).toEqual([10, 12, 15]);
  });

  it('is empty for a snapshot without users', () => {
    const table = ActivityTable.fromColumns([], []);
    expect(table.size).toBe(0);
    expect(table.get(1)).toBeUndefined();
    expect(table.ids()).toEqual([]);
  });

  it('survives the trip to another thread as its base and buffer', () => {
    const table = ActivityTable.fromColumns([7, 9], [1, 0]);
    const copy = structuredClone({ base: table.base, codes: table.codes }, { transfer: [table.codes.buffer as ArrayBuffer] });
    const back = new ActivityTable(copy.base, copy.codes);
    expect([7, 8, 9].map((res) => back.get(res))).toEqual([true, undefined, false]);
  });
});
