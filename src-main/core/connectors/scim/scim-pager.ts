import { DriftlineError, isDriftlineError } from '../../errors';
import { HttpStatusError } from '../../http/http-errors';
import type { HttpClient } from '../../http/types';
import { getCI, isObject, parseCount, stringOrNull } from '../../scim/attribute-access';

export type PagingMode = 'index' | 'cursor';

export interface PagerOptions {
  http: HttpClient;
  /** Resource endpoint relative to the base URL: `Users` or `Groups`. */
  endpoint: string;
  /** Plural noun for messages: "users", "groups". */
  noun: string;
  pageSize: number;
  maxPages: number;
  mode: PagingMode;
  signal: AbortSignal;
  params?: Record<string, string>;
  /** Receives each page's new resources (already de-duplicated by id); the page after it is fetched meanwhile. */
  onPage(resources: unknown[], progress: { pages: number; resources: number; total: number | null }): void | Promise<void>;
}

export interface PagerResult {
  mode: PagingMode;
  pages: number;
  resources: number;
  /** totalResults from the first page, when the server gave a usable one. */
  total: number | null;
  duplicates: number;
  /** The server capped count below what was asked (Slack, AWS…). */
  pageSizeSeen: number | null;
}

interface ListPage {
  /** 1-based position among the pages fetched. */
  number: number;
  resources: unknown[];
  total: number | null;
  nextCursor: string | null;
}

function parseListResponse(body: unknown, noun: string): Omit<ListPage, 'number'> {
  if (!isObject(body)) {
    throw new DriftlineError('invalid_response', `Listing ${noun} returned something other than a SCIM ListResponse object.`);
  }
  const resources = getCI(body, 'Resources');
  if (resources !== undefined && resources !== null && !Array.isArray(resources)) {
    throw new DriftlineError('invalid_response', `Listing ${noun} returned "Resources" that is not an array.`);
  }
  return {
    resources: (resources as unknown[] | null | undefined) ?? [],
    total: parseCount(getCI(body, 'totalResults')),
    nextCursor: stringOrNull(getCI(body, 'nextCursor')),
  };
}

/** Event-loop turns to give a prefetched request to reach the wire before the current page is handled. */
const REQUEST_DISPATCH_TURNS = 3;

function broken(message: string): DriftlineError {
  return new DriftlineError('scim_pagination_broken', `${message} The previous snapshot is kept.`);
}

function isCursorExpired(err: unknown): boolean {
  return err instanceof HttpStatusError && err.scimType?.toLowerCase() === 'expiredcursor';
}

/** Missing items tolerated at the end of a listing before it counts as truncated (concurrent deletes). */
function shortfallTolerance(total: number): number {
  return Math.max(5, Math.ceil(total * 0.01));
}

/**
 * Lists every resource of an endpoint with index (RFC 7644 §3.4.2.4) or cursor (RFC 9865)
 * pagination, surviving the servers of protocols.md §6: capped counts, lying or string totals,
 * ignored startIndex, repeating cursors, endless paging, forced cursor mode.
 */
