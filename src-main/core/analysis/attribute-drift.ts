import { readScimPath, scimValueText, type ScimPath } from '../scim/scim-path';
import { idpAttribute } from './idp-attribute';
import type { SnapshotUser } from './types';

export interface CompiledMapping {
  app: ScimPath;
  idp: string;
  caseSensitive: boolean;
}

export interface AttributeDifference {
  attribute: string;
  idpValue: string | null;
  appValue: string | null;
}

function normalize(value: string | null): string | null {
  if (value === null) return null;
  const t = value.trim();
  return t.length === 0 ? null : t;
}

/**
 * The mapped attributes whose app value differs from the IdP value. App values come from the
 * account's ingest-time extraction, or from its raw resource for a path mapped since.
 */
export function attributeDifferences(
  appUser: SnapshotUser,
  appResource: () => unknown,
  idpUser: SnapshotUser,
  mappings: readonly CompiledMapping[],
): AttributeDifference[] {
  const out: AttributeDifference[] = [];
  for (const m of mappings) {
    const appValue = Object.hasOwn(appUser.attributes, m.app.key)
      ? (appUser.attributes[m.app.key] ?? null)
      : scimValueText(readScimPath(appResource(), m.app));
    const idpValue = normalize(idpAttribute(idpUser, m.idp));
    const same = m.caseSensitive ? appValue === idpValue : appValue?.toLowerCase() === idpValue?.toLowerCase();
    if (!same) out.push({ attribute: m.app.text, idpValue, appValue });
  }
  return out;
}
