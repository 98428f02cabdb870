import { readScimPath, type ScimPath } from '../scim/scim-path';
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

/** A comparable text for a SCIM value: trimmed, empty as null, several values joined in order. */
export function scimValueText(values: readonly unknown[]): string | null {
  const parts = values
    .map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)))
    .filter((s) => s.length > 0);
  return parts.length === 0 ? null : parts.join(', ');
}

function normalize(value: string | null): string | null {
  if (value === null) return null;
  const t = value.trim();
  return t.length === 0 ? null : t;
}

/** The mapped attributes whose app value differs from the IdP value. */
export function attributeDifferences(appResource: unknown, idpUser: SnapshotUser, mappings: readonly CompiledMapping[]): AttributeDifference[] {
  const out: AttributeDifference[] = [];
  for (const m of mappings) {
    const appValue = scimValueText(readScimPath(appResource, m.app));
    const idpValue = normalize(idpAttribute(idpUser, m.idp));
    const same = m.caseSensitive ? appValue === idpValue : appValue?.toLowerCase() === idpValue?.toLowerCase();
    if (!same) out.push({ attribute: m.app.text, idpValue, appValue });
  }
  return out;
}
