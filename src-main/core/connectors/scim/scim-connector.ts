import type { ScimAppConfig } from '../../config/schema';
import { isDriftlineError } from '../../errors';
import type { HttpClient } from '../../http/types';
import type { SecretStore } from '../../ports';
import { getCI, parseCount } from '../../scim/attribute-access';
import { parseScimPath } from '../../scim/scim-path';
import { requireSecret } from '../../secrets/resolve';
import { createWriteTracker } from '../../util/write-tracker';
import { readCaBundle, type ReadTextFile } from '../ca-bundle';
import type { ConnectionProbe, Connector, HttpClientFactory, PollContext, PollResult } from '../types';
import { discoverScim, type ScimCapabilities } from './scim-discovery';
import { createMemberReader } from './scim-members';
import { normalizeScimGroup, normalizeScimUser } from './scim-normalize';
import { listAll, type PagerResult, type PagingMode } from './scim-pager';

export interface ScimConnectorDeps {
  secrets: SecretStore;
  createHttpClient: HttpClientFactory;
  readFile?: ReadTextFile;
}

/** Groups per page when the list carries member lists: a page of huge groups is one long JSON.parse. */
export const GROUP_PAGE_WITH_MEMBERS = 100;


/** Builds the Authorization header for a SCIM app from its secret references. */
async function scimAuthHeader(config: ScimAppConfig, secrets: SecretStore): Promise<string> {
  if (config.auth.type === 'bearer') {
    return `Bearer ${await requireSecret(secrets, config.auth.token, `bearer token of "${config.name}"`)}`;
  }
  const password = await requireSecret(secrets, config.auth.password, `password of "${config.name}"`);
  return `Basic ${Buffer.from(`${config.auth.username}:${password}`).toString('base64')}`;
}

export async function createScimHttpClient(config: ScimAppConfig, deps: ScimConnectorDeps): Promise<HttpClient> {
  const authorization = await scimAuthHeader(config, deps.secrets);
  return deps.createHttpClient({
    baseUrl: config.baseUrl,
    auth: () => Promise.resolve(authorization),
    timeoutMs: config.limits.timeoutSeconds * 1000,
    maxResponseBytes: config.limits.maxResponseMegabytes * 1024 * 1024,
    requestsPerSecond: config.limits.requestsPerSecond,
    concurrency: config.limits.concurrency,
    ...(config.tls?.caFile ? { caPem: await readCaBundle(config.name, config.tls.caFile, deps.readFile) } : {}),
  });
}

function pagingMode(caps: ScimCapabilities): PagingMode {
  const p = caps.pagination;
  return p?.cursor === true && (p.index === false || p.defaultPaginationMethod === 'cursor') ? 'cursor' : 'index';
}

function pageSize(config: ScimAppConfig, caps: ScimCapabilities): number {
  const caps_ = [config.limits.pageSize, caps.pagination?.maxPageSize, caps.filter?.maxResults].filter(
    (n): n is number => typeof n === 'number' && n > 0,
  );
  return Math.min(...caps_);
}

/**
 * Polls a SCIM 2.0 service provider: discovery, all users, all groups, then each group's members
 * by GET (list responses often omit or truncate them).
 */
export function createScimConnector(config: ScimAppConfig, deps: ScimConnectorDeps): Connector {
  return {
    async poll(ctx: PollContext): Promise<PollResult> {
      const http = await createScimHttpClient(config, deps);
      try {
        return await pollWith(http, config, ctx);
      } finally {
        await http.close();
      }
    },
    async probe(ctx) {
      const http = await createScimHttpClient(config, deps);
      try {
        return await probeWith(http, config, ctx.signal);
      } finally {
        await http.close();
      }
    },
  };
}

function yesNo(value: boolean | null): string {
  return value === null ? 'not advertised' : value ? 'yes' : 'no';
}

/** Discovery plus one-item listings: proves the credentials and shows what the server can do. */
async function probeWith(http: HttpClient, config: ScimAppConfig, signal: AbortSignal): Promise<ConnectionProbe> {
  const caps = await discoverScim(http, signal);
  const count = async (endpoint: string): Promise<string> => {
    const res = await http.request({ method: 'GET', url: `${endpoint}?startIndex=1&count=1`, signal });
    const total = parseCount(getCI(res.body, 'totalResults'));
    return total === null ? 'listed (no total given)' : String(total);
  };
  const users = await count('Users');
  const groups = await count('Groups');
  const p = caps.pagination;
  const problems = [...caps.problems];
  if (caps.etag !== true) problems.push('No ETag support advertised: fixes will re-read each resource right before writing instead of using If-Match.');
  if (caps.patch === false) problems.push('PATCH is not supported: fixes will use PUT of the full resource read just before.');
  return {
    facts: [
      { label: 'Users', value: users },
      { label: 'Groups', value: groups },
      { label: 'Paging', value: p?.cursor ? `cursor (RFC 9865)${p.index ? ' and index' : ''}` : 'index (startIndex/count)' },
      { label: 'Page size used', value: String(pageSize(config, caps)) },
      { label: 'Max results', value: caps.filter?.maxResults?.toString() ?? 'not advertised' },
      { label: 'Filter', value: yesNo(caps.filter?.supported ?? null) },
      { label: 'PATCH', value: yesNo(caps.patch) },
      { label: 'ETag', value: yesNo(caps.etag) },
      { label: 'Bulk', value: caps.bulk ? `${yesNo(caps.bulk.supported)}${caps.bulk.maxOperations ? ` (max ${caps.bulk.maxOperations} operations)` : ''}` : 'not advertised' },
      { label: 'Sort', value: yesNo(caps.sort) },
      { label: 'Authentication', value: caps.authenticationSchemes.join(', ') || 'not advertised' },
    ],
    problems,
    capabilities: { ...caps },
  };
}

