import type { CompiledMapping } from '../analysis/attribute-drift';
import { standardField, type StandardField } from '../analysis/idp-attribute';
import { attributeNames } from './attribute-names';
import type { Db } from './database';
import { AT_RUN, VALID, withTempPairs, type PairsJson, type SnapshotRef } from './snapshot-sql';

/** The value SQL of a SnapshotUser field on user_versions `i` (and its resource `ri`). */
const FIELD_SQL: Record<StandardField, string> = {
  remoteId: 'ri.remote_id',
  userName: 'i.user_name',
  email: 'i.email',
  externalId: 'i.external_id',
  givenName: 'i.given_name',
  familyName: 'i.family_name',
  displayName: 'i.display_name',
  status: 'i.status',
  active: "CASE i.active WHEN 1 THEN 'true' WHEN 0 THEN 'false' END",
};

/** `$."3"`: the JSON path of an attribute code. */
const codePath = (code: number): string => `'$."${code}"'`;

/**
 * The SQL of an IdP attribute as idpAttribute reads it, or null when one expression cannot say it
 * (several stored names differ only in case: which one a row uses is the row's own business).
 */
function idpValueSql(name: string, idpNames: readonly string[]): string | null {
  const field = standardField(name);
  if (field) return FIELD_SQL[field];
  const lower = name.toLowerCase();
  const codes = idpNames.flatMap((n, code) => (n.toLowerCase() === lower ? [code] : []));
  if (codes.length > 1) return null;
  return codes[0] === undefined ? 'NULL' : `i.attributes_json ->> ${codePath(codes[0])}`;
}

/**
 * normalize() in SQL for the common case: trimmed of spaces, and null when blank. App values are
 * stored trimmed of all whitespace, so an IdP value with other whitespace around it (a tab, a
 * no-break space) never equals one here and its pair is compared in code, which trims it fully.
 * trim() with the full set of whitespace code points took half the query's time.
 */
const normalizedSql = (value: string): string => `nullif(trim(${value}), '')`;

/**
 * The matched app accounts whose mapped attributes may differ from their identity's: every other
 * pair is certainly the same. Null when SQL cannot tell (a mapping no snapshot row has stored
 * yet): then every pair is a candidate.
 */
export function driftCandidates(
  db: Db,
  app: SnapshotRef,
  idp: SnapshotRef,
  pairs: PairsJson,
  mappings: readonly CompiledMapping[],
): Set<number> | null {
  if (mappings.length === 0) return new Set();
  const appNames = attributeNames(db, app.connectionId);
  const idpNames = attributeNames(db, idp.connectionId);
  const mapped = new Map<number, string>();
  for (const m of mappings) {
    const code = appNames.indexOf(m.app.key);
    const idpSql = idpValueSql(m.idp, idpNames);
    // Two IdP attributes for one app path: only code can say which difference to report.
    if (code < 0 || idpSql === null || mapped.has(code)) return null;
    mapped.set(code, normalizedSql(idpSql));
  }
  // "Certainly the same" means the account has every mapped value stored (or analysis would read
  // its raw JSON) and each equals the IdP's normalized value exactly, which implies sameValue under
  // either case rule. Anything else is compared in code.
  const codes = [...mapped.keys()].sort((x, y) => x - y);
  const same =
    appNames.length === codes.length
      ? // Every stored key is mapped: the stored object (JSON.stringify puts integer keys in
        // ascending order) must equal the IdP's values as the same object, one text comparison.
        `a.attributes_json = json_object(${codes.map((c) => `'${c}', ${mapped.get(c) ?? 'NULL'}`).join(', ')})`
      : codes.map((c) => `json_type(a.attributes_json, ${codePath(c)}) IS NOT NULL AND a.attributes_json ->> ${codePath(c)} IS ${mapped.get(c) ?? 'NULL'}`).join(' AND ');
  return withTempPairs(db, 'pairs_by_app', pairs, () => {
    // The app snapshot drives (its rows are read in storage order); each pair's identity is a
    // probe by resource.
    const sql = `SELECT a.resource_id FROM user_versions a INDEXED BY user_versions_by_run
      CROSS JOIN temp.pairs_by_app c ON c.app_res = a.resource_id
      CROSS JOIN user_versions i INDEXED BY user_versions_by_resource ON i.resource_id = c.idp_res AND ${AT_RUN('i', 'ir')}
      ${same.includes('ri.') ? 'JOIN resources ri ON ri.id = i.resource_id' : ''}
      WHERE ${VALID('a', 'ac', 'ar')} AND NOT coalesce(${same}, 0)`;
    return new Set(db.prepare(sql).pluck().all({ ac: app.connectionId, ar: app.runId, ir: idp.runId }) as number[]);
  });
}
