// One data row of an HR export → one UserRecord, plus the checks that need the whole file
// (unique ids and userNames).

import type { UserRecord } from '../../model';
import { ACCEPTED_ACTIVE_VALUES, parseActiveValue } from './active-value';
import type { CsvLayout } from './csv-header';

/** A person read from one row, with the groups it lists: lower-cased name → the name as first spelled. */
export interface PersonRow {
  user: UserRecord;
  groups: ReadonlyMap<string, string>;
}

/**
 * Reads one row. `person` is null only when the row's cells cannot be lined up with the header;
 * otherwise it is built even when `problems` is not empty, so the uniqueness checks still see it.
 */
export function readPersonRow(cells: readonly string[], layout: CsvLayout): { person: PersonRow | null; problems: string[] } {
  if (cells.length !== layout.columns.length) {
    return {
      person: null,
      problems: [
        `the row has ${cells.length} cells but the header has ${layout.columns.length} ` +
          '(is a value containing the delimiter missing its quotes?)',
      ],
    };
  }
  const cell = (index: number): string => (cells[index] ?? '').trim();
  const optional = (index: number): string | null => cell(index) || null;
  const { required } = layout;

  const problems: string[] = [];
  const id = cell(required.id);
  if (id === '') problems.push('id is empty');
  const userName = optional(required.userName);
  if (userName === null) problems.push('userName is empty');
  const status = optional(required.active);
  const active = status === null ? undefined : parseActiveValue(status);
  if (active === undefined) {
    const what = status === null ? 'active is empty' : `active "${status}" is not a recognised value`;
    problems.push(`${what} (use ${ACCEPTED_ACTIVE_VALUES})`);
  }

  const user: UserRecord = {
    id,
    userName,
    externalId: layout.externalId === null ? null : optional(layout.externalId),
    active: active ?? null,
    status,
    email: optional(required.email),
    givenName: optional(required.givenName),
    familyName: optional(required.familyName),
    displayName: optional(required.displayName),
    attributes: recordOf(layout.extras, optional),
    // The groups column is stored as memberships: kept in the raw row, every membership change
    // would look like a change of the person too.
    raw: recordOf(layout.kept, (index) => cells[index] ?? ''),
  };
  return { person: { user, groups: splitGroups(cell(required.groups)) }, problems };
}

/**
 * The columns' values by name, built once per row of a large export: assigned rather than through
 * Object.fromEntries' pairs, except a column named "__proto__", which is defined so that it stays
 * an ordinary property instead of setting the prototype.
 */
function recordOf<V>(columns: ReadonlyArray<{ name: string; index: number }>, value: (index: number) => V): Record<string, V> {
  const out: Record<string, V> = {};
  for (const { name, index } of columns) {
    if (name === '__proto__') Object.defineProperty(out, name, { value: value(index), enumerable: true, writable: true, configurable: true });
    else out[name] = value(index);
  }
  return out;
}

/**
 * `a; B;;b` → `{a → 'a', b → 'B'}`: trimmed, empties dropped, keyed by the lower-cased name (the
 * group's id, see csv-groups), case-insensitive duplicates keeping the first spelling.
 */
export function splitGroups(cell: string): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const part of cell.split(';')) {
    const name = part.trim();
    if (name === '') continue;
    const key = name.toLowerCase();
    if (!byKey.has(key)) byKey.set(key, name);
  }
  return byKey;
}

/**
 * Remembers where each id (case-exact, as the IdP id is an opaque key) and userName
 * (case-insensitive, as SCIM compares userNames) first appeared; returns a problem per repeat.
 */
export function createDuplicateCheck(): (user: UserRecord, line: number) => string[] {
  const idLines = new Map<string, number>();
  const userNameLines = new Map<string, number>();
  return (user, line) => {
    const problems: string[] = [];
    if (user.id !== '') {
      const first = idLines.get(user.id);
      if (first === undefined) idLines.set(user.id, line);
      else problems.push(`id "${user.id}" is already used on line ${first}`);
    }
    if (user.userName !== null) {
      const key = user.userName.toLowerCase();
      const first = userNameLines.get(key);
      if (first === undefined) userNameLines.set(key, line);
      else problems.push(`userName "${user.userName}" is already used on line ${first} (userNames are compared ignoring case)`);
    }
    return problems;
  };
}
