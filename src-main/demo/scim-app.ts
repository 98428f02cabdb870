// The demo SCIM 2.0 service provider (RFC 7643/7644) served by `driftline demo`, the integration tests and
// the benchmark. scimmy validates what clients write, applies PATCH, parses and evaluates filters, and
// supplies the discovery documents and error bodies; the store, paging and rendering are ours because
// scimmy's per-resource coercion is too slow for 100k users (see scim-render.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import SCIMMY from 'scimmy';
import { silentLogger, type Logger } from '../core/ports';
import { listResources, type ListQuery } from './scim-query';
import { parseProjection, ScimRenderer, type Projection } from './scim-render';
import {
  isJsonObject,
  scimmyResource,
  scimSchemas,
  ScimmyCall,
  type JsonObject,
  type ResourceKind,
  type ScimmyBackend,
  type SchemaIndex,
} from './scim-schema';
import { ScimStore, type ScimGroupSeed, type ScimUserSeed, type StoredResource } from './scim-store';

export type { ScimGroupSeed, ScimUserSeed } from './scim-store';
export type { JsonObject } from './scim-schema';

export interface ScimAppOptions {
  /** The bearer token every request must carry; anything else gets a 401 SCIM error. */
  token: string;
  /** Initial users (SCIM JSON without meta; ids kept when given, assigned otherwise). Trusted: see ScimStore.seed. */
  users?: ScimUserSeed[];
  groups?: ScimGroupSeed[];
  /** Server-side cap on `count`, also the page size when a request has none. Advertised as filter.maxResults. Default 1000. */
  maxPageSize?: number;
  /** meta.version + ETag headers, If-Match (412 on mismatch) and If-None-Match (304). Default true. */
  etags?: boolean;
  /** How many recent requests `requests` keeps. Default 10 000. */
  requestLogLimit?: number;
  logger?: Logger;
}

/** One request the server answered, for tests to assert what a client sent. */
export interface RequestLogEntry {
  method: string;
  /** Path relative to the SCIM base URL, e.g. /Users/42 (the full path for requests outside it). */
  path: string;
  /** The query string without "?", e.g. "count=100&startIndex=1". */
  query: string;
  status: number;
  ifMatch?: string;
  /** The parsed JSON body of a write. */
  body?: unknown;
}

/** Read access to the server's data, as GET would return it. */
export interface ScimAppStore {
  getUser(id: string): JsonObject | undefined;
  getGroup(id: string): JsonObject | undefined;
  findUserByUserName(userName: string): JsonObject | undefined;
  readonly userCount: number;
  readonly groupCount: number;
}

export interface ScimApp {
  /** Base URL including the path, e.g. http://127.0.0.1:41234/scim/v2 */
  url: string;
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
  requests: RequestLogEntry[];
  store: ScimAppStore;
}

const BASE_PATH = '/scim/v2';
const ENDPOINTS: ReadonlyMap<string, ResourceKind> = new Map([
  ['Users', 'User'],
  ['Groups', 'Group'],
]);
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function startScimApp(options: ScimAppOptions & { port?: number; host?: '127.0.0.1' }): Promise<ScimApp> {
  const schemas = scimSchemas();
  const store = new ScimStore(schemas);
  // Seed before listening: on a fixed port a client could otherwise see a half-loaded tenant.
  store.seed(options.users ?? [], options.groups ?? []);

  const requests: RequestLogEntry[] = [];
  const logger = options.logger ?? silentLogger;
  const http = createServer();
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const url = `http://${host}:${(http.address() as AddressInfo).port}${BASE_PATH}`;
  const server = new ScimServer(store, schemas, { ...options, url });
  // Attached only now that the URL (needed for meta.location) is known. No request can have been parsed
  // in between: that takes an I/O callback, and none runs before this continuation.
  http.on('request', (req, res) => {
    const entry: RequestLogEntry = { method: req.method ?? '', path: '', query: '', status: 0 };
    void server
      .handle(req, res, entry)
      .catch((error: unknown) => sendError(res, error, logger, entry))
      .finally(() => {
        entry.status = res.statusCode;
        requests.push(entry);
        if (requests.length > (options.requestLogLimit ?? 10_000)) requests.shift();
      });
  });
  logger.info('Demo SCIM service provider listening', { url });

  const render = (record: StoredResource | undefined): JsonObject | undefined => record && server.renderer.full(record);
  return {
    url,
    requests,
    store: {
      getUser: (id) => render(store.get('User', id)),
      getGroup: (id) => render(store.get('Group', id)),
      findUserByUserName: (userName) => render(store.byUserName(userName)),
      get userCount() {
        return store.all('User').length;
      },
      get groupCount() {
        return store.all('Group').length;
      },
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      }),
  };
}

