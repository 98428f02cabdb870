// Turns stored records into SCIM JSON, and applies `attributes` / `excludedAttributes`.
//
// Responses are built here rather than by scimmy's schema classes: scimmy coerces every outbound resource
// attribute by attribute (about 0.35 ms a user and 1.7 ms for a group of 50 members on the reference
// machine), which makes a 100k-user pass take most of a minute. Stored data has already been through
// scimmy's validation on the way in (or is trusted seed data with canonical names, see ScimStore.seed), so
// rendering only adds id, schemas, meta and the derived attributes. scimmy's own projection also throws on
// ordinary requests (`attributes=name.givenName` or `excludedAttributes=schemas` for a user with enterprise
// data, `attributes=meta.version`), so projection is done here too, with names resolved through scimmy's schemas.
import {
  CORE_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  isJsonObject,
  resolvePath,
  type JsonObject,
  type JsonValue,
  type ResourceKind,
  type SchemaIndex,
} from './scim-schema';
import type { ScimStore, StoredResource } from './scim-store';

/** The derived, read-only attribute of each kind, and the expensive part of rendering it. */
export const DERIVED: Readonly<Record<ResourceKind, string>> = { User: 'groups', Group: 'members' };

export interface RenderOptions {
  /** Base URL of the SCIM API, e.g. http://127.0.0.1:41234/scim/v2 */
  readonly baseUrl: string;
  readonly etags: boolean;
}

export class ScimRenderer {
  /** Location prefix per kind: one concatenation per $ref, of which a group page renders 50 000. */
  private readonly endpoints: Readonly<Record<ResourceKind, string>>;

  constructor(
    private readonly store: ScimStore,
    private readonly options: RenderOptions,
  ) {
    this.endpoints = { User: `${options.baseUrl}/Users/`, Group: `${options.baseUrl}/Groups/` };
  }

  location(record: StoredResource): string {
    return this.endpoints[record.kind] + record.id;
  }

  /** The ETag (also meta.version), or undefined when the server runs without ETags. */
  etag(record: StoredResource): string | undefined {
    return this.options.etags ? `W/"${record.version}"` : undefined;
  }

  /** The resource as a response carries it, after `attributes` / `excludedAttributes`. */
  render(record: StoredResource, projection: Projection | undefined): JsonObject {
    const resource = this.full(record, projects(projection, DERIVED[record.kind]));
    return projection ? project(resource, projection) : resource;
  }

  /**
   * The resource as a plain GET returns it. `derived` false leaves out User.groups / Group.members,
   * for requests that exclude them: building 500k member objects nobody asked for is most of the cost.
   */
  full(record: StoredResource, derived = true): JsonObject {
    // One literal with a single trailing spread: a second spread (`{ ...head, ...data }`) takes a slow path
    // in V8 that costs ~10 µs a resource, about a second per 100k users.
    const core = CORE_SCHEMA[record.kind];
    const resource: JsonObject = {
      schemas: record.data[ENTERPRISE_USER_SCHEMA] === undefined ? [core] : [core, ENTERPRISE_USER_SCHEMA],
      id: record.id,
      meta: {
        resourceType: record.kind,
        created: record.created,
        lastModified: record.lastModified,
        location: this.location(record),
        version: this.etag(record),
      },
      ...record.data,
    };
    if (derived && record.kind === 'User') {
      const groups = [...this.store.groupsOf(record.id)].map((group) => ({
        value: group.id,
        $ref: this.location(group),
        display: group.data.displayName,
        type: 'direct',
      }));
      if (groups.length > 0) resource.groups = groups;
    }
    if (derived && record.members.length > 0) {
      resource.members = record.members.map((member) => ({
        value: member.id,
        $ref: this.location(member),
        display: member.data.displayName ?? member.data.userName,
        type: member.kind,
      }));
    }
    return resource;
  }
}

type ProjectionTree = ReadonlyMap<string, ProjectionTree | true>;
type TreeBuilder = Map<string, TreeBuilder | true>;

/** A parsed `attributes` (include) or `excludedAttributes` (exclude) request, by canonical attribute name. */
export interface Projection {
  readonly mode: 'include' | 'exclude';
  /** `true` selects a whole attribute; a nested tree selects some of its sub-attributes. */
  readonly tree: ProjectionTree;
}

/**
 * Parses the attribute lists of a request. `attributes` wins when both are given (as in scimmy);
 * names the schema does not define are ignored.
 */
export function parseProjection(
  index: SchemaIndex,
  attributes: readonly string[] | undefined,
  excludedAttributes: readonly string[] | undefined,
): Projection | undefined {
  const mode = attributes?.length ? 'include' : excludedAttributes?.length ? 'exclude' : undefined;
  if (!mode) return undefined;
  const tree: TreeBuilder = new Map();
  for (const path of (mode === 'include' ? attributes : excludedAttributes) ?? []) {
    const chain = resolvePath(index, path.trim());
    if (chain) select(tree, chain.map((info) => info.name));
  }
  return { mode, tree };
}

function select(tree: TreeBuilder, names: readonly string[]): void {
  let level = tree;
  for (const [i, name] of names.entries()) {
    const existing = level.get(name);
    // A whole attribute is already selected: naming one of its sub-attributes too changes nothing.
    if (existing === true) return;
    if (i === names.length - 1) {
      level.set(name, true);
      return;
    }
    const next: TreeBuilder = existing ?? new Map();
    level.set(name, next);
    level = next;
  }
}

/** Whether a top-level attribute survives the projection (so it is worth deriving). */
function projects(projection: Projection | undefined, name: string): boolean {
  if (!projection) return true;
  return projection.mode === 'include' ? projection.tree.has(name) : projection.tree.get(name) !== true;
}

/** id is returned "always" (RFC 7643 §2.4), and every representation names its schemas (RFC 7643 §3). */
const ALWAYS_RETURNED: ReadonlySet<string> = new Set(['id', 'schemas']);

function project(resource: JsonObject, projection: Projection): JsonObject {
  return pick(resource, projection.tree, projection.mode, ALWAYS_RETURNED);
}

function pick(object: JsonObject, tree: ProjectionTree, mode: Projection['mode'], always?: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const node = tree.get(key);
    if (always?.has(key) || (node === undefined && mode === 'exclude') || (node === true && mode === 'include')) {
      out[key] = value;
    } else if (node instanceof Map && value !== undefined) {
      const picked = pickValue(value, node, mode);
      if (picked !== undefined) out[key] = picked;
    }
  }
  return out;
}

/** Sub-attribute selection inside a complex value, or inside each value of a multi-valued one. */
function pickValue(value: JsonValue, tree: ProjectionTree, mode: Projection['mode']): JsonValue | undefined {
  if (Array.isArray(value)) {
    const items = value.filter(isJsonObject).map((item) => pick(item, tree, mode)).filter(isNonEmpty);
    return items.length > 0 ? items : undefined;
  }
  if (isJsonObject(value)) {
    const picked = pick(value, tree, mode);
    return isNonEmpty(picked) ? picked : undefined;
  }
  return undefined;
}

function isNonEmpty(object: JsonObject): boolean {
  return Object.values(object).some((v) => v !== undefined);
}
