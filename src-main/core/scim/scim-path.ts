import SCIMMY from 'scimmy';
import { getCI, isObject } from './attribute-access';

/** A parsed SCIM attribute path (RFC 7644 §3.10): `[urn:…:]attr[valueFilter][.subAttr]`. */
export interface ScimPath {
  /** Schema URN prefix, when the path was fully qualified. */
  urn: string | null;
  attribute: string;
  filter: SCIMMY.Types.Filter | null;
  subAttribute: string | null;
  text: string;
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
  if (m[2] !== undefined) {
    try {
      filter = new SCIMMY.Types.Filter(lowerKeys(new SCIMMY.Types.Filter(m[2]).map((e) => e as unknown)));
    } catch (err) {
      throw new Error(`"${text}" has an invalid value filter: ${(err as Error).message}`, { cause: err });
    }
  }
  return { urn, attribute: m[1], filter, subAttribute: m[3] ?? null, text: trimmed };
}

/** Attribute names are case-insensitive: compare filters and values with lower-cased keys. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

/** Every value the path selects in a resource, flattened; empty when absent. */
export function readScimPath(resource: unknown, path: ScimPath): unknown[] {
  const base = path.urn !== null && path.urn.toLowerCase() !== CORE_USER_URN ? getCI(resource, path.urn) : resource;
  let values: unknown[] = [];
  const top = getCI(base, path.attribute);
  if (top === undefined || top === null) return [];
  values = Array.isArray(top) ? top : [top];
  if (path.filter) {
    const lowered = values.map(lowerKeys);
    const matched = new Set(path.filter.match(lowered));
    values = values.filter((_, i) => matched.has(lowered[i]));
  }
  if (path.subAttribute !== null) {
    const sub = path.subAttribute;
    values = values.flatMap((v) => {
      const s = getCI(v, sub);
      return s === undefined || s === null ? [] : Array.isArray(s) ? s : [s];
    });
  }
  return values;
}
