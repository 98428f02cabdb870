import type { ConnectionDto, SecretFieldDto } from '../../../../src-main/contract/dto';

// The add/edit form's state, and its conversion to and from the config format (README
// "Configuration"). Secrets never come back from the core: the form shows whether one is set and
// sends a value only when the admin types one.

export type ConnectionType = ConnectionDto['type'];

export const LIMIT_FIELDS = [
  { key: 'requestsPerSecond', label: 'Requests per second', fallback: 10, min: 0.1, max: 1000, decimals: 2 },
  { key: 'concurrency', label: 'Parallel requests', fallback: 4, min: 1, max: 32, decimals: 0 },
  { key: 'pageSize', label: 'Page size', fallback: 100, min: 1, max: 10_000, decimals: 0 },
  { key: 'timeoutSeconds', label: 'Request timeout (s)', fallback: 60, min: 1, max: 3600, decimals: 0 },
  { key: 'maxResponseMegabytes', label: 'Largest response (MB)', fallback: 64, min: 1, max: 1024, decimals: 0 },
  { key: 'maxPages', label: 'Most pages per listing', fallback: 100_000, min: 1, max: 10_000_000, decimals: 0 },
] as const;

export type LimitKey = (typeof LIMIT_FIELDS)[number]['key'];
/** A blank limit means "the default". */
export type LimitsDraft = Record<LimitKey, number | ''>;

/** Where a secret comes from: typed into the form (kept in the secret store), or an environment variable. */
export interface SecretDraft {
  source: 'store' | 'env';
  /** Typed value; empty keeps the stored secret when editing. */
  value: string;
  env: string;
}

export type CaseRule = 'default' | 'yes' | 'no';

export interface MatchRuleDraft {
  id: number;
  app: string;
  idp: string;
  caseSensitive: CaseRule;
}

export interface AttributeDraft {
  id: number;
  app: string;
  idp: string;
  caseSensitive: boolean;
}

export interface ScimDraft {
  type: 'scim';
  name: string;
  baseUrl: string;
  authType: 'bearer' | 'basic';
  username: string;
  secret: SecretDraft;
  match: MatchRuleDraft[];
  scopeType: 'all' | 'groups';
  scopeGroups: string[];
  attributes: AttributeDraft[];
  groupsEnabled: boolean;
  groupsMatch: 'displayName' | 'externalId';
  groupsOnly: string[];
  groupMembers: 'auto' | 'perGroup';
  limits: LimitsDraft;
  caFile: string;
  /**
   * The write settings (allowDelete, PATCH form, If-Match, bulk threshold…), which this form does
   * not edit: carried through as stored, so saving the form never resets them to the defaults.
   */
  writes: Record<string, unknown> | null;
}

export interface OktaDraft {
  type: 'okta';
  name: string;
  orgUrl: string;
  secret: SecretDraft;
  limits: LimitsDraft;
  caFile: string;
}

export interface CsvDraft {
  type: 'csv';
  name: string;
  path: string;
  delimiter: string;
}

export type ConnectionDraft = ScimDraft | OktaDraft | CsvDraft;

let lastRowId = 0;
/** Keys for editable list rows, so React keeps each row's inputs when rows move or go. */
export function newRowId(): number {
  lastRowId += 1;
  return lastRowId;
}

const NO_LIMITS: LimitsDraft = { requestsPerSecond: '', concurrency: '', pageSize: '', timeoutSeconds: '', maxResponseMegabytes: '', maxPages: '' };
const NEW_SECRET: SecretDraft = { source: 'store', value: '', env: '' };

export function emptyDraft(type: ConnectionType, name = ''): ConnectionDraft {
  switch (type) {
    case 'scim':
      return {
        type,
        name,
        baseUrl: '',
        authType: 'bearer',
        username: '',
        secret: NEW_SECRET,
        match: [
          { id: newRowId(), app: 'externalId', idp: 'id', caseSensitive: 'default' },
          { id: newRowId(), app: 'userName', idp: 'userName', caseSensitive: 'default' },
        ],
        scopeType: 'all',
        scopeGroups: [],
        attributes: [],
        groupsEnabled: true,
        groupsMatch: 'displayName',
        groupsOnly: [],
        groupMembers: 'auto',
        limits: NO_LIMITS,
        caFile: '',
        writes: null,
      };
    case 'okta':
      return { type, name, orgUrl: '', secret: NEW_SECRET, limits: NO_LIMITS, caFile: '' };
    case 'csv':
      return { type, name, path: '', delimiter: '' };
  }
}

/** The config path of a draft's one secret, as the core names it (SecretFieldDto.field). */
export function secretField(draft: ScimDraft | OktaDraft): string {
  if (draft.type === 'okta') return 'token';
  return draft.authType === 'basic' ? 'auth.password' : 'auth.token';
}

// Reading a stored config defensively: it is the core's JSON, typed only as a record.
function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(rec) : [];
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function getPath(config: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => rec(node)[key], config);
}

function withPath(config: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return config;
  return { ...config, [head]: rest.length === 0 ? value : withPath(rec(config[head]), rest.join('.'), value) };
}

function secretDraftOf(config: Record<string, unknown>, field: string): SecretDraft {
  const env = str(rec(getPath(config, field)).env);
  return env ? { source: 'env', value: '', env } : NEW_SECRET;
}

function limitsOf(value: unknown): LimitsDraft {
  const limits = rec(value);
  const draft = { ...NO_LIMITS };
  for (const { key } of LIMIT_FIELDS) {
    const n = limits[key];
    draft[key] = typeof n === 'number' ? n : '';
  }
  return draft;
}

