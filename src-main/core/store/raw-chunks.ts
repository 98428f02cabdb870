import { hash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './database';

/** Where one resource's raw JSON lives: a byte range of an inflated chunk. */
export interface RawLocation {
  chunk: number;
  offset: number;
  length: number;
}

/** Serializes a raw resource once; an 8-byte hash of that exact text tells changed from unchanged. */
export function rawText(raw: unknown): { text: Buffer; contentHash: Buffer } {
  const text = Buffer.from(JSON.stringify(raw) ?? 'null', 'utf8');
  return { text, contentHash: hash('sha256', text, 'buffer').subarray(0, 8) };
}

/**
 * Writes the texts as one deflated chunk and returns where each one landed. A page of similar
 * SCIM resources compresses about 8:1 together, where each on its own would barely shrink.
 */
export function writeChunk(db: Db, connectionId: number, runId: number, texts: readonly Buffer[]): RawLocation[] {
  const body = deflateRawSync(Buffer.concat(texts), { level: 6 });
  const chunk = Number(
    db.prepare('INSERT INTO raw_chunks (connection_id, first_run, body) VALUES (?, ?, ?)').run(connectionId, runId, body).lastInsertRowid,
  );
  let offset = 0;
  return texts.map((t) => {
    const loc = { chunk, offset, length: t.length };
    offset += t.length;
    return loc;
  });
}

/** Reads raw JSON back, inflating each chunk once per reader (analysis reads a whole snapshot). */
export function createRawReader(db: Db, cacheSize = 16): (loc: RawLocation) => unknown {
  const select = db.prepare('SELECT body FROM raw_chunks WHERE id = ?').pluck();
  const cache = new Map<number, Buffer>();
  return (loc) => {
    let data = cache.get(loc.chunk);
    if (!data) {
      const body = select.get(loc.chunk) as Buffer | undefined;
      if (!body) throw new Error(`raw chunk ${loc.chunk} is missing`);
      data = inflateRawSync(body);
      cache.set(loc.chunk, data);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as number);
    }
    return JSON.parse(data.toString('utf8', loc.offset, loc.offset + loc.length)) as unknown;
  };
}
