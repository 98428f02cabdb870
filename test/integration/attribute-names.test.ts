import { afterEach, describe, expect, it } from 'vitest';
import { attributeDecoder, attributeEncoder } from '../../src-main/core/store/attribute-names';
import type { Db } from '../../src-main/core/store/database';
import { connection, openTestDb } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir('driftline-attrs-');
let db: Db | undefined;
afterEach(() => db?.close());

describe('attribute codes in user_versions.attributes_json', () => {
  it("writes the same text as SQLite's json_object over the codes in ascending order, and reads it back", () => {
    db = openTestDb(tempDir());
    const id = connection(db, 'app');
    const encode = attributeEncoder(db, id);
    // Registers codes 0 (title), 1 (department), 2 (__proto__).
    expect(encode(Object.fromEntries([['title', 'CTO'], ['department', 'Sales'], ['__proto__', 'an attribute']]))).toBe(
      '{"0":"CTO","1":"Sales","2":"an attribute"}',
    );
    // Keys in another order, odd characters and null: still ascending codes, JSON escaping.
    const tricky = { department: 'R&D "Labs"\n\u2028 Zoë 🎉', title: null, extra: '\\' };
    const text = encode(tricky);
    const sqlite = db.prepare("SELECT json_object('0', NULL, '1', ?, '3', ?)").pluck().get(tricky.department, tricky.extra);
    expect(text).toBe(sqlite);
    expect(text).toBe(JSON.stringify({ 0: null, 1: tricky.department, 3: '\\' }));
    expect(attributeDecoder(db, id)(text)).toEqual(tricky);
    expect(encode({})).toBeNull();
  });
});
