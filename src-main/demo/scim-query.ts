// List requests: filter, sort, page.
//
// Unfiltered, unsorted pages (what a full sync does) are sliced straight from the store's ordered array:
// O(page). Filters are parsed and evaluated by scimmy (SCIMMY.Types.Filter), sorting uses scimmy's
// ListResponse sort; both run over every candidate, so they cost O(all resources) per request (except
// `id eq` / `userName eq`, answered from the store's indexes). scimmy's matcher needs some help:
// - It compares strings case-sensitively, but most SCIM strings are caseExact false (userName eq "BJensen"
//   must find bjensen, RFC 7643 §2.1). Candidates and the filter's literals are folded to lower case for
//   those attributes, as scimmy's own schema says (see AttributeInfo.foldCase).
// - It looks extension attributes up by URN-qualified name (urn:…:enterprise:2.0:User:department), which
//   plain JSON does not have; the match view adds those keys.
// - A sub-attribute filter (name.familyName eq …, emails[type eq …], members[value eq …]) throws on a
//   resource without that complex attribute; the match view gives absent ones an empty value.
// - Comparing a complex attribute itself (`emails eq "x"`, `emails pr`) throws; the former is invalid
//   anyway (RFC 7644 §3.4.2.2 wants a sub-attribute), so both are refused up front with invalidFilter.
import SCIMMY from 'scimmy';
import { DERIVED, type ScimRenderer } from './scim-render';
import {
  isJsonObject,
  resolvePath,
  type AttributeInfo,
  type AttributeMap,
  type JsonObject,
  type JsonValue,
  type SchemaIndex,
} from './scim-schema';
import type { ScimStore, StoredResource } from './scim-store';

export interface ListQuery {
  readonly filter?: SCIMMY.Types.Filter;
  /** An attribute path as the client sent it. */
  readonly sortBy?: string;
  readonly descending: boolean;
  /** 1-based, at least 1. */
  readonly startIndex: number;
  /** At least 0, already capped to the server's page size. */
  readonly count: number;
}

export interface ListPage {
  /** How many resources match, over all pages. */
  readonly total: number;
  readonly records: readonly StoredResource[];
}

export function listResources(store: ScimStore, renderer: ScimRenderer, index: SchemaIndex, query: ListQuery): ListPage {
  const sortPath = query.sortBy === undefined ? undefined : sortPathOf(index, query.sortBy);
  const page = (matches: readonly StoredResource[]): ListPage => ({
    total: matches.length,
    records: matches.slice(query.startIndex - 1, query.startIndex - 1 + query.count),
  });
  if (!query.filter && !sortPath) return page(store.all(index.kind));

  const prepared = query.filter && prepareFilter(index.attributes, query.filter);
  const candidates = (prepared && narrow(store, index, prepared.filter)) ?? store.all(index.kind);
  // Deriving User.groups / Group.members is most of a match view's cost; skip it unless the query needs it.
  const derived = DERIVED[index.kind];
  const needsDerived = sortPath?.split('.')[0] === derived || (prepared !== undefined && mentions(prepared.filter, derived));
  const owners = new Map<JsonObject, StoredResource>();
  let views = candidates.map((record) => {
    const view = matchView(index.attributes, renderer.full(record, needsDerived), prepared?.placeholders);
    owners.set(view, record);
    return view;
  });
  if (prepared) views = matching(prepared.filter, views);
  if (sortPath) views = sortViews(views, sortPath, query.descending);
  return page(views.flatMap((view) => owners.get(view) ?? []));
}

function matching(filter: SCIMMY.Types.Filter, views: JsonObject[]): JsonObject[] {
  try {
    return keepObjects(filter.match(views));
  } catch (error) {
    // scimmy's matcher throws TypeErrors on shapes prepareFilter does not rewrite (see the top of this file).
    if (error instanceof SCIMMY.Types.Error) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SCIMMY.Types.Error(400, 'invalidFilter', `Cannot evaluate filter: ${reason}`);
  }
}

function sortPathOf(index: SchemaIndex, sortBy: string): string {
  const chain = resolvePath(index, sortBy);
  if (!chain) throw new SCIMMY.Types.Error(400, 'invalidValue', `Unknown sortBy attribute '${sortBy}'`);
  // scimmy's sort splits the path on "."; an extension URN ("…:2.0:User:…") would be torn apart.
  if (chain[0]?.extension) {
    throw new SCIMMY.Types.Error(400, 'invalidValue', 'Sorting by extension attributes is not supported');
  }
  return chain.map((info) => info.name).join('.');
}

/** scimmy's sort lives in ListResponse; given every match (not one page), it orders the whole result. */
function sortViews(views: JsonObject[], sortBy: string, descending: boolean): JsonObject[] {
  // Typed for scimmy Schema instances, but the sort only reads plain properties of whatever it is given.
  const sorted = new SCIMMY.Messages.ListResponse(views as unknown as SCIMMY.Types.Schema[], {
    sortBy,
    sortOrder: descending ? 'descending' : 'ascending',
    startIndex: 1,
    itemsPerPage: views.length,
    totalResults: views.length,
  });
  return keepObjects(sorted.Resources);
}

function keepObjects(values: readonly unknown[]): JsonObject[] {
  return values.filter(isJsonObject);
}

/**
 * Uses the store's indexes for the commonest lookups (`id eq "…"`, `userName eq "…"`, possibly AND-ed with
 * more conditions): the candidates shrink to at most one, and scimmy's match still decides.
 */
