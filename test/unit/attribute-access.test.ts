import { describe, expect, it } from 'vitest';
import { getCI, omitCI } from '../../src-main/core/scim/attribute-access';

describe('case-insensitive attribute access (RFC 7643 §2.1)', () => {
  it('reads an attribute in any case, preferring the exact spelling', () => {
    expect(getCI({ userName: 'a', USERNAME: 'b' }, 'userName')).toBe('a');
    expect(getCI({ UserName: 'b' }, 'userName')).toBe('b');
    expect(getCI({ 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Department: 'x' } }, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).toEqual({
      Department: 'x',
    });
    expect(getCI({ userNames: 'a', user: 'b' }, 'userName')).toBeUndefined();
    expect(getCI(['userName'], 'userName')).toBeUndefined();
  });

  it('drops the named attributes in any case and keeps the rest', () => {
    expect(omitCI({ id: '1', Groups: [], groupsCount: 2, members: [] }, ['groups', 'MEMBERS'])).toEqual({ id: '1', groupsCount: 2 });
  });
});
