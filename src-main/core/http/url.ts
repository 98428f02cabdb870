import { DriftlineError } from '../errors';

/** Origin and path only: query strings may carry PII filters and never go into messages or logs. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Parses the client's base URL; it is treated as a directory whether or not it ends in `/`. */
export function parseBaseUrl(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new DriftlineError('config_invalid', 'The base URL is not a valid URL.');
  }
  checkUsable(base);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Resolves a request URL. Relative paths land under the base path (a leading `/` does not escape it).
 * Absolute URLs, e.g. from an Okta `Link` header, must share the base URL's origin so credentials
 * never travel to another host.
 */
export function resolveRequestUrl(base: URL | undefined, url: string | URL): URL {
  if (url instanceof URL || ABSOLUTE.test(url)) {
    const absolute = new URL(url);
    checkUsable(absolute);
    if (base !== undefined && absolute.origin !== base.origin) {
      throw new DriftlineError(
        'redirect_refused',
        `Refused to send a request to ${describeUrl(absolute)} because it is not on the configured host ${base.origin}; ` +
          'credentials are only sent to the configured host. If the service moved, configure its new URL.',
      );
    }
    return absolute;
  }
  if (base === undefined) {
    throw new DriftlineError('invalid_argument', 'A relative request URL needs a client with a base URL.');
  }
  return new URL(url.replace(/^\/+/, ''), base);
}

function checkUsable(url: URL): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DriftlineError('config_invalid', `Only http(s) URLs are supported, not ${url.protocol}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new DriftlineError('config_invalid', `The URL for ${url.host} must not contain a user name or password; configure credentials separately.`);
  }
}
