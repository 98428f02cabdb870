import { isDriftlineError } from '../../errors';
import type { HttpClient } from '../../http/types';
import { getCI, isObject, parseActive, parseCount, stringOrNull } from '../../scim/attribute-access';

/** What a SCIM service provider says about itself. Discovery documents are hints only. */
export interface ScimCapabilities {
  serviceProviderConfig: boolean;
  patch: boolean | null;
  bulk: { supported: boolean; maxOperations: number | null; maxPayloadSize: number | null } | null;
  filter: { supported: boolean; maxResults: number | null } | null;
  sort: boolean | null;
  etag: boolean | null;
  changePassword: boolean | null;
  authenticationSchemes: string[];
  /** RFC 9865 cursor pagination block, when advertised. */
  pagination: {
    cursor: boolean | null;
    index: boolean | null;
    defaultPaginationMethod: string | null;
    defaultPageSize: number | null;
    maxPageSize: number | null;
  } | null;
  resourceTypes: string[] | null;
  schemas: string[] | null;
  /** The User schema from /Schemas declares `active`; null when /Schemas was unavailable. */
  userHasActive: boolean | null;
  /** Discovery documents that were missing or malformed, in words. */
  problems: string[];
}

async function fetchDoc(http: HttpClient, path: string, signal: AbortSignal, problems: string[]): Promise<unknown> {
  try {
    const res = await http.request({ method: 'GET', url: path, signal });
    return res.body;
  } catch (err) {
    // Credentials, cancellation and rate limits are the run's problem; anything else only means
    // this SP does not implement (or mis-implements) the discovery document.
    if (isDriftlineError(err) && ['auth_rejected', 'cancelled', 'rate_limited', 'tls_untrusted', 'network_error'].includes(err.code)) {
      throw err;
    }
    problems.push(`/${path} unavailable: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function boolField(obj: unknown, name: string, sub = 'supported'): boolean | null {
  return parseActive(getCI(getCI(obj, name), sub));
}

/** Resource lists in discovery come as ListResponses, bare arrays or bare objects (seen in the wild). */
function listOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  const resources = getCI(doc, 'Resources');
  if (Array.isArray(resources)) return resources;
  for (const key of ['resource_types', 'resourceTypes', 'schemas']) {
    const v = getCI(doc, key);
    if (Array.isArray(v) && v.some(isObject)) return v;
  }
  return isObject(doc) && getCI(doc, 'id') !== undefined ? [doc] : [];
}

export async function discoverScim(http: HttpClient, signal: AbortSignal): Promise<ScimCapabilities> {
  const problems: string[] = [];
  const spc = await fetchDoc(http, 'ServiceProviderConfig', signal, problems);
  const caps: ScimCapabilities = {
    serviceProviderConfig: isObject(spc),
    patch: null,
    bulk: null,
    filter: null,
    sort: null,
    etag: null,
    changePassword: null,
    authenticationSchemes: [],
    pagination: null,
    resourceTypes: null,
    schemas: null,
    userHasActive: null,
    problems,
  };
  if (spc !== undefined && !isObject(spc)) problems.push('/ServiceProviderConfig is not a JSON object.');
  if (isObject(spc)) {
    caps.patch = boolField(spc, 'patch');
    caps.sort = boolField(spc, 'sort');
    caps.etag = boolField(spc, 'etag');
    caps.changePassword = boolField(spc, 'changePassword');
    const bulk = getCI(spc, 'bulk');
    if (isObject(bulk)) {
      caps.bulk = {
        supported: parseActive(getCI(bulk, 'supported')) === true,
        maxOperations: parseCount(getCI(bulk, 'maxOperations')),
        maxPayloadSize: parseCount(getCI(bulk, 'maxPayloadSize')),
      };
    }
    const filter = getCI(spc, 'filter');
    if (isObject(filter)) {
      caps.filter = { supported: parseActive(getCI(filter, 'supported')) === true, maxResults: parseCount(getCI(filter, 'maxResults')) };
    }
    const schemes = getCI(spc, 'authenticationSchemes');
    if (Array.isArray(schemes)) {
      caps.authenticationSchemes = schemes.map((s) => stringOrNull(getCI(s, 'type')) ?? stringOrNull(getCI(s, 'name'))).filter((s) => s !== null);
    }
    const pagination = getCI(spc, 'pagination');
    if (isObject(pagination)) {
      caps.pagination = {
        cursor: parseActive(getCI(pagination, 'cursor')),
        index: parseActive(getCI(pagination, 'index')),
        defaultPaginationMethod: stringOrNull(getCI(pagination, 'defaultPaginationMethod'))?.toLowerCase() ?? null,
        defaultPageSize: parseCount(getCI(pagination, 'defaultPageSize')),
        maxPageSize: parseCount(getCI(pagination, 'maxPageSize')),
      };
    }
  }

  const resourceTypes = await fetchDoc(http, 'ResourceTypes', signal, problems);
  if (resourceTypes !== undefined) {
    const names = listOf(resourceTypes)
      .map((rt) => stringOrNull(getCI(rt, 'name')) ?? stringOrNull(getCI(rt, 'id')))
      .filter((n) => n !== null);
    if (names.length > 0) caps.resourceTypes = names;
    else problems.push('/ResourceTypes lists no resource types.');
  }

  const schemas = await fetchDoc(http, 'Schemas', signal, problems);
  if (schemas !== undefined) {
    const defs = listOf(schemas);
    const ids = defs.map((s) => stringOrNull(getCI(s, 'id'))).filter((id) => id !== null);
    if (ids.length > 0) caps.schemas = ids;
    else problems.push('/Schemas lists no schemas.');
    const user = defs.find((s) => stringOrNull(getCI(s, 'id'))?.toLowerCase() === 'urn:ietf:params:scim:schemas:core:2.0:user');
    const attrs = getCI(user, 'attributes');
    if (Array.isArray(attrs)) {
      caps.userHasActive = attrs.some((a) => stringOrNull(getCI(a, 'name'))?.toLowerCase() === 'active');
    }
  }
  return caps;
}
