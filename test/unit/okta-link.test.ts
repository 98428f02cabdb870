import { describe, expect, it } from 'vitest';
import { findNextLink, parseLinkHeader } from '../../src-main/core/connectors/okta/okta-link';

const SELF = 'https://acme.okta.com/api/v1/users?limit=200';
const NEXT = 'https://acme.okta.com/api/v1/users?after=00u1a2b3c&limit=200';

describe('findNextLink', () => {
  it.each([
    ['no header', null, undefined],
    ['empty header', '', undefined],
    ['self only (last page)', `<${SELF}>; rel="self"`, undefined],
    ['two Okta link headers joined by fetch', `<${SELF}>; rel="self", <${NEXT}>; rel="next"`, NEXT],
    ['next before self', `<${NEXT}>; rel="next", <${SELF}>; rel="self"`, NEXT],
    ['unquoted rel', `<${SELF}>; rel=self, <${NEXT}>; rel=next`, NEXT],
    ['no spaces', `<${SELF}>;rel="self",<${NEXT}>;rel="next"`, NEXT],
    ['upper-case relation type', `<${NEXT}>; REL="NEXT"`, NEXT],
    ['several relation types in one rel', `<${NEXT}>; rel="next last"`, NEXT],
    [
      'commas and semicolons inside the URL',
      '<https://acme.okta.com/api/v1/users?search=profile.x%20eq%20%22a,b;c%22&after=x,y>; rel="next"',
      'https://acme.okta.com/api/v1/users?search=profile.x%20eq%20%22a,b;c%22&after=x,y',
    ],
    [
      'quoted parameter holding a comma and a fake link',
      `<${SELF}>; title="pages, <https://evil.example/>; rel=\\"next\\""; rel="self", <${NEXT}>; rel="next"`,
      NEXT,
    ],
    ['prev-like relation is not next', `<${SELF}>; rel="prev"`, undefined],
    ['first rel parameter wins', `<${SELF}>; rel="self"; rel="next"`, undefined],
    ['garbage around link-values', `junk, <${NEXT}>; rel="next" junk, trailing`, NEXT],
    ['unterminated URL', '<https://acme.okta.com/api/v1/users; rel="next"', undefined],
  ])('%s', (_name, header, expected) => {
    expect(findNextLink(header)).toBe(expected);
  });
});

describe('parseLinkHeader', () => {
  it('returns every link-value with its relations and parameters', () => {
    const links = parseLinkHeader(`<${SELF}>; rel="self", <${NEXT}>; rel="next"; type="application/json"`);
    expect(links).toEqual([
      { href: SELF, rels: ['self'], params: { rel: 'self' } },
      { href: NEXT, rels: ['next'], params: { rel: 'next', type: 'application/json' } },
    ]);
  });

  it('unescapes quoted-pair characters in quoted values', () => {
    expect(parseLinkHeader('<a>; title="say \\"hi\\""; rel=next')[0]?.params['title']).toBe('say "hi"');
  });
});