export async function listAll(opts: PagerOptions): Promise<PagerResult> {
  const seen = new Set<string>();
  const result: PagerResult = { mode: opts.mode, pages: 0, resources: 0, total: null, duplicates: 0, pageSizeSeen: null };

  const fetchPage = async (query: Record<string, string>): Promise<ListPage> => {
    if (result.pages >= opts.maxPages) {
      throw broken(`Listing ${opts.noun} did not end after ${opts.maxPages} pages (${seen.size} ${opts.noun} so far); the server keeps paging.`);
    }
    const params = new URLSearchParams({ ...opts.params, ...query });
    const res = await opts.http.request({ method: 'GET', url: `${opts.endpoint}?${params.toString()}`, signal: opts.signal });
    result.pages++;
    const page = { number: result.pages, ...parseListResponse(res.body, opts.noun) };
    if (page.number === 1) result.total = page.total;
    return page;
  };

  /**
   * Starts fetching the next page before the current one is handed over: the server prepares it
   * while this thread and the store's thread work on the current one. A page fetched in vain (the
   * current one turns out to end the listing with an error) is dropped.
   */
  const prefetch = async (query: Record<string, string>): Promise<() => Promise<ListPage>> => {
    const next = fetchPage(query);
    next.catch(() => undefined);
    // The request leaves from callbacks that would otherwise run only once the current page is
    // handled; through the rate limiter, the deadline's signal and undici it takes two turns of the
    // event loop to reach the wire (measured), so three are given.
    for (let turn = 0; turn < REQUEST_DISPATCH_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
    return () => next;
  };

  /** Hands the page's unseen resources to the caller; false when the page held nothing new. */
  const take = async (page: ListPage): Promise<boolean> => {
    const fresh: unknown[] = [];
    for (const r of page.resources) {
      const id = stringOrNull(getCI(r, 'id'));
      if (id !== null) {
        // One hash lookup rather than has() then add(): a set that did not grow held the id already.
        const before = seen.size;
        if (seen.add(id).size === before) {
          result.duplicates++;
          continue;
        }
      }
      fresh.push(r);
    }
    result.resources += fresh.length;
    if (page.resources.length > 0) {
      result.pageSizeSeen = Math.max(result.pageSizeSeen ?? 0, page.resources.length);
    }
    if (fresh.length > 0) await opts.onPage(fresh, { pages: page.number, resources: result.resources, total: result.total });
    return fresh.length > 0;
  };

  const runCursor = async (first: ListPage | null): Promise<void> => {
    result.mode = 'cursor';
    const cursors = new Set<string>();
    let page = first ?? (await fetchPage({ count: String(opts.pageSize), cursor: '' }));
    for (;;) {
      const next = page.nextCursor;
      if (next === null) {
        await take(page);
        return;
      }
      if (cursors.has(next)) throw broken(`The server handed out the same ${opts.noun} cursor twice, so the listing would never end.`);
      cursors.add(next);
      const following = await prefetch({ count: String(opts.pageSize), cursor: next });
      await take(page);
      page = await following();
    }
  };

  if (opts.mode === 'cursor') {
    try {
      await runCursor(null);
    } catch (err) {
      if (!isCursorExpired(err)) throw err;
      // An expired cursor cannot be resumed: start over once (the writer skips what it already has).
      await runCursor(null);
    }
    return result;
  }

  let startIndex = 1;
  let nextPage = (): Promise<ListPage> => fetchPage({ startIndex: '1', count: String(opts.pageSize) });
  for (;;) {
    let page: ListPage;
    try {
      page = await nextPage();
    } catch (err) {
      // Past the announced end, some servers answer 400/404 instead of an empty page.
      if (result.total !== null && seen.size >= result.total && isDriftlineError(err) && (err.status === 400 || err.status === 404)) {
        return result;
      }
      if (startIndex > 1 && isDriftlineError(err) && (err.status === 400 || err.status === 501)) {
        throw broken(`The server refused to page ${opts.noun} beyond item ${startIndex - 1}: ${err.message}`);
      }
      throw err;
    }
    if (page.nextCursor !== null && startIndex === 1) {
      // RFC 9865: a server may answer an index request in cursor mode.
      await runCursor(page);
      return result;
    }
    if (page.resources.length === 0) {
      if (result.total !== null && seen.size < result.total - shortfallTolerance(result.total)) {
        throw broken(
          `The server announced ${result.total} ${opts.noun} but stopped returning them after ${seen.size}; the listing looks truncated.`,
        );
      }
      return result;
    }
    // No early stop on totalResults: some servers clamp it to the page size or repeat page one
    // forever, and only the next page tells those apart from the real end.
    const following = startIndex + page.resources.length;
    nextPage = await prefetch({ startIndex: String(following), count: String(opts.pageSize) });
    if (!(await take(page))) {
      throw broken(
        `The server returned the same ${opts.noun} again for startIndex=${startIndex}: it ignores startIndex, so the listing cannot be completed (${seen.size} ${opts.noun} read).`,
      );
    }
    startIndex = following;
  }
}
