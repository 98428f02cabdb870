import { hash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './database';

/** Where one resource's raw JSON lives: a byte range of an inflated chunk. */
export interface RawLocation {
  chunk: number;
  offset: number;
  length: number;
}

/** A raw resource serialized once: the exact text stored, and an 8-byte hash of it that tells changed from unchanged. */
export interface RawText {
  text: Uint8Array;
  contentHash: Uint8Array;
}

export function rawText(raw: unknown): RawText {
  const text = Buffer.from(JSON.stringify(raw) ?? 'null', 'utf8');
  return { text, contentHash: hash('sha256', text, 'buffer').subarray(0, 8) };
}

/** A record whose raw resource was serialized where it was parsed (see serializeRecords). */
export type Serialized<T extends { raw: unknown }> = Omit<T, 'raw'> & { rawText: RawText };

/** What the snapshot writer takes: records as connectors make them, or already serialized. */
export type Writable<T extends { raw: unknown }> = T | Serialized<T>;

/**
 * Serializes and hashes a page's raw resources on the thread that parsed them, so the store's
 * thread (which every sync shares) does not; the texts share one buffer, so the page crosses to
 * the store's thread as one copy of it instead of a clone of every resource's object tree.
 */
export function serializeRecords<T extends { raw: unknown }>(batch: readonly T[]): Array<Serialized<T>> {
  const texts = batch.map((r) => JSON.stringify(r.raw) ?? 'null');
  const lengths = texts.map((t) => Buffer.byteLength(t, 'utf8'));
  const all = Buffer.allocUnsafeSlow(lengths.reduce((a, b) => a + b, 0));
  const hashes = Buffer.allocUnsafeSlow(8 * batch.length);
  let offset = 0;
  return batch.map(({ raw: _raw, ...record }, k) => {
    const length = lengths[k] as number;
    all.write(texts[k] as string, offset, length, 'utf8');
    const text = all.subarray(offset, offset + length);
    offset += length;
    hash('sha256', text, 'buffer').copy(hashes, 8 * k, 0, 8);
    return { ...record, rawText: { text, contentHash: hashes.subarray(8 * k, 8 * k + 8) } };
  });
}

export function rawTextOf<T extends { raw: unknown }>(record: Writable<T>): RawText {
  return 'rawText' in record ? record.rawText : rawText(record.raw);
}

/**
 * Writes the texts as one deflated chunk and returns where each one landed. A page of similar
 * SCIM resources compresses about 8:1 together, where each on its own would barely shrink.
 */
export function writeChunk(db: Db, connectionId: number, runId: number, texts: readonly Uint8Array[]): RawLocation[] {
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
