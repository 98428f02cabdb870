import { z } from 'zod';
import type { OktaIdpConfig } from '../../config/schema';
import { DriftlineError } from '../../errors';
import type { HttpClient, HttpEvent, HttpResponse } from '../../http/types';
import type { MemberRef, SyncPhase } from '../../model';
import type { SecretStore } from '../../ports';
import { requireSecret } from '../../secrets/resolve';
import { readCaBundle, type ReadTextFile } from '../ca-bundle';
import type { ConnectionProbe, Connector, HttpClientFactory, PollContext, PollResult } from '../types';
import { normalizeOktaGroup, normalizeOktaUser, parseOktaGroups, parseOktaMembers, parseOktaUsers } from './okta-normalize';
import { followPages } from './okta-paging';
import { runBounded } from '../../util/concurrency';

// Reads an Okta org through the Management API (/api/v1) with an SSWS API token: every user
// (the plain listing plus a DEPROVISIONED search, since the plain listing hides those), every
// group, and every group's members. Pages stream into the sink as they arrive.

/** Documented maximum `limit` for GET /users and GET /groups. */
const MAX_LIST_LIMIT = 200;
/** Documented default (and historical maximum) `limit` for GET /groups/{id}/users. */
const MAX_MEMBER_LIMIT = 1000;
/** Okta enforces a per-org concurrency limit shared with every other integration; stay well below it. */
const MAX_CONCURRENCY = 8;
/** Member listings that fail with these statuses leave that one group unknown instead of failing the run. */
const MEMBER_SKIP_STATUSES = [403, 404] as const;

export interface OktaConnectorDeps {
  secrets: SecretStore;
  createHttpClient: HttpClientFactory;
  /** Reads `tls.caFile` (UTF-8 PEM); defaults to the file system. */
  readFile?: ReadTextFile;
}

export function createOktaConnector(config: OktaIdpConfig, deps: OktaConnectorDeps): Connector {
  return { poll: (ctx) => pollOkta(config, deps, ctx), probe: (ctx) => probeOkta(config, deps, ctx) };
}

/** The API client for one org: SSWS token, the org's limits, concurrency kept under Okta's per-org cap. */
async function openOktaClient(
  config: OktaIdpConfig,
  deps: OktaConnectorDeps,
  logger: PollContext['logger'],
  onEvent?: (event: HttpEvent) => void,
): Promise<{ client: HttpClient; apiBase: URL; concurrency: number }> {
  const token = (await requireSecret(deps.secrets, config.token, `Okta API token of "${config.name}"`)).trim();
  const caPem = config.tls?.caFile === undefined ? undefined : await readCaBundle(config.name, config.tls.caFile, deps.readFile);
  const apiBase = new URL('api/v1/', config.orgUrl.endsWith('/') ? config.orgUrl : `${config.orgUrl}/`);
  const concurrency = Math.min(config.limits.concurrency, MAX_CONCURRENCY);
  const client = deps.createHttpClient({
    baseUrl: apiBase.href,
    auth: () => Promise.resolve(`SSWS ${token}`),
    accept: 'application/json',
    timeoutMs: config.limits.timeoutSeconds * 1000,
    maxResponseBytes: config.limits.maxResponseMegabytes * 1024 * 1024,
    requestsPerSecond: config.limits.requestsPerSecond,
    concurrency,
    ...(caPem === undefined ? {} : { caPem }),
    logger,
    ...(onEvent ? { onEvent } : {}),
  });
  return { client, apiBase, concurrency };
}

