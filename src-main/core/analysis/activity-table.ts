const ABSENT = 0;
const ACTIVE = 1;
const INACTIVE = 2;
const UNKNOWN = 3;

/**
 * Each user's `active` in one snapshot, by the store's resource id: all that lifecycle decisions
 * read of everyone. Resource ids are dense row ids, so one byte per id of the snapshot's range
 * replaces a Map of 100k entries: no hashing, nothing for the garbage collector to trace, and it
 * crosses threads as one transferred buffer.
 */
export class ActivityTable {
  /** `codes[res - base]`: 0 not a user of the snapshot, 1 active, 2 inactive, 3 unknown. */
  constructor(
    readonly base: number,
    readonly codes: Uint8Array,
  ) {}

  /** How many users the snapshot has. */
  get size(): number {
    let n = 0;
    for (const code of this.codes) if (code !== ABSENT) n++;
    return n;
  }

  /** From parallel columns: resource ids and their stored `active` (1, 0 or null). */
  static fromColumns(res: readonly number[], active: ReadonlyArray<number | null>): ActivityTable {
    let min = Infinity;
    let max = -Infinity;
    for (const id of res) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    const base = res.length === 0 ? 0 : min;
    const codes = new Uint8Array(res.length === 0 ? 0 : max - min + 1);
    for (let k = 0; k < res.length; k++) {
      const value = active[k];
      codes[(res[k] as number) - base] = value === null ? UNKNOWN : value === 1 ? ACTIVE : INACTIVE;
    }
    return new ActivityTable(base, codes);
  }

  private code(res: number): number {
    return this.codes[res - this.base] ?? ABSENT;
  }

  has(res: number): boolean {
    return this.code(res) !== ABSENT;
  }

  /** true / false, null when unreadable, undefined when `res` is not a user of the snapshot. */
  get(res: number): boolean | null | undefined {
    switch (this.code(res)) {
      case ACTIVE:
        return true;
      case INACTIVE:
        return false;
      case UNKNOWN:
        return null;
      default:
        return undefined;
    }
  }

  /** Every user, in resource id order. */
  forEach(visit: (res: number, active: boolean | null) => void): void {
    const { codes, base } = this;
    for (let k = 0; k < codes.length; k++) {
      const code = codes[k];
      if (code === ABSENT) continue;
      visit(base + k, code === ACTIVE ? true : code === INACTIVE ? false : null);
    }
  }

  ids(): number[] {
    const out: number[] = [];
    this.forEach((res) => out.push(res));
    return out;
  }
}
