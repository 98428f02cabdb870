import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRawReader, rawTexts, rawTextOf, serializeRaw, writeChunk } from '../../src-main/core/store/raw-chunks';
import { beginRun } from '../../src-main/core/store/runs.repo';
import { connection, openTestDb } from '../helpers/store';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();
const page = [
  { id: 'a', raw: { id: 'a', userName: 'ann@x.com', name: { givenName: 'Ann' } } },
  { id: 'b', raw: { id: 'b', userName: 'bo@x.com', title: 'Zoë — “quoted” 🎉' } },
  { id: 'c', raw: { id: 'c', userName: 'cy@x.com', emails: [{ value: 'cy@x.com', primary: true }] } },
];

function store() {
  const db = openTestDb(tempDir());
  const app = connection(db, 'CRM');
  return { db, app, run: beginRun(db, app) };
}

describe('raw chunks', () => {
  it('serializes a page where it was parsed exactly as the writer would, with the same hashes', () => {
    for (const compress of [false, true]) {
      const serialized = rawTexts(serializeRaw(page, compress));
      expect(serialized).toHaveLength(page.length);
      serialized.forEach((rawText, k) => {
        const own = rawTextOf(page[k] as (typeof page)[number]);
        expect(Buffer.from(rawText.text).toString('utf8')).toBe(JSON.stringify(page[k]?.raw));
        expect(Buffer.compare(rawText.contentHash, own.contentHash)).toBe(0);
        // Stored hashes of earlier snapshots were made this way: a change would make every resource look changed.
        expect(Buffer.from(rawText.contentHash).toString('hex')).toBe(hash('sha256', JSON.stringify(page[k]?.raw), 'hex').slice(0, 16));
        expect(rawText.compressed !== undefined).toBe(compress);
      });
    }
  });

  it('stores a page compressed where it was parsed as it is, and reads every resource back', () => {
    const { db, app, run } = store();
    const raws = rawTexts(serializeRaw(page, true));
    const locations = writeChunk(db, app, run, raws);
    const stored = db.prepare('SELECT body FROM raw_chunks WHERE id = ?').pluck().get(locations[0]?.chunk) as Buffer;
    expect(Buffer.compare(stored, raws[0]?.compressed?.page.body ?? Buffer.alloc(0))).toBe(0);
    const read = createRawReader(db);
    expect(locations.map((loc) => read(loc))).toEqual(page.map((p) => p.raw));
  });

  it('compresses just the changed resources of a page itself', () => {
    const { db, app, run } = store();
    const raws = rawTexts(serializeRaw(page, true));
    const changed = [raws[0], raws[2]].filter((r) => r !== undefined);
    const locations = writeChunk(db, app, run, changed);
    const stored = db.prepare('SELECT body FROM raw_chunks WHERE id = ?').pluck().get(locations[0]?.chunk) as Buffer;
    expect(Buffer.compare(stored, raws[0]?.compressed?.page.body ?? Buffer.alloc(0))).not.toBe(0);
    const read = createRawReader(db);
    expect(locations.map((loc) => read(loc))).toEqual([page[0]?.raw, page[2]?.raw]);
  });
});