/** Reads one user and one group: proves the token and the org URL, and shows the rate limit. */
async function probeOkta(config: OktaIdpConfig, deps: OktaConnectorDeps, ctx: { signal: AbortSignal; logger: PollContext['logger'] }): Promise<ConnectionProbe> {
  const { client, apiBase } = await openOktaClient(config, deps, ctx.logger);
  try {
    const users = await client.request({ method: 'GET', url: new URL('users?limit=1', apiBase), signal: ctx.signal });
    parseOktaUsers(users.body, 'GET /api/v1/users');
    const groups = await client.request({ method: 'GET', url: new URL('groups?limit=1', apiBase), signal: ctx.signal });
    parseOktaGroups(groups.body, 'GET /api/v1/groups');
    const limit = users.headers.get('x-rate-limit-limit');
    const remaining = users.headers.get('x-rate-limit-remaining');
    return {
      facts: [
        { label: 'API', value: 'Okta Management API (/api/v1), token accepted' },
        { label: 'Users and groups', value: 'readable' },
        { label: 'Rate limit', value: limit ? `${limit} requests per window${remaining ? `, ${remaining} left` : ''}` : 'not reported' },
        { label: 'Page size', value: `${listLimit(config)} users / groups, ${memberLimit(config)} members` },
      ],
      problems: [],
      capabilities: { api: 'okta', rateLimit: limit === null ? null : Number(limit) },
    };
  } finally {
    await client.close();
  }
}

interface PollState {
  phase: SyncPhase;
  /** The last X-Rate-Limit-Limit Okta reported, for the capability profile. */
  rateLimit: number | null;
  warnings: string[];
}

async function pollOkta(config: OktaIdpConfig, deps: OktaConnectorDeps, ctx: PollContext): Promise<PollResult> {
  throwIfCancelled(ctx.signal);
  const state: PollState = { phase: 'users', rateLimit: null, warnings: [] };
  const { client, apiBase, concurrency } = await openOktaClient(config, deps, ctx.logger, (event) => reportWait(event, state, ctx));
  try {
    await readUsers(client, apiBase, config, state, ctx);
    const groups = await readGroups(client, apiBase, config, state, ctx);
    const unreadable = await readMembers(client, apiBase, config, groups, concurrency, state, ctx);
    throwIfCancelled(ctx.signal);
    const notes =
      unreadable === 0
        ? []
        : [`The members of ${unreadable} of ${groups.length} groups could not be read; those memberships are unknown, not empty.`];
    return {
      coverage: { users: true, inactiveUsers: true, groups: true, memberships: unreadable === 0 ? 'all' : 'partial', notes },
      capabilities: {
        api: 'okta',
        pageLimits: { users: listLimit(config), groups: listLimit(config), members: memberLimit(config) },
        rateLimit: state.rateLimit,
      },
      warnings: state.warnings,
    };
  } finally {
    await client.close();
  }
}

/** Active and inactive users: the plain listing omits DEPROVISIONED users, so a search adds them. */
async function readUsers(client: HttpClient, apiBase: URL, config: OktaIdpConfig, state: PollState, ctx: PollContext): Promise<void> {
  state.phase = 'users';
  const limit = listLimit(config);
  const deprovisioned = 'status eq "DEPROVISIONED"';
  const listings = [
    { url: new URL(`users?limit=${limit}`, apiBase), endpoint: 'GET /api/v1/users' },
    {
      // encodeURIComponent gives %20 for spaces, the encoding Okta's documentation shows for `search`.
      url: new URL(`users?search=${encodeURIComponent(deprovisioned)}&limit=${limit}`, apiBase),
      endpoint: `GET /api/v1/users?search=${deprovisioned}`,
    },
  ];
  // Only ids are kept: a user deprovisioned between the two listings must not be written twice.
  const seen = new Set<string>();
  let pages = 0;
  let resources = 0;
  for (const listing of listings) {
    for await (const response of followPages(client, listing.url, { signal: ctx.signal, maxPages: config.limits.maxPages, endpoint: listing.endpoint })) {
      noteRateLimit(response, state);
      const fresh = parseOktaUsers(response.body, listing.endpoint).filter((user) => !seen.has(user.id));
      for (const user of fresh) seen.add(user.id);
      pages++;
      resources += fresh.length;
      if (fresh.length > 0) await ctx.sink.users(fresh.map(normalizeOktaUser));
      ctx.progress({ phase: 'users', pages, resources });
    }
  }
}

interface GroupRef {
  id: string;
  name: string | null;
}