interface ServerSettings extends ScimAppOptions {
  url: string;
}

class ScimServer {
  readonly renderer: ScimRenderer;
  private readonly maxPageSize: number;
  private readonly expectedAuth: Buffer;
  private readonly discovery: Discovery;
  /** Writes run one at a time: an If-Match check and scimmy's read-patch-write must see no other write. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ScimStore,
    private readonly schemas: Record<ResourceKind, SchemaIndex>,
    settings: ServerSettings,
  ) {
    const etags = settings.etags ?? true;
    this.maxPageSize = settings.maxPageSize ?? 1000;
    this.expectedAuth = digest(settings.token);
    this.renderer = new ScimRenderer(store, { baseUrl: settings.url, etags });
    this.discovery = discoveryDocuments(settings.url, this.maxPageSize, etags);
  }

  async handle(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://localhost');
    const inBase = target.pathname === BASE_PATH || target.pathname.startsWith(`${BASE_PATH}/`);
    entry.path = inBase ? target.pathname.slice(BASE_PATH.length) : target.pathname;
    entry.query = target.search.slice(1);
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined) entry.ifMatch = ifMatch;

    if (!this.authorized(req)) {
      throw scimError(401, '', 'A valid bearer token is required');
    }
    if (!inBase) throw scimError(404, '', `No SCIM endpoint at ${target.pathname}`);
    const segments = entry.path.split('/').filter(Boolean).map(decodeSegment);
    const [first = '', second, ...rest] = segments;
    const method = req.method ?? 'GET';
    if (rest.length > 0) throw scimError(404, '', `No SCIM endpoint at ${target.pathname}`);

    const kind = ENDPOINTS.get(first);
    if (kind === undefined) return this.discover(res, method, first, second);
    if (second === undefined) {
      if (method === 'GET') return this.list(res, kind, queryOf(target.searchParams));
      if (method !== 'POST') throw new MethodNotAllowed('GET, POST');
      const body = await readJson(req, entry);
      return this.serially(() => this.create(res, kind, body, target.searchParams));
    }
    if (second === '.search') {
      if (method !== 'POST') throw new MethodNotAllowed('POST');
      return this.list(res, kind, searchOf(await readJson(req, entry)));
    }
    const params = target.searchParams;
    switch (method) {
      case 'GET':
        return this.get(req, res, kind, second, params);
      case 'PUT':
      case 'PATCH': {
        // The body is read before queueing, so a slow client does not hold up other writes.
        const body = await readJson(req, entry);
        return this.serially(() => this.update(req, res, kind, second, body, params));
      }
      case 'DELETE':
        return this.serially(() => this.remove(req, res, kind, second));
      default:
        throw new MethodNotAllowed('GET, PUT, PATCH, DELETE');
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const match = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), this.expectedAuth);
  }

  private discover(res: ServerResponse, method: string, endpoint: string, id: string | undefined): void {
    const document = this.discoveryDocument(endpoint, id);
    if (document === undefined) throw scimError(404, '', `No SCIM resource at /${[endpoint, id].filter(Boolean).join('/')}`);
    if (method !== 'GET') throw new MethodNotAllowed('GET');
    send(res, 200, document);
  }

  private discoveryDocument(endpoint: string, id: string | undefined): unknown {
    if (endpoint === 'ServiceProviderConfig') return id === undefined ? this.discovery.ServiceProviderConfig : undefined;
    if (endpoint !== 'ResourceTypes' && endpoint !== 'Schemas') return undefined;
    const documents = this.discovery[endpoint];
    return id === undefined ? listBody(documents, documents.length, 1) : documents.find((document) => document.id === id);
  }

  private list(res: ServerResponse, kind: ResourceKind, request: ListRequest): void {
    const index = this.schemas[kind];
    const query: ListQuery = {
      startIndex: Math.max(1, request.startIndex ?? 1),
      count: Math.min(this.maxPageSize, Math.max(0, request.count ?? this.maxPageSize)),
      descending: request.sortOrder === 'descending',
      ...(request.filter === undefined ? {} : { filter: parseFilter(request.filter) }),
      ...(request.sortBy === undefined ? {} : { sortBy: request.sortBy }),
    };
    const projection = parseProjection(index, request.attributes, request.excludedAttributes);
    const page = listResources(this.store, this.renderer, index, query);
    const resources = page.records.map((record) => this.renderer.render(record, projection));
    send(res, 200, listBody(resources, page.total, query.startIndex));
  }

  private get(req: IncomingMessage, res: ServerResponse, kind: ResourceKind, id: string, params: URLSearchParams): void {
    const record = this.store.require(kind, id);
    const etag = this.renderer.etag(record);
    const ifNoneMatch = req.headers['if-none-match'];
    if (etag !== undefined && ifNoneMatch !== undefined && tagsMatch(ifNoneMatch, etag)) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    this.sendResource(res, 200, record, this.projectionOf(kind, params));
  }

  private async create(res: ServerResponse, kind: ResourceKind, body: unknown, params: URLSearchParams): Promise<void> {
    const backend = new ServerBackend(this.store, this.renderer);
    await new (scimmyResource(kind))().write(body, new ScimmyCall(backend));
    const record = backend.written();
    this.sendResource(res, 201, record, this.projectionOf(kind, params), { location: this.renderer.location(record) });
  }

  private async update(
    req: IncomingMessage,
    res: ServerResponse,
    kind: ResourceKind,
    id: string,
    body: unknown,
    params: URLSearchParams,
  ): Promise<void> {
    this.checkPrecondition(req, this.store.require(kind, id));
    const call = new ScimmyCall(new ServerBackend(this.store, this.renderer));
    const resource = new (scimmyResource(kind))(id);
    if (req.method === 'PUT') {
      await resource.write(body, call);
    } else {
      // scimmy's PatchOp validates the message itself; this only gives it the shape its typings require.
      if (!isPatchMessage(body)) throw scimError(400, 'invalidSyntax', 'Expected a PatchOp message with Operations');
      await resource.patch(body, call);
    }
    this.sendResource(res, 200, this.store.require(kind, id), this.projectionOf(kind, params));
  }

  private async remove(req: IncomingMessage, res: ServerResponse, kind: ResourceKind, id: string): Promise<void> {
    this.checkPrecondition(req, this.store.require(kind, id));
    await new (scimmyResource(kind))(id).dispose(new ScimmyCall(new ServerBackend(this.store, this.renderer)));
    res.writeHead(204);
    res.end();
  }

  private checkPrecondition(req: IncomingMessage, record: StoredResource): void {
    const etag = this.renderer.etag(record);
    const ifMatch = req.headers['if-match'];
    if (etag !== undefined && ifMatch !== undefined && !tagsMatch(ifMatch, etag)) {
      throw scimError(412, '', `${record.kind} ${record.id} has changed: its version is ${etag}`);
    }
  }

  private projectionOf(kind: ResourceKind, params: URLSearchParams): Projection | undefined {
    return parseProjection(this.schemas[kind], listParam(params, 'attributes'), listParam(params, 'excludedAttributes'));
  }

  private sendResource(
    res: ServerResponse,
    status: number,
    record: StoredResource,
    projection: Projection | undefined,
    headers: Record<string, string> = {},
  ): void {
    const etag = this.renderer.etag(record);
    send(res, status, this.renderer.render(record, projection), { ...headers, ...(etag ? { etag } : {}) });
  }

  private serially<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writes.then(write);
    this.writes = result.catch(() => undefined);
    return result;
  }
}

/** The store and renderer of one server, as scimmy's shared handlers reach them (see scim-schema.ts). */
class ServerBackend implements ScimmyBackend {
  private record: StoredResource | undefined;

