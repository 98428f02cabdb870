import { hash } from 'node:crypto';
import SCIMMY from 'scimmy';
import { getCI, isObject } from './attribute-access';

/** A parsed SCIM attribute path (RFC 7644 §3.10): `[urn:…:]attr[valueFilter][.subAttr]`. */
export interface ScimPath {
  /** Schema URN prefix, when the path was fully qualified. */
  urn: string | null;
  attribute: string;
  filter: SCIMMY.Types.Filter | null;
  /** The common `attr eq value` filter, evaluated directly (strings case-insensitively). */
  simpleFilter: { attribute: string; value: string | number | boolean | null } | null;
  subAttribute: string | null;
  text: string;
  /**
   * A short stable name for the path, under which its value is stored at ingest (a URN-qualified
   * path repeated in every one of 100k rows would cost megabytes).
   */
  key: string;
}

const CORE_USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:user';
const ATTR = /^[A-Za-z$][\w$-]*$/;

/** Parses a path or throws an Error whose message says what is wrong (callers add context). */
export function parseScimPath(text: string): ScimPath {
  const trimmed = text.trim();
  const bracket = trimmed.indexOf('[');
  const head = bracket === -1 ? trimmed : trimmed.slice(0, bracket);
  let urn: string | null = null;
  let local = trimmed;
  if (/^urn:/i.test(trimmed)) {
    const colon = head.lastIndexOf(':');
    urn = trimmed.slice(0, colon);
    local = trimmed.slice(colon + 1);
  }
  const m = /^([^.[\]]+)(?:\[(.+)\])?(?:\.([^.[\]]+))?$/.exec(local);
  if (!m?.[1] || !ATTR.test(m[1]) || (m[3] !== undefined && !ATTR.test(m[3]))) {
    throw new Error(`"${text}" is not a SCIM attribute path (e.g. name.familyName, emails[type eq "work"].value, urn:…:User:department)`);
  }
  let filter: SCIMMY.Types.Filter | null = null;
  let simpleFilter: ScimPath['simpleFilter'] = null;
  const simple = m[2] === undefined ? null : /^\s*([A-Za-z][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*$/i.exec(m[2]);
  if (simple?.[1] && simple[2]) {
    const literal = simple[2].startsWith('"') ? simple[2] : simple[2].toLowerCase();
    simpleFilter = { attribute: simple[1], value: JSON.parse(literal) as string | number | boolean | null };
  } else if (m[2] !== undefined) {
    try {
      filter = new SCIMMY.Types.Filter(lowerKeys(new SCIMMY.Types.Filter(m[2]).map((e) => e as unknown)));
    } catch (err) {
      throw new Error(`"${text}" has an invalid value filter: ${(err as Error).message}`, { cause: err });
    }
  }
  return { urn, attribute: m[1], filter, simpleFilter, subAttribute: m[3] ?? null, text: trimmed, key: `@${hash('sha256', trimmed, 'base64url').slice(0, 8)}` };
}

/** Attribute names are case-insensitive: compare filters and values with lower-cased keys. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

/** The elements of a multi-valued attribute that the path's value filter selects (all, without one). */
function filtered(path: ScimPath, values: unknown[]): unknown[] {
  const simple = path.simpleFilter;
  if (simple) {
    const want = typeof simple.value === 'string' ? simple.value.toLowerCase() : simple.value;
    return values.filter((v) => {
      const got = getCI(v, simple.attribute);
      return (typeof got === 'string' ? got.toLowerCase() : (got ?? null)) === want;
    });
  }
  if (!path.filter) return values;
  const lowered = values.map(lowerKeys);
  const matched = new Set(path.filter.match(lowered));
  return values.filter((_, i) => matched.has(lowered[i]));
}

/** Every value the path selects in a resource, flattened; empty when absent. */
export function readScimPath(resource: unknown, path: ScimPath): unknown[] {
  const base = path.urn !== null && path.urn.toLowerCase() !== CORE_USER_URN ? getCI(resource, path.urn) : resource;
  let values: unknown[] = [];
  const top = getCI(base, path.attribute);
  if (top === undefined || top === null) return [];
  values = Array.isArray(top) ? top : [top];
  values = filtered(path, values);
  if (path.subAttribute !== null) {
    const sub = path.subAttribute;
    values = values.flatMap((v) => {
      const s = getCI(v, sub);
      return s === undefined || s === null ? [] : Array.isArray(s) ? s : [s];
    });
  }
  return values;
}

/**
 * Sets the value a path selects, for PUT fallbacks built from a fresh read: plain and extension
 * attributes, sub-attributes, and the matching elements of a value-filtered multi-valued attribute
 * (adding one element when none matches and the filter is a simple `type eq "x"`). `null` removes.
 */
export function writeScimPath(resource: Record<string, unknown>, path: ScimPath, value: unknown): void {
  let base: Record<string, unknown> = resource;
  if (path.urn !== null && path.urn.toLowerCase() !== CORE_USER_URN) {
    const key = Object.keys(resource).find((k) => k.toLowerCase() === path.urn?.toLowerCase()) ?? path.urn;
    const ext = resource[key];
    base = isObject(ext) ? ext : {};
    resource[key] = base;
  }
  const attrKey = Object.keys(base).find((k) => k.toLowerCase() === path.attribute.toLowerCase()) ?? path.attribute;
  const set = (obj: Record<string, unknown>, key: string): void => {
    const existing = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
    if (value === null) Reflect.deleteProperty(obj, existing);
    else obj[existing] = value;
  };
  if (!path.filter && !path.simpleFilter) {
    if (path.subAttribute === null) {
      set(base, attrKey);
      return;
    }
    const parent = isObject(base[attrKey]) ? (base[attrKey] as Record<string, unknown>) : {};
    base[attrKey] = parent;
    set(parent, path.subAttribute);
    return;
  }
  const list = Array.isArray(base[attrKey]) ? (base[attrKey] as unknown[]) : [];
  base[attrKey] = list;
  const targets = filtered(path, list).filter(isObject);
  if (targets.length === 0 && value !== null) {
    // A missing `emails[type eq "work"]` entry is created with its selector value, as parsed once.
    const simple = path.simpleFilter;
    if (simple && typeof simple.value === 'string') {
      const element: Record<string, unknown> = { [simple.attribute]: simple.value };
      list.push(element);
      targets.push(element);
    }
  }
  for (const t of targets) set(t, path.subAttribute ?? 'value');
}

/** A comparable text for a SCIM value: trimmed, empty as null, several values joined in order. */
export function scimValueText(values: readonly unknown[]): string | null {
  const parts = values
    .map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)))
    .filter((s) => s.length > 0);
  return parts.length === 0 ? null : parts.join(', ');
}
