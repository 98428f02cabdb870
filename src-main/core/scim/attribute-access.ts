// SCIM attribute names are case-insensitive (RFC 7643 §2.1): servers send `userName`, `UserName`,
// `Resources` or `resources`. Every read of server JSON goes through these helpers.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Only keys as long as the name are lower-cased: reading an attribute a resource lacks (the usual
// case for optional ones) would otherwise lower-case every key of every resource of a listing.

/** Reads `name` from an object, matching the key case-insensitively (exact match first). */
export function getCI(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.length === lower.length && key.toLowerCase() === lower) return obj[key];
  return undefined;
}

/** A copy of `obj` without the named keys (case-insensitive). */
export function omitCI(obj: JsonObject, names: readonly string[]): JsonObject {
  // Called for every listed resource with a name or two: a scan of them beats building sets, and
  // copying key by key beats building Object.entries' pairs.
  const drop = names.map((n) => n.toLowerCase());
  const out: JsonObject = {};
  for (const key of Object.keys(obj)) {
    if (!drop.some((d) => d.length === key.length && d === key.toLowerCase())) out[key] = obj[key];
  }
  return out;
}

/** A string value, or null for anything that is not a non-empty string / finite number. */
export function stringOrNull(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * SCIM `active` as servers really send it: booleans, "True"/"False" strings (Entra-era servers),
 * 1/0 (Snipe-IT). Anything unreadable is null — unknown, never inactive.
 */
export function parseActive(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  return null;
}

/** Numbers that may arrive as numeric strings (some servers send totalResults as "250"). */
export function parseCount(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}
