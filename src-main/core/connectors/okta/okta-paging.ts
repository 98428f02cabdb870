import { DriftlineError } from '../../errors';
import type { HttpClient, HttpResponse } from '../../http/types';
import { findNextLink } from './okta-link';

export interface FollowPagesOptions {
  signal: AbortSignal;
  /** limits.maxPages: a listing that keeps offering `next` past this fails instead of running forever. */
  maxPages: number;
  /** How the listing is named in errors, e.g. `GET /api/v1/users`. */
  endpoint: string;
  /** Statuses handed back as a final page instead of thrown (403/404 for a member listing). */
  allowStatus?: readonly number[];
}

/**
 * Yields each page of an Okta cursor listing, following `Link: <…>; rel="next"` verbatim (Okta:
 * "follow these Link header values instead of constructing your own URLs"). Stops after a page
 * without a next link, or after a non-200 page the caller allowed.
 */
export async function* followPages(client: HttpClient, first: URL, options: FollowPagesOptions): AsyncGenerator<HttpResponse> {
  const fetched = new Set<string>();
  let url: URL | undefined = first;
  while (url !== undefined) {
    if (fetched.has(url.href)) {
      throw new DriftlineError(
        'okta_pagination_broken',
        `Okta's "next" link for ${options.endpoint} pointed back to a page already read; ` +
          'stopping so the listing cannot loop forever.',
      );
    }
    if (fetched.size >= options.maxPages) {
      throw new DriftlineError(
        'okta_pagination_broken',
        `Okta kept offering more pages for ${options.endpoint} after ${options.maxPages} pages (limits.maxPages). ` +
          'Raise limits.maxPages if the directory really is that large.',
      );
    }
    fetched.add(url.href);
    const response = await client.request({
      method: 'GET',
      url: url.href,
      signal: options.signal,
      ...(options.allowStatus === undefined ? {} : { allowStatus: options.allowStatus }),
    });
    yield response;
    if (response.status !== 200) return;
    const next = findNextLink(response.headers.get('link'));
    url = next === undefined ? undefined : resolveNext(next, url, options.endpoint);
  }
}

/** Resolves a next link and refuses one that leaves the org: the API token must never go elsewhere. */
function resolveNext(href: string, current: URL, endpoint: string): URL {
  let next: URL;
  try {
    next = new URL(href, current);
  } catch {
    throw new DriftlineError('okta_pagination_broken', `Okta's "next" link for ${endpoint} is not a valid URL.`);
  }
  if (next.origin !== current.origin) {
    throw new DriftlineError(
      'okta_pagination_broken',
      `Okta's "next" link for ${endpoint} points to another host (${next.origin}); the API token is only sent to ${current.origin}.`,
    );
  }
  return next;
}
