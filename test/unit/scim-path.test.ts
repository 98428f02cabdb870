import { describe, expect, it } from 'vitest';
import { parseScimPath, readScimPath, scimValueText, writeScimPath } from '../../src-main/core/scim/scim-path';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user = {
  userName: 'ann',
  Name: { FamilyName: 'Lee' },
  emails: [
    { Type: 'home', value: 'h@x' },
    { type: 'WORK', Value: 'w@x', primary: true },
  ],
  [ENT]: { department: 'Sales', manager: { value: 'm1' } },
};

describe('SCIM attribute paths', () => {
  it.each([
    ['name.familyName', ['Lee']],
    ['emails[type eq "work"].value', ['w@x']],
    ['emails[primary eq true].value', ['w@x']],
    ['emails[type eq "work" and primary eq true].value', []],
    ['emails.value', ['h@x', 'w@x']],
    [`${ENT}:department`, ['Sales']],
    [`${ENT}:manager.value`, ['m1']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName', ['ann']],
    ['title', []],
  ])('%s reads %j (attribute names case-insensitive)', (path, expected) => {
    expect(readScimPath(user, parseScimPath(path))).toEqual(expected);
  });

  it('evaluates complex value filters with the SCIM filter library', () => {
    const path = parseScimPath('emails[type eq "home" or value co "w@"].value');
    expect(path.simpleFilter).toBeNull();
    expect(readScimPath({ emails: [{ type: 'home', value: 'h@x' }, { type: 'work', value: 'w@x' }, { type: 'other', value: 'o@x' }] }, path)).toEqual([
      'h@x',
      'w@x',
    ]);
  });

  it('rejects what is not a path, naming the problem', () => {
    expect(() => parseScimPath('a.b.c')).toThrowError(/not a SCIM attribute path/);
    expect(() => parseScimPath('emails[type eq]')).toThrowError(/invalid value filter/);
    expect(() => parseScimPath('')).toThrowError(/not a SCIM attribute path/);
  });

  it('gives every path a short stable storage key', () => {
    const a = parseScimPath(`${ENT}:department`);
    expect(a.key).toMatch(/^@[A-Za-z0-9_-]{8}$/);
    expect(parseScimPath(` ${ENT}:department `).key).toBe(a.key);
    expect(parseScimPath('title').key).not.toBe(a.key);
  });

  it('writes values for a PUT built from a fresh read, adding a filtered element when missing', () => {
    const copy = structuredClone(user) as Record<string, unknown>;
    writeScimPath(copy, parseScimPath('emails[type eq "work"].value'), 'new@x');
    writeScimPath(copy, parseScimPath(`${ENT}:department`), 'Ops');
    writeScimPath(copy, parseScimPath('name.familyName'), null);
    writeScimPath(copy, parseScimPath('phoneNumbers[type eq "work"].value'), '+1 555');
    expect(readScimPath(copy, parseScimPath('emails[type eq "work"].value'))).toEqual(['new@x']);
    expect(readScimPath(copy, parseScimPath(`${ENT}:department`))).toEqual(['Ops']);
    expect(readScimPath(copy, parseScimPath('name.familyName'))).toEqual([]);
    expect(copy.phoneNumbers).toEqual([{ type: 'work', value: '+1 555' }]);
    expect(readScimPath(copy, parseScimPath('emails[type eq "home"].value'))).toEqual(['h@x']);
  });

  it('turns values into comparable text', () => {
    expect(scimValueText([])).toBeNull();
    expect(scimValueText(['  a ', '', 'b'])).toBe('a, b');
    expect(scimValueText([true, 3])).toBe('true, 3');
  });
});