export function draftFromConnection(connection: ConnectionDto): ConnectionDraft {
  const c = connection.config;
  switch (connection.type) {
    case 'scim': {
      const auth = rec(c.auth);
      const authType = auth.type === 'basic' ? 'basic' : 'bearer';
      const scope = rec(c.scope);
      const groups = c.groups === undefined ? null : rec(c.groups);
      return {
        type: 'scim',
        name: connection.name,
        baseUrl: str(c.baseUrl),
        authType,
        username: str(auth.username),
        secret: secretDraftOf(c, authType === 'basic' ? 'auth.password' : 'auth.token'),
        match: list(c.match).map((m) => ({
          id: newRowId(),
          app: str(m.app),
          idp: str(m.idp),
          caseSensitive: m.caseSensitive === true ? 'yes' : m.caseSensitive === false ? 'no' : 'default',
        })),
        scopeType: scope.type === 'groups' ? 'groups' : 'all',
        scopeGroups: strings(scope.groups),
        attributes: list(c.attributes).map((a) => ({ id: newRowId(), app: str(a.app), idp: str(a.idp), caseSensitive: a.caseSensitive !== false })),
        groupsEnabled: groups !== null,
        groupsMatch: groups?.match === 'externalId' ? 'externalId' : 'displayName',
        groupsOnly: strings(groups?.only),
        groupMembers: c.groupMembers === 'perGroup' ? 'perGroup' : 'auto',
        limits: limitsOf(c.limits),
        caFile: str(rec(c.tls).caFile),
        writes: c.writes === undefined ? null : rec(c.writes),
      };
    }
    case 'okta':
      return { type: 'okta', name: connection.name, orgUrl: str(c.orgUrl), secret: secretDraftOf(c, 'token'), limits: limitsOf(c.limits), caFile: str(rec(c.tls).caFile) };
    case 'csv':
      return { type: 'csv', name: connection.name, path: str(c.path), delimiter: str(c.delimiter) };
  }
}

export interface SaveRequest {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** Either what to send to `connections.save`, or errors by config path for fields left empty. */
export type DraftResult = { ok: true; request: SaveRequest } | { ok: false; errors: Record<string, string> };

function limitsConfig(limits: LimitsDraft): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { key } of LIMIT_FIELDS) {
    const value = limits[key];
    if (value !== '') out[key] = value;
  }
  return out;
}

/**
 * Builds the config and the secrets to send. `existing` is the connection being edited: an empty
 * secret field keeps its stored secret reference.
 */
export function toSaveRequest(draft: ConnectionDraft, existing: ConnectionDto | null): DraftResult {
  const errors: Record<string, string> = {};
  const name = draft.name.trim();
  if (!name) errors.name = 'Give the connection a name.';

  let config: Record<string, unknown>;
  switch (draft.type) {
    case 'scim':
      config = {
        name,
        type: 'scim',
        baseUrl: draft.baseUrl.trim(),
        auth: draft.authType === 'basic' ? { type: 'basic', username: draft.username.trim() } : { type: 'bearer' },
        // No rules: the core's default (userName ↔ userName) applies.
        ...(draft.match.length > 0
          ? {
              match: draft.match.map((m) => ({
                app: m.app.trim(),
                idp: m.idp.trim(),
                ...(m.caseSensitive === 'default' ? {} : { caseSensitive: m.caseSensitive === 'yes' }),
              })),
            }
          : {}),
        scope: draft.scopeType === 'groups' ? { type: 'groups', groups: draft.scopeGroups } : { type: 'all' },
        attributes: draft.attributes.map((a) => ({ app: a.app.trim(), idp: a.idp.trim(), caseSensitive: a.caseSensitive })),
        ...(draft.groupsEnabled ? { groups: { match: draft.groupsMatch, ...(draft.groupsOnly.length > 0 ? { only: draft.groupsOnly } : {}) } } : {}),
        groupMembers: draft.groupMembers,
        limits: limitsConfig(draft.limits),
        ...(draft.caFile.trim() ? { tls: { caFile: draft.caFile.trim() } } : {}),
        ...(draft.writes ? { writes: draft.writes } : {}),
      };
      if (!draft.baseUrl.trim()) errors.baseUrl = 'Enter the SCIM base URL.';
      if (draft.authType === 'basic' && !draft.username.trim()) errors['auth.username'] = 'Enter the user name.';
      break;
    case 'okta':
      config = {
        name,
        type: 'okta',
        orgUrl: draft.orgUrl.trim(),
        limits: limitsConfig(draft.limits),
        ...(draft.caFile.trim() ? { tls: { caFile: draft.caFile.trim() } } : {}),
      };
      if (!draft.orgUrl.trim()) errors.orgUrl = 'Enter the Okta org URL.';
      break;
    case 'csv':
      config = { name, type: 'csv', path: draft.path.trim(), ...(draft.delimiter ? { delimiter: draft.delimiter } : {}) };
      if (!draft.path.trim()) errors.path = 'Enter the path of the CSV file.';
      break;
  }

  const secrets: Record<string, string> = {};
  if (draft.type !== 'csv') {
    const field = secretField(draft);
    const { source, value, env } = draft.secret;
    if (source === 'env') {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(env.trim())) config = withPath(config, field, { env: env.trim() });
      else errors[field] = 'Enter an environment variable name (letters, digits, _).';
    } else if (value !== '') {
      secrets[field] = value;
    } else {
      const kept = existing ? rec(getPath(existing.config, field)) : {};
      if (typeof kept.secret === 'string') config = withPath(config, field, { secret: kept.secret });
      else errors[field] = 'Enter the secret.';
    }
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, request: { config, secrets } };
}

/** The core's word on a secret field of the connection being edited. */
export function secretStatus(existing: ConnectionDto | null, field: string): SecretFieldDto | undefined {
  return existing?.secrets.find((s) => s.field === field);
}
