// The spellings of the `active` column that HR systems and IdP exports really write. Anything else
// fails the row instead of being guessed: reading a typo or an unfamiliar status ("on leave",
// "pending") as inactive would raise a deprovisioning finding for a person who still works here,
// and reading it as active would hide a leaver.

/** Pairs of spellings meaning active / inactive, compared trimmed and case-insensitively. */
const ACTIVE_PAIRS: readonly (readonly [active: string, inactive: string])[] = [
  ['true', 'false'],
  ['t', 'f'],
  ['yes', 'no'],
  ['y', 'n'],
  ['1', '0'],
  ['active', 'inactive'],
  ['enabled', 'disabled'],
];

/** Status words that only ever mean "this person must not have access". */
const INACTIVE_ONLY: readonly string[] = ['deactivated', 'suspended', 'terminated'];

const ACTIVE_BY_SPELLING: ReadonlyMap<string, boolean> = new Map<string, boolean>([
  ...ACTIVE_PAIRS.flatMap(([yes, no]): [string, boolean][] => [
    [yes, true],
    [no, false],
  ]),
  ...INACTIVE_ONLY.map((word): [string, boolean] => [word, false]),
]);

/** Every accepted spelling, for messages and documentation: "true/false, t/f, …, suspended, terminated". */
export const ACCEPTED_ACTIVE_VALUES = [...ACTIVE_PAIRS.map(([yes, no]) => `${yes}/${no}`), ...INACTIVE_ONLY].join(', ');

/** Reads an `active` cell; `undefined` when the spelling is not one of ACCEPTED_ACTIVE_VALUES. */
export function parseActiveValue(cell: string): boolean | undefined {
  return ACTIVE_BY_SPELLING.get(cell.trim().toLowerCase());
}
