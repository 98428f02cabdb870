import { describe, expect, it } from 'vitest';
import {
  activeFromOktaStatus,
  flattenValue,
  normalizeOktaGroup,
  normalizeOktaUser,
  parseOktaGroups,
  parseOktaMembers,
  parseOktaUsers,
} from '../../src-main/core/connectors/okta/okta-normalize';
import { isDriftlineError } from '../../src-main/core/errors';

// Shaped like the user object in Okta's Users API reference.
const OKTA_USER = {
  id: '00ub0oNGTSWTBKOLGLNR',
  status: 'ACTIVE',
  created: '2013-06-24T16:39:18.000Z',
  activated: '2013-06-24T16:39:19.000Z',
  statusChanged: '2013-06-24T16:39:19.000Z',
  lastLogin: '2013-06-24T17:39:19.000Z',
  lastUpdated: '2013-07-02T21:36:25.344Z',
  passwordChanged: '2013-07-02T21:36:25.344Z',
  type: { id: 'otyfnjfba4ye7pgjB0g4' },
  profile: {
    firstName: 'Isaac',
    lastName: 'Brock',
    email: 'isaac.brock@example.com',
    login: 'isaac.brock@example.com',
    mobilePhone: null,
    department: 'Engineering',
    intAttr: 99,
    boolAttr: true,
    strArray: ['strArrayVal1', 'strArrayVal2'],
    numArray: [1.23, 4.56],
    address: { city: 'Portland' },
  },
  credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
  _links: { self: { href: 'https://acme.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR' } },
};

function user(overrides: Record<string, unknown> = {}, profile: Record<string, unknown> = {}): unknown {
  return { ...OKTA_USER, ...overrides, profile: { ...OKTA_USER.profile, ...profile } };
}

function normalize(raw: unknown) {
  const [parsed] = parseOktaUsers([raw], 'GET /api/v1/users');
  if (parsed === undefined) throw new Error('nothing parsed');
  return normalizeOktaUser(parsed);
}

describe('normalizeOktaUser', () => {
  it('maps the documented user object', () => {
    const record = normalize(OKTA_USER);
    expect(record).toMatchObject({
      id: '00ub0oNGTSWTBKOLGLNR',
      userName: 'isaac.brock@example.com',
      externalId: null,
      active: true,
      status: 'ACTIVE',
      email: 'isaac.brock@example.com',
      givenName: 'Isaac',
      familyName: 'Brock',
      displayName: 'Isaac Brock',
    });
    expect(record.raw).toEqual(OKTA_USER);
  });

  it('flattens every profile property and adds status and dates', () => {
    expect(normalize(OKTA_USER).attributes).toEqual({
      firstName: 'Isaac',
      lastName: 'Brock',
      email: 'isaac.brock@example.com',
      login: 'isaac.brock@example.com',
      mobilePhone: null,
      department: 'Engineering',
      intAttr: '99',
      boolAttr: 'true',
      strArray: 'strArrayVal1, strArrayVal2',
      numArray: '1.23, 4.56',
      address: '{"city":"Portland"}',
      status: 'ACTIVE',
      created: '2013-06-24T16:39:18.000Z',
      lastLogin: '2013-06-24T17:39:19.000Z',
      lastUpdated: '2013-07-02T21:36:25.344Z',
    });
  });

  it('lets the top-level status win over a custom profile property of the same name', () => {
    expect(normalize(user({ status: 'SUSPENDED' }, { status: 'on leave' })).attributes['status']).toBe('SUSPENDED');
  });

  it('keeps omitted null properties as null attributes', () => {
    const { lastLogin: _omitted, ...neverSignedIn } = OKTA_USER;
    expect(normalize(neverSignedIn).attributes['lastLogin']).toBeNull();
  });

  it.each([
    ['profile displayName wins', { displayName: 'Ike' }, 'Ike'],
    ['blank displayName falls back to the names', { displayName: '  ' }, 'Isaac Brock'],
    ['only a first name', { lastName: null }, 'Isaac'],
    ['only a last name', { firstName: undefined }, 'Brock'],
    ['no names at all', { firstName: null, lastName: null }, null],
  ])('displayName: %s', (_name, profile, expected) => {
    expect(normalize(user({}, profile)).displayName).toBe(expected);
  });

  it('reads non-string profile values as absent rather than guessing', () => {
    const record = normalize(user({}, { login: 42, email: ['a@example.com'] }));
    expect(record.userName).toBeNull();
    expect(record.email).toBeNull();
  });
});

