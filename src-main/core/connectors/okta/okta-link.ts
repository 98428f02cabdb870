// RFC 8288 Link header parsing for Okta cursor pagination. Okta sends one `link` header per
// relation (`self`, `next`); fetch joins repeated headers with ", ", so a single string can hold
// several links. The URL is delimited by angle brackets and may itself contain commas and
// semicolons, and quoted parameter values may too, so the parser scans rather than splits.

/** One link-value of a Link header. */
export interface LinkValue {
  /** The URI reference between the angle brackets, exactly as sent. */
  href: string;
  /** Relation types, lower-cased (`rel="next last"` → ['next', 'last']). */
  rels: string[];
  /** Parameters by lower-cased name; the first occurrence wins (RFC 8288 §3). */
  params: Record<string, string>;
}

/** Parses a (possibly comma-joined) Link header value. Malformed parts are skipped, never guessed. */
export function parseLinkHeader(header: string | null | undefined): LinkValue[] {
  if (header == null) return [];
  const links: LinkValue[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open + 1);
    if (close < 0) break;
    const href = header.slice(open + 1, close).trim();
    const { params, end } = readParams(header, close + 1);
    i = end;
    const rels = (params['rel'] ?? '').toLowerCase().split(/\s+/).filter((r) => r !== '');
    links.push({ href, rels, params });
  }
  return links;
}

/** The `rel="next"` target of a Link header, or undefined at the end of a listing. */
export function findNextLink(header: string | null | undefined): string | undefined {
  return parseLinkHeader(header).find((link) => link.rels.includes('next'))?.href;
}

/** Reads `; name=value` / `; name="quoted, value"` pairs up to the comma that ends a link-value. */
function readParams(s: string, start: number): { params: Record<string, string>; end: number } {
  const params: Record<string, string> = {};
  let i = skipSpace(s, start);
  while (i < s.length && s[i] === ';') {
    i = skipSpace(s, i + 1);
    const nameStart = i;
    while (i < s.length && !/[\s=;,]/.test(s.charAt(i))) i++;
    const name = s.slice(nameStart, i).toLowerCase();
    i = skipSpace(s, i);
    let value = '';
    if (s[i] === '=') {
      i = skipSpace(s, i + 1);
      if (s[i] === '"') {
        ({ value, end: i } = readQuoted(s, i + 1));
      } else {
        const valueStart = i;
        while (i < s.length && !/[\s;,]/.test(s.charAt(i))) i++;
        value = s.slice(valueStart, i);
      }
    }
    if (name !== '' && !(name in params)) params[name] = value;
    i = skipSpace(s, i);
  }
  // Anything else up to the next link-value separator is junk we cannot interpret.
  while (i < s.length && s[i] !== ',') i++;
  return { params, end: i + 1 };
}

function readQuoted(s: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\' && i + 1 < s.length) i++;
    value += s.charAt(i);
    i++;
  }
  return { value, end: i + 1 };
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s.charAt(i))) i++;
  return i;
}