  constructor(
    private readonly store: ScimStore,
    private readonly renderer: ScimRenderer,
  ) {}

  read(kind: ResourceKind, id: string): JsonObject {
    return this.renderer.full(this.store.require(kind, id));
  }

  write(kind: ResourceKind, id: string | undefined, data: JsonObject): JsonObject {
    this.record = this.store.write(kind, id, data);
    return this.renderer.full(this.record);
  }

  remove(kind: ResourceKind, id: string): void {
    this.store.delete(kind, id);
  }

  /** The resource the last write stored. */
  written(): StoredResource {
    if (!this.record) throw scimError(500, '', 'scimmy finished a write without storing anything');
    return this.record;
  }
}

/** A list request from the query string or a SearchRequest body, before defaults and caps. */
interface ListRequest {
  filter?: string;
  attributes?: string[];
  excludedAttributes?: string[];
  sortBy?: string;
  sortOrder?: string;
  startIndex?: number;
  count?: number;
}

function queryOf(params: URLSearchParams): ListRequest {
  return {
    filter: params.get('filter') ?? undefined,
    attributes: listParam(params, 'attributes'),
    excludedAttributes: listParam(params, 'excludedAttributes'),
    sortBy: params.get('sortBy') ?? undefined,
    sortOrder: params.get('sortOrder') ?? undefined,
    startIndex: integerParam(params, 'startIndex'),
    count: integerParam(params, 'count'),
  };
}

/** POST …/.search (RFC 7644 §3.4.3), validated by scimmy's SearchRequest. */
function searchOf(body: unknown): ListRequest {
  if (!isJsonObject(body)) throw scimError(400, 'invalidSyntax', 'Expected a SearchRequest message');
  // RFC 7644 §3.4.2.4: startIndex below 1 means 1 and a negative count means 0; scimmy rejects both.
  const clamp = (value: JsonObject[string], min: number): JsonObject[string] =>
    typeof value === 'number' ? Math.max(min, value) : value;
  const request = { ...body, startIndex: clamp(body.startIndex, 1), count: clamp(body.count, 0) };
  // SearchRequest validates the message itself; its typings want the validated shape up front.
  const search = new SCIMMY.Messages.SearchRequest(request as ConstructorParameters<typeof SCIMMY.Messages.SearchRequest>[0]);
  return {
    filter: search.filter,
    attributes: search.attributes,
    excludedAttributes: search.excludedAttributes,
    sortBy: search.sortBy,
    sortOrder: search.sortOrder,
    startIndex: search.startIndex,
    count: search.count,
  };
}

function parseFilter(expression: string): SCIMMY.Types.Filter {
  if (!expression.trim()) throw scimError(400, 'invalidFilter', 'The filter is empty');
  return new SCIMMY.Types.Filter(expression);
}

function listParam(params: URLSearchParams, name: string): string[] | undefined {
  const value = params.get(name);
  return value === null ? undefined : value.split(',').filter((item) => item.trim() !== '');
}

function integerParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw scimError(400, 'invalidValue', `${name} must be an integer`);
  return Number(value);
}

