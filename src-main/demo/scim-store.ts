// The demo service provider's data: plain in-memory records in insertion order (so index paging is
// deterministic), a version counter per resource for ETags, and the indexes the server needs
// (userName uniqueness, and which groups list a member, for User.groups).
import { randomUUID } from 'node:crypto';
import SCIMMY from 'scimmy';
import {
  isJsonObject,
  type AttributeMap,
  type JsonObject,
  type JsonValue,
  type ResourceKind,
  type SchemaIndex,
} from './scim-schema';

/** A user to preload: SCIM User JSON without meta. `id` is kept when given, assigned otherwise. */
export type ScimUserSeed = JsonObject & { userName: string; id?: string };

/** A group to preload. Members name users or groups by id; `type` is looked up when omitted. */
export type ScimGroupSeed = JsonObject & {
  displayName: string;
  id?: string;
  members?: { value: string; type?: ResourceKind }[];
};

/** One resource. `data` holds its own attributes only: no id, schemas or meta, nothing derived. */
export interface StoredResource {
  readonly kind: ResourceKind;
  readonly id: string;
  data: JsonObject;
  /**
   * Groups only: the member resources themselves, so rendering needs no lookups ($ref and display are
   * derived from them). A deleted resource is removed from every group that lists it.
   */
  members: StoredResource[];
  readonly created: string;
  lastModified: string;
  /** Starts at 1, bumped by every change; rendered as meta.version and the ETag. */
  version: number;
}

class Collection {
  readonly byId = new Map<string, StoredResource>();
  readonly order: StoredResource[] = [];

  add(record: StoredResource): void {
    this.byId.set(record.id, record);
    this.order.push(record);
  }

  remove(record: StoredResource): void {
    this.byId.delete(record.id);
    this.order.splice(this.order.indexOf(record), 1);
  }
}

export class ScimStore {
  private readonly collections: Record<ResourceKind, Collection> = { User: new Collection(), Group: new Collection() };
  /** Lower-cased userName → user: userName is unique and caseExact false (RFC 7643 §4.1.1). */
  private readonly userNames = new Map<string, StoredResource>();
  /** Member id → the groups listing it, in the order the memberships were made. */
  private readonly memberOf = new Map<string, Set<StoredResource>>();