async function readGroups(client: HttpClient, apiBase: URL, config: OktaIdpConfig, state: PollState, ctx: PollContext): Promise<GroupRef[]> {
  state.phase = 'groups';
  const endpoint = 'GET /api/v1/groups';
  const groups: GroupRef[] = [];
  const seen = new Set<string>();
  let pages = 0;
  const first = new URL(`groups?limit=${listLimit(config)}`, apiBase);
  for await (const response of followPages(client, first, { signal: ctx.signal, maxPages: config.limits.maxPages, endpoint })) {
    noteRateLimit(response, state);
    const fresh = parseOktaGroups(response.body, endpoint)
      .filter((group) => !seen.has(group.id))
      .map(normalizeOktaGroup);
    for (const group of fresh) {
      seen.add(group.id);
      groups.push({ id: group.id, name: group.displayName });
    }
    pages++;
    if (fresh.length > 0) await ctx.sink.groups(fresh);
    ctx.progress({ phase: 'groups', pages, resources: groups.length });
  }
  return groups;
}

/** Reads every group's member list; returns how many groups could not be read (403/404). */
async function readMembers(
  client: HttpClient,
  apiBase: URL,
  config: OktaIdpConfig,
  groups: readonly GroupRef[],
  concurrency: number,
  state: PollState,
  ctx: PollContext,
): Promise<number> {
  state.phase = 'members';
  let done = 0;
  let pages = 0;
  let unreadable = 0;
  await runBounded(groups, concurrency, ctx.signal, async (group, signal) => {
    const endpoint = `GET /api/v1/groups/${group.id}/users`;
    const first = new URL(`groups/${encodeURIComponent(group.id)}/users?limit=${memberLimit(config)}`, apiBase);
    const members = new Map<string, MemberRef>();
    for await (const response of followPages(client, first, { signal, maxPages: config.limits.maxPages, endpoint, allowStatus: MEMBER_SKIP_STATUSES })) {
      noteRateLimit(response, state);
      pages++;
      if (response.status !== 200) {
        unreadable++;
        state.warnings.push(`Could not read the members of group ${describeGroup(group)}: Okta answered ${response.status}${oktaErrorDetail(response.body)}.`);
        ctx.logger.warn('okta group members unreadable', { groupId: group.id, status: response.status });
        await ctx.sink.members(group.id, null);
        ctx.progress({ phase: 'members', pages, resources: ++done, total: groups.length });
        return;
      }
      // A member seen twice across pages (membership changing mid-listing) is still one member.
      for (const member of parseOktaMembers(response.body, endpoint)) members.set(member.value, member);
    }
    await ctx.sink.members(group.id, [...members.values()]);
    ctx.progress({ phase: 'members', pages, resources: ++done, total: groups.length });
  });
  return unreadable;
}


function listLimit(config: OktaIdpConfig): number {
  return Math.min(config.limits.pageSize, MAX_LIST_LIMIT);
}

function memberLimit(config: OktaIdpConfig): number {
  return Math.min(config.limits.pageSize, MAX_MEMBER_LIMIT);
}

function noteRateLimit(response: HttpResponse, state: PollState): void {
  const limit = Number(response.headers.get('x-rate-limit-limit'));
  if (Number.isInteger(limit) && limit > 0) state.rateLimit = limit;
}

/** Shows rate-limit waits in the progress display, so a long pause is explained rather than mysterious. */
function reportWait(event: HttpEvent, state: PollState, ctx: PollContext): void {
  if (event.type !== 'retry_wait') return;
  const seconds = Math.ceil(event.delayMs / 1000);
  // The client reports attempt 0 when it pauses on its own because Okta said the window's budget is spent.
  const message =
    event.attempt === 0
      ? `Okta rate limit budget used up; pausing ${seconds}s until it resets.`
      : `${event.reason === 'rate_limited' ? 'Okta rate limit reached' : 'Okta is busy or unreachable'}; retrying in ${seconds}s (attempt ${event.attempt}).`;
  ctx.progress({ phase: state.phase, message });
}

const oktaErrorSchema = z.object({ errorCode: z.string(), errorSummary: z.string() });

/** ` (E0000006: You do not have permission…)` from an Okta error body, or nothing. */
function oktaErrorDetail(body: unknown): string {
  const parsed = oktaErrorSchema.safeParse(body);
  return parsed.success ? ` (${parsed.data.errorCode}: ${parsed.data.errorSummary})` : '';
}

function describeGroup(group: GroupRef): string {
  return group.name === null ? group.id : `"${group.name}" (${group.id})`;
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new DriftlineError('cancelled', 'The Okta poll was cancelled.');
}
