import type { ScimAppConfig } from '../../config/schema';
import { isDriftlineError } from '../../errors';
import type { HttpClient } from '../../http/types';
import type { MemberRef } from '../../model';
import type { SecretStore } from '../../ports';
import { getCI, stringOrNull } from '../../scim/attribute-access';
import { requireSecret } from '../../secrets';
import { runBounded } from '../../util/concurrency';
import { readCaBundle, type ReadTextFile } from '../ca-bundle';
import type { Connector, HttpClientFactory, PollContext, PollResult } from '../types';
import { discoverScim, type ScimCapabilities } from './scim-discovery';
import { normalizeMembers, normalizeScimGroup, normalizeScimUser } from './scim-normalize';
import { listAll, type PagerResult, type PagingMode } from './scim-pager';

export interface ScimConnectorDeps {
  secrets: SecretStore;
  createHttpClient: HttpClientFactory;
  readFile?: ReadTextFile;
}

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

/** Errors that end the whole run rather than one group's member listing. */
function isRunFatal(err: unknown): boolean {
  return !isDriftlineError(err) || ['auth_rejected', 'cancelled', 'rate_limited', 'tls_untrusted', 'secret_missing'].includes(err.code);
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
  const hints = { noActiveAttribute: caps.userHasActive === false };

  // Memberships the users claim through the read-only User.groups attribute: a cross-check for
  // servers whose Group resources never show members.
  const claimedMembers = new Map<string, number>();
  const users = await listAll({
    http,
    endpoint: 'Users',
    noun: 'users',
    pageSize: count,
    maxPages: config.limits.maxPages,
    mode,
    signal,
    onPage: (resources, p) => {
      for (const r of resources) {
        const groups = getCI(r, 'groups');
        if (!Array.isArray(groups)) continue;
        for (const g of groups) {
          const gid = stringOrNull(getCI(g, 'value'));
          if (gid !== null) claimedMembers.set(gid, (claimedMembers.get(gid) ?? 0) + 1);
        }
      }
      ctx.sink.users(resources.map((r) => normalizeScimUser(r, hints)));
      ctx.progress({ phase: 'users', pages: p.pages, resources: p.resources, ...(p.total === null ? {} : { total: p.total }) });
    },
  });

  const groupIds: string[] = [];
  const listGroups = (params: Record<string, string>): Promise<PagerResult> =>
    listAll({
      http,
      endpoint: 'Groups',
      noun: 'groups',
      pageSize: count,
      maxPages: config.limits.maxPages,
      mode,
      signal,
      params,
      onPage: (resources, p) => {
        const batch = resources.map((r) => normalizeScimGroup(r).group);
        for (const g of batch) groupIds.push(g.id);
        ctx.sink.groups(batch);
        ctx.progress({ phase: 'groups', pages: p.pages, resources: p.resources, ...(p.total === null ? {} : { total: p.total }) });
      },
    });
  let groups: PagerResult;
  let excludedAttributesHonoured = true;
  try {
    groups = await listGroups({ excludedAttributes: 'members' });
  } catch (err) {
    // Some servers reject excludedAttributes outright; list with members then (they are re-read below).
    if (!isDriftlineError(err) || (err.status !== 400 && err.status !== 501) || groupIds.length > 0) throw err;
    excludedAttributesHonoured = false;
    warnings.push(`The server rejected excludedAttributes=members (${err.message}); groups were listed with their members.`);
    groups = await listGroups({});
  }

  const members = await readMembers(http, groupIds, claimedMembers, config.limits.concurrency, ctx, warnings);
  if (members.unread === groupIds.length && groupIds.length > 0) {
    notes.push(members.reason ?? `None of the ${groupIds.length} groups' member lists could be read (see the warnings); no membership findings for this app.`);
  } else if (members.unread > 0) {
    notes.push(`Members of ${members.unread} of ${groupIds.length} groups could not be read; no membership findings for those groups.`);
  }

  return {
    coverage: {
      users: true,
      inactiveUsers: true,
      groups: true,
      memberships: members.unread === 0 ? 'all' : members.unread === groupIds.length ? 'none' : 'partial',
      notes,
    },
    capabilities: {
      ...caps,
      paging: users.mode,
      pageSizeRequested: count,
      pageSizeServed: users.pageSizeSeen,
      usersTotalAnnounced: users.total,
      groupsTotalAnnounced: groups.total,
      excludedAttributesHonoured,
      duplicatesInListing: users.duplicates + groups.duplicates,
    },
    warnings,
  };
}

interface MemberReadOutcome {
  unread: number;
  reason: string | null;
}

/**
 * GETs every group to read its complete member list. A group whose GET fails for a server-side
 * reason (500 on a huge group, timeout, oversize) is recorded as unread; the run continues.
 * A server that shows no members for any group is indistinguishable from one that hides them
 * (AWS IAM Identity Center), so that case is recorded as unread too.
 */
async function readMembers(
  http: HttpClient,
  groupIds: readonly string[],
  claimedMembers: ReadonlyMap<string, number>,
  concurrency: number,
  ctx: PollContext,
  warnings: string[],
): Promise<MemberReadOutcome> {
  let unread = 0;
  let done = 0;
  let anyMembers = false;
  const emptyPending: string[] = [];
  let skippedEntries = 0;

  const deliver = (groupId: string, list: MemberRef[] | null): void => {
    if (list === null) {
      unread++;
      ctx.sink.members(groupId, null);
      return;
    }
    if (list.length === 0 && !anyMembers) {
      emptyPending.push(groupId);
      return;
    }
    if (!anyMembers) {
      anyMembers = true;
      for (const gid of emptyPending.splice(0)) ctx.sink.members(gid, []);
    }
    ctx.sink.members(groupId, list);
  };

  await runBounded(groupIds, concurrency, ctx.signal, async (groupId, signal) => {
    let list: MemberRef[] | null;
    try {
      const res = await http.request({ method: 'GET', url: `Groups/${encodeURIComponent(groupId)}`, signal });
      const parsed = normalizeMembers(normalizeScimGroup(res.body).members);
      skippedEntries += parsed.skipped;
      list = parsed.members;
      const claimed = claimedMembers.get(groupId) ?? 0;
      if (list.length === 0 && claimed > 0) {
        warnings.push(`Group ${groupId} shows no members although ${claimed} users list it in their "groups"; its members are treated as unknown.`);
        list = null;
      }
    } catch (err) {
      if (isRunFatal(err)) throw err;
      warnings.push(`Members of group ${groupId} could not be read: ${(err as Error).message}`);
      list = null;
    }
    deliver(groupId, list);
    done++;
    ctx.progress({ phase: 'members', resources: done, total: groupIds.length });
  });

  if (skippedEntries > 0) warnings.push(`${skippedEntries} group member entries had no "value" and were ignored.`);
  if (!anyMembers && emptyPending.length > 0) {
    for (const gid of emptyPending) ctx.sink.members(gid, null);
    return {
      unread: unread + emptyPending.length,
      reason: `The app returned no members for any of its ${groupIds.length} groups. Driftline cannot tell empty groups from an app that hides members (as AWS IAM Identity Center does), so it draws no membership conclusions.`,
    };
  }
  return { unread, reason: null };
}
