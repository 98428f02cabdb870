// The header row of an HR export: which column holds which standard field, and which extra
// columns become attributes.

/** Columns every HR export must have; header names are matched trimmed and case-insensitively. */
export const REQUIRED_COLUMNS = ['id', 'userName', 'email', 'givenName', 'familyName', 'displayName', 'active', 'groups'] as const;

export type RequiredColumn = (typeof REQUIRED_COLUMNS)[number];

/** Where each field lives in a row of this file. Indexes are 0-based cell positions. */
export interface CsvLayout {
  /** Header names as written (trimmed), one per column; '' for a column without a name. */
  columns: string[];
  required: Record<RequiredColumn, number>;
  /** The optional `externalId` column. */
  externalId: number | null;
  /** Every column with a header name, in file order. */
  named: { name: string; index: number }[];
  /** The named columns that are not standard fields; each becomes `attributes[name]`. */
  extras: { name: string; index: number }[];
  /** The named columns a person's raw record keeps: all but `groups`, which is stored as memberships. */
  kept: { name: string; index: number }[];
  /** Columns without a header name: their cells have no attribute name to go under, so they are ignored. */
  unnamed: number[];
}

const EXTERNAL_ID = 'externalid';

/** Reads the header row; `problems` says, in an admin's words, why the file cannot be used. */
export function readHeader(cells: readonly string[]): { layout: CsvLayout } | { problems: string[] } {
  const columns = cells.map((cell) => cell.trim());
  const problems = [...duplicateNames(columns), ...missingColumns(columns)];
  if (problems.length > 0) return { problems };

  const indexOf = (name: string): number => columns.findIndex((column) => column.toLowerCase() === name.toLowerCase());
  const required: Record<RequiredColumn, number> = {
    id: indexOf('id'),
    userName: indexOf('userName'),
    email: indexOf('email'),
    givenName: indexOf('givenName'),
    familyName: indexOf('familyName'),
    displayName: indexOf('displayName'),
    active: indexOf('active'),
    groups: indexOf('groups'),
  };
  const externalIdIndex = indexOf(EXTERNAL_ID);
  const standard = new Set<string>([...REQUIRED_COLUMNS.map((name) => name.toLowerCase()), EXTERNAL_ID]);

  const named = columns.flatMap((name, index) => (name === '' ? [] : [{ name, index }]));
  const unnamed = columns.flatMap((name, index) => (name === '' ? [index] : []));
  const extras = named.filter(({ name }) => !standard.has(name.toLowerCase()));
  const kept = named.filter(({ index }) => index !== required.groups);

  return {
    layout: { columns, required, externalId: externalIdIndex === -1 ? null : externalIdIndex, named, extras, kept, unnamed },
  };
}

function missingColumns(columns: readonly string[]): string[] {
  const present = new Set(columns.map((column) => column.toLowerCase()));
  const missing = REQUIRED_COLUMNS.filter((name) => !present.has(name.toLowerCase()));
  if (missing.length === 0) return [];
  return [
    `the header is missing required column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ` +
      `(required: ${REQUIRED_COLUMNS.join(', ')}; found: ${columns.filter((c) => c !== '').join(', ') || 'nothing'})`,
  ];
}

// Two columns with the same name (ignoring case) would make a field or attribute ambiguous.
function duplicateNames(columns: readonly string[]): string[] {
  const seen = new Map<string, { name: string; at: number[] }>();
  columns.forEach((name, index) => {
    if (name === '') return;
    const entry = seen.get(name.toLowerCase());
    if (entry) entry.at.push(index + 1);
    else seen.set(name.toLowerCase(), { name, at: [index + 1] });
  });
  return [...seen.values()]
    .filter(({ at }) => at.length > 1)
    .map(({ name, at }) => `the header names column "${name}" more than once (columns ${at.join(', ')})`);
}