function narrow(store: ScimStore, index: SchemaIndex, filter: SCIMMY.Types.Filter): StoredResource[] | undefined {
  const branch: unknown = filter.length === 1 ? filter[0] : undefined;
  if (!isJsonObject(branch)) return undefined;
  for (const [key, node] of Object.entries(branch)) {
    if (!Array.isArray(node) || node.length !== 2 || node[0] !== 'eq' || typeof node[1] !== 'string') continue;
    const name = key.toLowerCase();
    if (name === 'id' || (index.kind === 'User' && name === 'username')) {
      const hit = name === 'id' ? store.get(index.kind, node[1]) : store.byUserName(node[1]);
      return hit ? [hit] : [];
    }
  }
  return undefined;
}

function mentions(filter: SCIMMY.Types.Filter, attribute: string): boolean {
  return filter.some(
    (branch: unknown) => isJsonObject(branch) && Object.keys(branch).some((key) => key.toLowerCase() === attribute),
  );
}

/** A client's filter, made evaluable by scimmy's matcher over match views. */
interface PreparedFilter {
  readonly filter: SCIMMY.Types.Filter;
  /** Complex attributes the filter looks inside, by view key → multi-valued: absent ones get [] or {}. */
  readonly placeholders: ReadonlyMap<string, boolean>;
}

function prepareFilter(attributes: AttributeMap, filter: SCIMMY.Types.Filter): PreparedFilter {
  const inside = new Map<string, boolean>();
  const tested = new Set<string>();
  const branches = filter.map((branch: unknown) => {
    if (!isJsonObject(branch)) return branch;
    const out: JsonObject = {};
    for (const [key, node] of Object.entries(branch)) {
      const target = resolveKey(attributes, key);
      if (target?.info.children && !target.info.extension) {
        if (isJsonObject(node)) inside.set(target.viewKey, target.info.multiValued);
        else tested.add(target.viewKey);
      }
      out[key] = node === undefined ? node : foldNode(target?.info, node);
    }
    return out;
  });
  // An empty {} would make `name pr` true, so a single-valued attribute that is also tested for presence
  // keeps no placeholder (and such a filter may fail on resources without it: scimmy's limitation).
  for (const key of tested) if (inside.get(key) === false) inside.delete(key);
  return { filter: new SCIMMY.Types.Filter(branches), placeholders: inside };
}

/**
 * A filter node is one of: nested expressions for a complex attribute (object), a comparison
 * (`["eq", value]`, `["not", "eq", value]`, `["pr"]`), or several comparisons on one attribute.
 */
function foldNode(info: AttributeInfo | undefined, node: JsonValue): JsonValue {
  if (isJsonObject(node)) return info?.children ? foldNested(info.children, node) : node;
  if (!Array.isArray(node)) return node;
  if (node.every(Array.isArray)) return node.map((comparison) => foldNode(info, comparison));
  const negated = typeof node[0] === 'string' && node[0].toLowerCase() === 'not';
  const operator = String(node[negated ? 1 : 0]).toLowerCase();
  if (info?.children && !info.extension) refuseComplexComparison(info, operator);
  const valueAt = negated ? 2 : 1;
  const value = node[valueAt];
  if (!info?.foldCase || typeof value !== 'string') return node;
  return node.map((part, i) => (i === valueAt ? value.toLowerCase() : part));
}

function refuseComplexComparison(info: AttributeInfo, operator: string): void {
  const detail =
    operator !== 'pr' && operator !== 'np'
      ? `Filter on a sub-attribute of '${info.name}', e.g. ${info.name}.value`
      : info.multiValued && `Presence of '${info.name}' cannot be tested; test a sub-attribute, e.g. ${info.name}.value pr`;
  if (detail) throw new SCIMMY.Types.Error(400, 'invalidFilter', detail);
}

function foldNested(attributes: AttributeMap, expressions: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, node] of Object.entries(expressions)) {
    out[key] = node === undefined ? node : foldNode(attributes.get(key.toLowerCase()), node);
  }
  return out;
}

/** A top-level filter key: a plain attribute name, or a URN-qualified extension attribute. */
function resolveKey(attributes: AttributeMap, key: string): { info: AttributeInfo; viewKey: string } | undefined {
  const direct = attributes.get(key.toLowerCase());
  if (direct) return { info: direct, viewKey: direct.name };
  for (const extension of attributes.values()) {
    const prefix = `${extension.name.toLowerCase()}:`;
    if (!extension.extension || !key.toLowerCase().startsWith(prefix)) continue;
    const info = extension.children?.get(key.slice(prefix.length).toLowerCase());
    return info && { info, viewKey: `${extension.name}:${info.name}` };
  }
  return undefined;
}

/** What scimmy's filter runs against (see the top of this file). */
function matchView(attributes: AttributeMap, resource: JsonObject, placeholders?: ReadonlyMap<string, boolean>): JsonObject {
  const view = foldObject(attributes, resource);
  for (const info of attributes.values()) {
    const extension = view[info.name];
    if (!info.extension || !isJsonObject(extension)) continue;
    for (const [key, value] of Object.entries(extension)) view[`${info.name}:${key}`] = value;
  }
  for (const [key, multiValued] of placeholders ?? []) view[key] ??= multiValued ? [] : {};
  return view;
}

function foldObject(attributes: AttributeMap, object: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const info = attributes.get(key.toLowerCase());
    out[key] = info && value !== undefined ? foldValue(info, value) : value;
  }
  return out;
}

function foldValue(info: AttributeInfo, value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => foldValue(info, item));
  if (isJsonObject(value)) return info.children ? foldObject(info.children, value) : value;
  return info.foldCase && typeof value === 'string' ? value.toLowerCase() : value;
}
