// Everything that touches scimmy's process-global registry lives here.
//
// scimmy keeps declared resources, their ingress/egress/degress handlers, each resource's basepath and the
// ServiceProviderConfig in static, process-wide state, while tests start many demo servers in one process.
// So the registry holds only what is the same for every server: the User (+ enterprise extension) and Group
// declarations and one set of handlers. Each call into scimmy passes a `ScimmyCall` as scimmy's `ctx`
// argument, and the handlers reach the calling server's data through it. Nothing per server is ever written
// to scimmy: basepaths and the ServiceProviderConfig are passed to scimmy's schema classes explicitly
// (see scim-app.ts), so no lock or request serialisation across servers is needed.
import SCIMMY from 'scimmy';

/** The two SCIM resource types the demo service provider serves. */
export type ResourceKind = 'User' | 'Group';

/** A JSON value as stored and served. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object; `undefined` members are left out when serialised. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const ENTERPRISE_USER_SCHEMA = SCIMMY.Schemas.EnterpriseUser.id;
export const CORE_SCHEMA: Readonly<Record<ResourceKind, string>> = {
  User: SCIMMY.Schemas.User.id,
  Group: SCIMMY.Schemas.Group.id,
};

/** What the demo needs to know about one attribute of a scimmy schema definition. */
export interface AttributeInfo {
  /** Canonical name; for an extension schema, its URN. */
  readonly name: string;
  /** A string attribute with caseExact false: filters and sorting compare it folded to lower case. */
  readonly foldCase: boolean;
  readonly multiValued: boolean;
  readonly extension: boolean;
  /** Sub-attributes of a complex attribute, or the attributes of an extension schema. */
  readonly children?: AttributeMap;
}
/** Attributes keyed by lower-case name: SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
export type AttributeMap = ReadonlyMap<string, AttributeInfo>;

/** A resource type's attributes, derived once from scimmy's schema definition. */
export interface SchemaIndex {
  readonly kind: ResourceKind;
  /** The core schema URN, e.g. urn:ietf:params:scim:schemas:core:2.0:User */
  readonly schemaId: string;
  readonly attributes: AttributeMap;
}

/** The data side of one server, as scimmy's handlers need it. Implemented per server in scim-app.ts. */
export interface ScimmyBackend {
  /** The resource's full representation; throws a 404 SCIM error when it does not exist. */
  read(kind: ResourceKind, id: string): JsonObject;
  /** Creates (id undefined) or replaces a resource from scimmy-validated data; returns the new representation. */
  write(kind: ResourceKind, id: string | undefined, data: JsonObject): JsonObject;
  remove(kind: ResourceKind, id: string): void;
}

/** scimmy's `ctx` for one call: routes the shared handlers to the calling server's backend. */
export class ScimmyCall {
  constructor(readonly backend: ScimmyBackend) {}
}

/** The scimmy resource class serving a kind. */
export function scimmyResource(kind: ResourceKind): typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group {
  return kind === 'User' ? SCIMMY.Resources.User : SCIMMY.Resources.Group;
}

let indexes: Record<ResourceKind, SchemaIndex> | undefined;

/** Declares User and Group with scimmy (once per process) and returns their attribute indexes. */
export function scimSchemas(): Record<ResourceKind, SchemaIndex> {
  if (indexes) return indexes;
  for (const kind of ['User', 'Group'] as const) {
    // `declare`'s config overload is typed `any`, so the handlers keep the precise types written below.
    SCIMMY.Resources.declare(scimmyResource(kind), {
      ...(kind === 'User' ? { extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }] } : {}),
      ingress: (resource: SCIMMY.Types.Resource, instance: SCIMMY.Types.Schema, ctx: unknown) =>
        backendOf(ctx).write(kind, resource.id, dataOf(instance)),
      egress: (resource: SCIMMY.Types.Resource, ctx: unknown) => {
        // Lists never reach scimmy (scim-query.ts pages the store directly); egress only serves by-id reads,
        // which is what scimmy's PATCH does before applying the operations.
        if (resource.id === undefined) throw new SCIMMY.Types.Error(500, '', 'List reads do not go through scimmy');
        return backendOf(ctx).read(kind, resource.id);
      },
      degress: (resource: SCIMMY.Types.Resource, ctx: unknown) => {
        if (resource.id === undefined) throw new SCIMMY.Types.Error(404, '', 'DELETE must target a resource');
        backendOf(ctx).remove(kind, resource.id);
      },
    });
  }
  indexes = { User: indexSchema('User'), Group: indexSchema('Group') };
  return indexes;
}

