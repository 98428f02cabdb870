import { readScimPath, scimValueText } from '../scim/scim-path';
import { normalize, sameValue, type CompiledMapping } from './attribute-drift';
import { idpAttribute } from './idp-attribute';
import type { SnapshotUser } from './types';

export interface SideBySide {
  app: Record<string, string | null>;
  idp: Record<string, string | null>;
  differing: string[];
}

const activeText = (u: SnapshotUser | null): string | null => (u === null || u.active === null ? null : u.active ? 'active' : 'inactive');

/**
 * The attributes of an app account and its IdP identity, keyed alike so they line up: the identity
 * fields, then each mapped attribute under its app path. `differing` uses the mapping's case rule.
 */
export function sideBySide(app: SnapshotUser | null, appRaw: unknown, idp: SnapshotUser | null, mappings: readonly CompiledMapping[]): SideBySide {
  const rows: Array<{ key: string; app: string | null; idp: string | null; caseSensitive: boolean }> = [
    { key: 'userName', app: app?.userName ?? null, idp: idp?.userName ?? null, caseSensitive: false },
    { key: 'active', app: activeText(app), idp: activeText(idp), caseSensitive: true },
    { key: 'email', app: app?.email ?? null, idp: idp?.email ?? null, caseSensitive: false },
    ...mappings.map((m) => ({
      key: m.app.text,
      app: app ? scimValueText(readScimPath(appRaw, m.app)) : null,
      idp: idp ? idpAttribute(idp, m.idp) : null,
      caseSensitive: m.caseSensitive,
    })),
  ];
  const out: SideBySide = { app: {}, idp: {}, differing: [] };
  for (const r of rows) {
    if (app) out.app[r.key] = r.app;
    if (idp) out.idp[r.key] = r.idp;
    if (app && idp && !sameValue(normalize(r.app), normalize(r.idp), r.caseSensitive)) out.differing.push(r.key);
  }
  return out;
}