function isPatchMessage(body: unknown): body is Parameters<SCIMMY.Types.Resource['patch']>[0] {
  return isJsonObject(body) && Array.isArray(body.schemas) && Array.isArray(body.Operations);
}

interface Discovery {
  readonly ServiceProviderConfig: unknown;
  readonly ResourceTypes: readonly DiscoveryDocument[];
  readonly Schemas: readonly DiscoveryDocument[];
}

interface DiscoveryDocument {
  readonly id: unknown;
}

/** ServiceProviderConfig, ResourceTypes and Schemas, rendered by scimmy for this server's base URL. */
function discoveryDocuments(url: string, maxPageSize: number, etags: boolean): Discovery {
  return {
    // Passed to scimmy's schema class directly: SCIMMY.Config is process-global, shared by every server.
    ServiceProviderConfig: new SCIMMY.Schemas.ServiceProviderConfig(
      {
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: maxPageSize },
        changePassword: { supported: false },
        sort: { supported: true },
        etag: { supported: etags },
        authenticationSchemes: [
          {
            type: 'oauthbearertoken',
            name: 'OAuth Bearer Token',
            description: 'The bearer token the demo server was started with.',
          },
        ],
      },
      `${url}/ServiceProviderConfig`,
    ),
    ResourceTypes: (['User', 'Group'] as const).map(
      (kind) => new SCIMMY.Schemas.ResourceType(scimmyResource(kind).describe(), `${url}/ResourceTypes`),
    ),
    Schemas: SCIMMY.Schemas.declared().map((definition) => definition.describe(`${url}/Schemas`)),
  };
}