function backendOf(ctx: unknown): ScimmyBackend {
  if (ctx instanceof ScimmyCall) return ctx.backend;
  throw new SCIMMY.Types.Error(500, '', 'scimmy was called without a demo server context');
}

/** A validated scimmy instance as plain data: toJSON drops returned:never values such as password. */
function dataOf(instance: SCIMMY.Types.Schema): JsonObject {
  const plain: unknown = JSON.parse(JSON.stringify(instance));
  if (!isJsonObject(plain)) throw new SCIMMY.Types.Error(400, 'invalidSyntax', 'Expected a SCIM resource object');
  return plain;
}

function indexSchema(kind: ResourceKind): SchemaIndex {
  const definition = scimmyResource(kind).schema.definition;
  return { kind, schemaId: definition.id, attributes: indexAttributes(definition.attributes) };
}

function indexAttributes(attributes: readonly SCIMMY.Types.Attribute[]): AttributeMap {
  const map = new Map<string, AttributeInfo>();
  for (const attribute of attributes) {
    // A definition's attribute list also holds its extension schemas (scimmy's typings only say Attribute).
    const info: AttributeInfo =
      attribute instanceof SCIMMY.Types.SchemaDefinition
        ? {
            name: attribute.id,
            foldCase: false,
            multiValued: false,
            extension: true,
            children: indexAttributes(attribute.attributes),
          }
        : {
            name: attribute.name,
            foldCase: attribute.type === 'string' && attribute.config.caseExact !== true,
            multiValued: attribute.config.multiValued === true,
            extension: false,
            ...(attribute.type === 'complex' ? { children: indexAttributes(attribute.subAttributes ?? []) } : {}),
          };
    map.set(info.name.toLowerCase(), info);
  }
  return map;
}

/**
 * Resolves an attribute path as a client writes it (`userName`, `name.givenName`, `members.value`,
 * `urn:…:enterprise:2.0:User`, `urn:…:enterprise:2.0:User:manager.value`, `urn:…:core:2.0:User:userName`)
 * to the chain of attributes it names, or undefined when the schema has no such attribute.
 */
export function resolvePath(index: SchemaIndex, path: string): AttributeInfo[] | undefined {
  const lower = path.toLowerCase();
  if (!lower.startsWith('urn:')) return resolveDotted(index.attributes, path);
  const core = index.schemaId.toLowerCase();
  if (lower.startsWith(`${core}:`)) return resolveDotted(index.attributes, path.slice(core.length + 1));
  for (const info of index.attributes.values()) {
    const urn = info.name.toLowerCase();
    if (!info.extension || !info.children) continue;
    if (lower === urn) return [info];
    if (lower.startsWith(`${urn}:`)) {
      const rest = resolveDotted(info.children, path.slice(urn.length + 1));
      return rest && [info, ...rest];
    }
  }
  return undefined;
}

function resolveDotted(attributes: AttributeMap, path: string): AttributeInfo[] | undefined {
  const chain: AttributeInfo[] = [];
  let level: AttributeMap | undefined = attributes;
  for (const segment of path.split('.')) {
    const info: AttributeInfo | undefined = level?.get(segment.toLowerCase());
    if (!info) return undefined;
    chain.push(info);
    level = info.children;
  }
  return chain;
}
