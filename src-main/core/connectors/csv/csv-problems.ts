// Row problems are collected over the whole file and reported in one error, so an admin can fix
// the export in one pass instead of one run per mistake.

/** Problems shown in full; the rest are counted. */
const SHOWN_PROBLEMS = 20;

export interface ProblemList {
  add(line: number, message: string): void;
  readonly count: number;
  /** The headline, then `line N: …` per shown problem, then "…and N more". */
  format(headline: string): string;
}

export function createProblemList(): ProblemList {
  // Only the shown problems are kept: a broken 100k-row export must not hold 100k messages.
  const shown: string[] = [];
  let count = 0;
  return {
    add(line, message) {
      count += 1;
      if (shown.length < SHOWN_PROBLEMS) shown.push(`line ${line}: ${message}`);
    },
    get count() {
      return count;
    },
    format(headline) {
      const more = count - shown.length;
      return [headline, ...shown, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
    },
  };
}
