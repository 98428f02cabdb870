import type { ScimAppConfig } from '../config/schema';
import { parseScimPath, readScimPath, scimValueText, type ScimPath } from '../scim/scim-path';
import { idpAttribute } from './idp-attribute';
import type { SnapshotUser } from './types';

export interface CompiledMapping {
  app: ScimPath;
  idp: string;
  caseSensitive: boolean;
}

/** An app's attribute mapping with each app path parsed once. */
export function compileMappings(config: Pick<ScimAppConfig, 'attributes'>): CompiledMapping[] {
  return config.attributes.map((m) => ({ app: parseScimPath(m.app), idp: m.idp, caseSensitive: m.caseSensitive }));
}

export interface AttributeDifference {
  attribute: string;
  idpValue: string | null;
  appValue: string | null;
}

/** A value as compared: trimmed, and null when blank. */
export function normalize(value: string | null): string | null {
  if (value === null) return null;
  const t = value.trim();
  return t.length === 0 ? null : t;
}

/** Whether two compared values are the same under a mapping's case rule. */
export function sameValue(a: string | null, b: string | null, caseSensitive: boolean): boolean {
  return caseSensitive ? a === b : a?.toLowerCase() === b?.toLowerCase();
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
    if (!sameValue(appValue, idpValue, m.caseSensitive)) out.push({ attribute: m.app.text, idpValue, appValue });
  }
  return out;
}
