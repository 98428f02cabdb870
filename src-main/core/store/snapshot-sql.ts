import type { Db } from './database';

// SQL shared by the analysis reads of snapshots.

/** One complete run of one connection: the snapshot analysis reads. */
export interface SnapshotRef {
  connectionId: number;
  runId: number;
}

/** The versions of table alias `alias` current at complete run @r (from_run ≤ r < to_run). */
export const AT_RUN = (alias: string, r: string): string => `${alias}.from_run <= @${r} AND (${alias}.to_run IS NULL OR ${alias}.to_run > @${r})`;

/** The rows of table alias `alias` in the snapshot of connection @c at complete run @r. */
export const VALID = (alias: string, c: string, r: string): string => `${alias}.connection_id = @${c} AND ${AT_RUN(alias, r)}`;

/** Correlated (app resource, IdP resource) pairs as a JSON array of two-element arrays: SQL reads it with json_each, and it crosses threads as one string. */
export type PairsJson = string;

/**
 * Temporary tables of pairs the analysis joins against, each filled from a JSON array of
 * two-element arrays: the correlated pairs keyed by either side, and the mapped groups.
 */
const TEMP_PAIRS = {
  // An app account is matched to one identity at most, so the app side can be the rowid: the
  // cheapest probe SQLite has, made once per membership.
  pairs_by_app: '(app_res INTEGER PRIMARY KEY, idp_res INTEGER NOT NULL)',
  pairs_by_idp: '(app_res INTEGER NOT NULL, idp_res INTEGER NOT NULL, PRIMARY KEY (idp_res, app_res)) WITHOUT ROWID',
  gmap: '(app_group INTEGER PRIMARY KEY, idp_group INTEGER NOT NULL)',
} as const;

/** Runs `work` with `json` in temp.`table` (one statement fills it), emptied afterwards. */
export function withTempPairs<T>(db: Db, table: keyof typeof TEMP_PAIRS, json: string, work: () => T): T {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table} ${TEMP_PAIRS[table]}`);
  try {
    db.prepare(`INSERT OR IGNORE INTO temp.${table} SELECT value ->> 0, value ->> 1 FROM json_each(?)`).run(json);
    return work();
  } finally {
    db.exec(`DELETE FROM temp.${table}`);
  }
}