interface ListBody {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: readonly unknown[];
}

/**
 * A ListResponse, built by hand: scimmy's ListResponse takes its input for the whole result and
 * re-slices it, so a page starting at index 2..n would lose its first items.
 */
function listBody(resources: readonly unknown[], total: number, startIndex: number): ListBody {
  return {
    schemas: [SCIMMY.Messages.ListResponse.id],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** Weak comparison: SCIM servers hand out weak tags, which RFC 7232's strong If-Match test would never match. */
function tagsMatch(header: string, etag: string): boolean {
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

async function readJson(req: IncomingMessage, entry: RequestLogEntry): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(scimError(413, '', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`));
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', resolve);
    req.on('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw scimError(400, 'invalidSyntax', 'The request needs a JSON body');
  try {
    entry.body = JSON.parse(text);
  } catch {
    throw scimError(400, 'invalidSyntax', 'The request body is not valid JSON');
  }
  return entry.body;
}

function scimError(status: number, scimType: string, detail: string): SCIMMY.Types.SCIMError {
  return new SCIMMY.Types.Error(status, scimType, detail);
}

/** 405 is plain HTTP, not one of RFC 7644's SCIM statuses; the body is still a SCIM error. */
class MethodNotAllowed extends SCIMMY.Types.Error {
  constructor(readonly allow: string) {
    super(405, '', `Allowed methods: ${allow}`);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw scimError(404, '', 'Malformed path');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/scim+json', 'content-length': bytes.length, ...headers });
  res.end(bytes);
}

function sendError(res: ServerResponse, error: unknown, logger: Logger, entry: RequestLogEntry): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!(error instanceof SCIMMY.Types.Error)) {
    logger.error('Demo SCIM request failed', { method: entry.method, path: entry.path, error: String(error) });
  }
  const scim = error instanceof SCIMMY.Types.Error ? error : scimError(500, '', 'Internal error');
  const headers: Record<string, string> = {};
  if (scim instanceof MethodNotAllowed) headers.allow = scim.allow;
  if (scim.status === 401) headers['www-authenticate'] = 'Bearer realm="scim"';
  send(res, scim.status, errorBody(scim), headers);
}

/** scimmy's ErrorResponse validates status and scimType, but only knows RFC 7644's statuses (no 405). */
function errorBody(error: SCIMMY.Types.SCIMError): unknown {
  try {
    return new SCIMMY.Messages.ErrorResponse(error);
  } catch {
    return { schemas: [SCIMMY.Messages.ErrorResponse.id], status: String(error.status), detail: error.message };
  }
}