describe('activeFromOktaStatus', () => {
  it.each([
    ['ACTIVE', true],
    ['STAGED', true],
    ['PROVISIONED', true],
    ['RECOVERY', true],
    ['PASSWORD_EXPIRED', true],
    ['LOCKED_OUT', true],
    ['SUSPENDED', false],
    ['DEPROVISIONED', false],
    ['ARCHIVED', null],
    ['active', null],
    [null, null],
    [undefined, null],
  ])('%s → %s', (status, expected) => {
    expect(activeFromOktaStatus(status)).toBe(expected);
  });

  it('keeps an unknown status word for messages while active stays unknown', () => {
    const record = normalize(user({ status: 'SDK_UNKNOWN' }));
    expect(record.active).toBeNull();
    expect(record.status).toBe('SDK_UNKNOWN');
  });
});

describe('flattenValue', () => {
  it.each([
    [null, null],
    [undefined, null],
    ['text', 'text'],
    ['', ''],
    [0, '0'],
    [false, 'false'],
    [[], ''],
    [['a', null, 2], 'a, null, 2'],
    [[{ k: 1 }], '{"k":1}'],
    [{ nested: { x: [1] } }, '{"nested":{"x":[1]}}'],
  ])('%j → %j', (value, expected) => {
    expect(flattenValue(value)).toBe(expected);
  });
});

describe('groups and members', () => {
  const GROUP = {
    id: '00g1emaKYZTWRYYRRTSK',
    created: '2015-02-06T10:11:28.000Z',
    lastUpdated: '2015-10-05T19:16:43.000Z',
    lastMembershipUpdated: '2015-11-28T19:15:32.000Z',
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: { name: 'West Coast Users', description: 'All Users West of The Rockies' },
  };

  it('maps a group by profile.name and leaves members to arrive later', () => {
    const [parsed] = parseOktaGroups([GROUP], 'GET /api/v1/groups');
    if (parsed === undefined) throw new Error('nothing parsed');
    const record = normalizeOktaGroup(parsed);
    expect(record).toEqual({ id: GROUP.id, displayName: 'West Coast Users', externalId: null, raw: GROUP });
    expect('members' in record).toBe(false);
  });

  it('turns member user objects into user references', () => {
    expect(parseOktaMembers([OKTA_USER], 'GET /api/v1/groups/x/users')).toEqual([{ value: OKTA_USER.id, type: 'User' }]);
  });
});

describe('response validation', () => {
  function failure(fn: () => unknown): { code: string; message: string } {
    try {
      fn();
    } catch (err) {
      if (isDriftlineError(err)) return { code: err.code, message: err.message };
      throw err;
    }
    throw new Error('expected a failure');
  }

  it('rejects a body that is not an array, naming the endpoint', () => {
    const err = failure(() => parseOktaUsers({ users: [] }, 'GET /api/v1/users'));
    expect(err.code).toBe('invalid_response');
    expect(err.message).toContain('GET /api/v1/users');
  });

  it.each([
    ['missing id', { profile: { login: 'a' } }],
    ['empty id', { id: '', profile: { login: 'a' } }],
    ['missing profile', { id: '00u1' }],
    ['profile not an object', { id: '00u1', profile: 'x' }],
    ['not an object', 'user'],
  ])('rejects a user with %s', (_name, item) => {
    const err = failure(() => parseOktaUsers([OKTA_USER, item], 'GET /api/v1/users'));
    expect(err.code).toBe('invalid_response');
    expect(err.message).toMatch(/GET \/api\/v1\/users .*position 1/);
  });

  it('rejects a group without a profile and a member without an id', () => {
    expect(failure(() => parseOktaGroups([{ id: '00g1' }], 'GET /api/v1/groups')).code).toBe('invalid_response');
    expect(failure(() => parseOktaMembers([{ profile: {} }], 'GET /api/v1/groups/00g1/users')).message).toContain(
      'GET /api/v1/groups/00g1/users',
    );
  });
});
