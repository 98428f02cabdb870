import { hash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './database';

/** Where one resource's raw JSON lives: a byte range of an inflated chunk. */
export interface RawLocation {
  chunk: number;
  offset: number;
  length: number;
}

const DEFLATE = { level: 6 };

/** A raw resource serialized once: the exact text stored, and an 8-byte hash of it that tells changed from unchanged. */
export interface RawText {
  text: Uint8Array;
  contentHash: Uint8Array;
  /** Where the text sits in its page's chunk, when the page was compressed where it was parsed. */
  compressed?: { page: CompressedPage; offset: number };
}

/** A page's texts deflated together: the chunk the store keeps when every resource of the page is new or changed. */
export interface CompressedPage {
  body: Uint8Array;
  count: number;
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
export function serializeRecords<T extends { raw: unknown }>(batch: readonly T[], compress: boolean): Array<Serialized<T>> {
  const texts = batch.map((r) => JSON.stringify(r.raw) ?? 'null');
  const lengths = texts.map((t) => Buffer.byteLength(t, 'utf8'));
  const all = Buffer.allocUnsafeSlow(lengths.reduce((a, b) => a + b, 0));
  const hashes = Buffer.allocUnsafeSlow(8 * batch.length);
  const raws: RawText[] = [];
  for (let k = 0, offset = 0; k < batch.length; k++) {
    const length = lengths[k] as number;
    all.write(texts[k] as string, offset, length, 'utf8');
    const text = all.subarray(offset, offset + length);
    hash('sha256', text, 'buffer').copy(hashes, 8 * k, 0, 8);
    raws.push({ text, contentHash: hashes.subarray(8 * k, 8 * k + 8) });
    offset += length;
  }
  // Deflating is the store thread's largest cost on a first sync, and that thread is shared by every sync.
  if (compress) {
    const page = { body: deflateRawSync(all, DEFLATE), count: batch.length };
    for (const raw of raws) raw.compressed = { page, offset: raw.text.byteOffset - all.byteOffset };
  }
  return batch.map(({ raw: _raw, ...record }, k) => ({ ...record, rawText: raws[k] as RawText }));
}

/** A record's serialized raw resource: as its sender serialized it, or serialized here (one definition of the text and its hash). */
export function rawTextOf<T extends { raw: unknown }>(record: Writable<T>): RawText {
  return 'rawText' in record ? record.rawText : (serializeRecords([record], false)[0] as Serialized<T>).rawText;
}

/**
 * Writes the texts as one deflated chunk and returns where each one landed. A page of similar
 * SCIM resources compresses about 8:1 together, where each on its own would barely shrink.
 */
export function writeChunk(db: Db, connectionId: number, runId: number, raws: readonly RawText[]): RawLocation[] {
  const page = raws[0]?.compressed?.page;
  if (page && page.count === raws.length && raws.every((r) => r.compressed?.page === page)) {
    // The whole page, compressed where it was parsed: stored as it is.
    const chunk = insertChunk(db, connectionId, runId, page.body);
    return raws.map((r) => ({ chunk, offset: r.compressed?.offset ?? 0, length: r.text.length }));
  }
  const chunk = insertChunk(db, connectionId, runId, deflateRawSync(Buffer.concat(raws.map((r) => r.text)), DEFLATE));
  let offset = 0;
  return raws.map((r) => {
    const loc = { chunk, offset, length: r.text.length };
    offset += r.text.length;
    return loc;
  });
}

function insertChunk(db: Db, connectionId: number, runId: number, body: Uint8Array): number {
  return Number(db.prepare('INSERT INTO raw_chunks (connection_id, first_run, body) VALUES (?, ?, ?)').run(connectionId, runId, body).lastInsertRowid);
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