async function pollWith(http: HttpClient, config: ScimAppConfig, ctx: PollContext): Promise<PollResult> {
  const { signal } = ctx;
  const warnings: string[] = [];
  const notes: string[] = [];

  ctx.progress({ phase: 'discovery', message: 'Reading ServiceProviderConfig, ResourceTypes and Schemas' });
  const caps = await discoverScim(http, signal);
  warnings.push(...caps.problems);
  const mode = pagingMode(caps);
  const count = pageSize(config, caps);
  const hints = { noActiveAttribute: caps.userHasActive === false, mappedPaths: config.attributes.map((m) => parseScimPath(m.app)) };

  const members = createMemberReader(http, ctx, warnings, config.limits.concurrency);
  const pageWrites = createWriteTracker();
  const users = await listAll({
    http,
    endpoint: 'Users',
    noun: 'users',
    pageSize: count,
    maxPages: config.limits.maxPages,
    mode,
    signal,
    onPage: async (resources, p) => {
      // User.groups (read-only) is a cross-check for servers whose Group resources hide members.
      for (const r of resources) members.noteUserGroups(getCI(r, 'groups'));
      pageWrites.track(ctx.sink.users(resources.map((r) => normalizeScimUser(r, hints))));
      // The next page is fetched while this one is written, so the server, this thread and the
      // store's thread work at once; only the one before must be written by then.
      await pageWrites.atMost(1);
      ctx.progress({ phase: 'users', pages: p.pages, resources: p.resources, ...(p.total === null ? {} : { total: p.total }) });
    },
  });
  await pageWrites.settled();

  let groupCount = 0;
  const listGroups = (params: Record<string, string>): Promise<PagerResult> =>
    listAll({
      http,
      endpoint: 'Groups',
      noun: 'groups',
      // With members inline a page of groups can be huge: keep pages small enough to parse and
      // write without stalling the app.
      pageSize: params.excludedAttributes ? count : Math.min(count, GROUP_PAGE_WITH_MEMBERS),
      maxPages: config.limits.maxPages,
      mode,
      signal,
      params,
      onPage: async (resources, p) => {
        const batch = resources.map((r) => {
          const { group, members: listedMembers } = normalizeScimGroup(r);
          const attached = members.listed(group.id, perGroup ? undefined : listedMembers);
          return attached ? { ...group, members: attached } : group;
        });
        // Members that came with the page are written with their groups.
        pageWrites.track(ctx.sink.groups(batch));
        await pageWrites.atMost(1);
        groupCount += batch.length;
        ctx.progress({ phase: 'groups', pages: p.pages, resources: p.resources, ...(p.total === null ? {} : { total: p.total }) });
      },
    });
  // "auto": members come with the group list, and groups listed without them are read by id.
  // "perGroup": the list leaves members out and every group is read by id, for servers whose list
  // responses are huge or truncate member lists.
  let perGroup = config.groupMembers === 'perGroup';
  let groups: PagerResult;
  try {
    groups = await listGroups(perGroup ? { excludedAttributes: 'members' } : {});
  } catch (err) {
    // Some servers reject excludedAttributes outright: list with members then.
    if (!perGroup || !isDriftlineError(err) || (err.status !== 400 && err.status !== 501) || groupCount > 0) throw err;
    perGroup = false;
    warnings.push(`The server rejected excludedAttributes=members (${err.message}); groups were listed with their members.`);
    groups = await listGroups({});
  }

  await pageWrites.settled();
  const memberOutcome = await members.finish();
  if (memberOutcome.reason) notes.push(memberOutcome.reason);
  else if (memberOutcome.unread > 0) {
    notes.push(`Members of ${memberOutcome.unread} of ${groupCount} groups could not be read; no membership findings for those groups.`);
  }

  return {
    coverage: {
      users: true,
      inactiveUsers: true,
      groups: true,
      memberships: memberOutcome.unread === 0 ? 'all' : memberOutcome.unread === groupCount ? 'none' : 'partial',
      notes,
    },
    capabilities: {
      ...caps,
      paging: users.mode,
      pageSizeRequested: count,
      pageSizeServed: users.pageSizeSeen,
      usersTotalAnnounced: users.total,
      groupsTotalAnnounced: groups.total,
      groupMembers: perGroup ? 'perGroup' : 'auto',
      duplicatesInListing: users.duplicates + groups.duplicates,
    },
    warnings,
  };
}