  constructor(
    private readonly schemas: Record<ResourceKind, SchemaIndex>,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  get(kind: ResourceKind, id: string): StoredResource | undefined {
    return this.collections[kind].byId.get(id);
  }

  require(kind: ResourceKind, id: string): StoredResource {
    const record = this.get(kind, id);
    if (!record) throw new SCIMMY.Types.Error(404, '', `${kind} ${id} not found`);
    return record;
  }

  /** Every resource of a kind, in insertion order. */
  all(kind: ResourceKind): readonly StoredResource[] {
    return this.collections[kind].order;
  }

  byUserName(userName: string): StoredResource | undefined {
    return this.userNames.get(userName.toLowerCase());
  }

  /** The groups that list `id` (a user or a group) as a member. */
  groupsOf(id: string): Iterable<StoredResource> {
    return this.memberOf.get(id) ?? [];
  }

  /** The user or group a member value points at. */
  member(id: string): StoredResource | undefined {
    return this.get('User', id) ?? this.get('Group', id);
  }

  /**
   * Loads trusted seed data without scimmy's per-resource validation, which costs about a millisecond a
   * user and would make a 100k-user seed take minutes. Attribute names are checked against scimmy's
   * schema and canonicalised; an unknown attribute, a duplicate id or userName, or a member that does not
   * exist fails the whole seed.
   */
  seed(users: readonly ScimUserSeed[], groups: readonly ScimGroupSeed[]): void {
    const at = this.now();
    users.forEach((seed, i) => {
      withContext(`users[${i}]`, () => this.insert('User', this.canonicalSeed('User', seed), [], seed.id, at));
    });
    // Groups first, members second: a group may list a group seeded after it.
    const created = groups.map((seed, i) =>
      withContext(`groups[${i}]`, () => {
        const { members, ...rest } = seed;
        const record = this.insert('Group', this.canonicalSeed('Group', rest), [], seed.id, at);
        return { record, members: members && canonicalValue(this.membersSchema(), members, 'members') };
      }),
    );
    created.forEach(({ record, members }, i) => {
      withContext(`groups[${i}]`, () => this.setMembers(record, this.toMembers(members)));
    });
  }

  /** Creates (id undefined) or replaces a resource from scimmy-validated SCIM data. */
  write(kind: ResourceKind, id: string | undefined, scim: JsonObject): StoredResource {
    // id and meta are server-managed, schemas is re-derived when rendering, User.groups is read-only.
    const { id: _id, schemas: _schemas, meta: _meta, groups: _groups, members, ...data } = scim;
    const stored = kind === 'Group' ? this.toMembers(members) : [];
    if (id === undefined) return this.insert(kind, data, stored, undefined, this.now());
    const record = this.require(kind, id);
    if (kind === 'User') this.claimUserName(record, data.userName);
    const unchanged =
      JSON.stringify(data) === JSON.stringify(record.data) &&
      stored.length === record.members.length &&
      stored.every((member, i) => member === record.members[i]);
    // An unchanged resource keeps its version, so a no-op PUT or PATCH does not invalidate clients' ETags.
    if (unchanged) return record;
    record.data = data;
    if (kind === 'Group') this.setMembers(record, stored);
    this.touch(record);
    return record;
  }

  delete(kind: ResourceKind, id: string): void {
    const record = this.require(kind, id);
    // A deleted resource also leaves every group that listed it.
    for (const group of this.groupsOf(id)) {
      group.members = group.members.filter((member) => member !== record);
      this.touch(group);
    }
    this.memberOf.delete(id);
    this.setMembers(record, []);
    if (kind === 'User' && typeof record.data.userName === 'string') this.userNames.delete(record.data.userName.toLowerCase());
    this.collections[kind].remove(record);
  }

  private insert(
    kind: ResourceKind,
    data: JsonObject,
    members: StoredResource[],
    id: string | undefined,
    at: string,
  ): StoredResource {
    const record: StoredResource = {
      kind,
      id: id ?? randomUUID(),
      data,
      members: [],
      created: at,
      lastModified: at,
      version: 1,
    };
    if (this.get(kind, record.id)) throw new SCIMMY.Types.Error(409, 'uniqueness', `${kind} id '${record.id}' already exists`);
    if (kind === 'User') this.claimUserName(record, data.userName);
    this.collections[kind].add(record);
    this.setMembers(record, members);
    return record;
  }

  private claimUserName(record: StoredResource, userName: JsonValue | undefined): void {
    if (typeof userName !== 'string' || userName === '') {
      throw new SCIMMY.Types.Error(400, 'invalidValue', 'userName is required');
    }
    const owner = this.userNames.get(userName.toLowerCase());
    if (owner && owner !== record) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName '${userName}' is already taken`);
    const previous = record.data.userName;
    if (typeof previous === 'string') this.userNames.delete(previous.toLowerCase());
    this.userNames.set(userName.toLowerCase(), record);
  }

  private setMembers(group: StoredResource, members: StoredResource[]): void {
    for (const old of group.members) this.memberOf.get(old.id)?.delete(group);
    group.members = members;
    for (const { id } of members) {
      let groups = this.memberOf.get(id);
      if (!groups) this.memberOf.set(id, (groups = new Set()));
      groups.add(group);
    }
  }

  /** Checks member references; drops repeats, since adding an existing member is not an error (RFC 7644 §3.5.2.1). */
  private toMembers(raw: JsonValue | undefined): StoredResource[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw new SCIMMY.Types.Error(400, 'invalidValue', 'members must be a list');
    const members = new Map<string, StoredResource>();
    for (const entry of raw) {
      if (!isJsonObject(entry) || typeof entry.value !== 'string') {
        throw new SCIMMY.Types.Error(400, 'invalidValue', 'Every member needs a string value');
      }
      const target = this.member(entry.value);
      if (!target) throw new SCIMMY.Types.Error(400, 'invalidValue', `Member '${entry.value}' does not exist`);
      if (entry.type !== undefined && entry.type !== target.kind) {
        const detail = `Member '${entry.value}' is a ${target.kind}, not a ${String(entry.type)}`;
        throw new SCIMMY.Types.Error(400, 'invalidValue', detail);
      }
      members.set(target.id, target);
    }
    return [...members.values()];
  }

  private touch(record: StoredResource): void {
    record.version += 1;
    record.lastModified = this.now();
  }

  private canonicalSeed(kind: ResourceKind, seed: JsonObject): JsonObject {
    const { id: _id, schemas: _schemas, meta: _meta, ...attributes } = seed;
    if (kind === 'User' && attributes.groups !== undefined) {
      throw new TypeError('User.groups is read-only; list memberships on the groups');
    }
    return canonicalObject(this.schemas[kind].attributes, attributes, '');
  }

  private membersSchema(): AttributeMap {
    const members = this.schemas.Group.attributes.get('members')?.children;
    if (!members) throw new TypeError('scimmy Group schema has no members attribute');
    return members;
  }
}

/** Renames attributes to their schema spelling (names are case-insensitive); rejects unknown ones. */
function canonicalObject(attributes: AttributeMap, raw: JsonObject, path: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    const info = attributes.get(key.toLowerCase());
    if (!info) throw new TypeError(`unknown attribute '${path}${key}'`);
    out[info.name] = info.children && value !== undefined ? canonicalValue(info.children, value, `${path}${info.name}`) : value;
  }
  return out;
}

function canonicalValue(attributes: AttributeMap, value: JsonValue, path: string): JsonValue {
  if (Array.isArray(value)) return value.map((item) => canonicalValue(attributes, item, path));
  if (isJsonObject(value)) return canonicalObject(attributes, value, `${path}.`);
  throw new TypeError(`'${path}' expects a complex value`);
}

function withContext<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new TypeError(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
