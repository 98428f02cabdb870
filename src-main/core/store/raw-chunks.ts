import { hash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './database';

/** Where one resource's raw JSON lives: a byte range of an inflated chunk. */
export interface RawLocation {
  chunk: number;
  offset: number;
  length: number;
}

// Level 3 (zlib's fastest level with a real match search): on the bench's pages it deflates in half
// the time of the default level 6, for chunks ~9% larger (17.3 vs 15.9 MiB for 200k resources).
const DEFLATE = { level: 3 };

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

/** A record whose raw resource was serialized where it was parsed (see serializeRaw and page-codec). */
export type Serialized<T extends { raw: unknown }> = Omit<T, 'raw'> & { rawText: RawText };

/** What the snapshot writer takes: records as connectors make them, or already serialized. */
export type Writable<T extends { raw: unknown }> = T | Serialized<T>;

/** A page's raw resources serialized: their texts back to back, where each ends, and their hashes. */
export interface SerializedRaw {
  text: Uint8Array;
  ends: Uint32Array;
  /** 8 bytes per resource. */
  hashes: Uint8Array;
  /** The whole text deflated, when the page was compressed where it was parsed. */
  compressed: Uint8Array | null;
}

/**
 * Serializes and hashes a page's raw resources on the thread that parsed them, so the store's
 * thread (which every sync shares) does not; the texts share one buffer, so the page crosses to
 * the store's thread as one copy of it.
 */
export function serializeRaw(batch: ReadonlyArray<{ raw: unknown }>, compress: boolean): SerializedRaw {
  const texts = batch.map((r) => JSON.stringify(r.raw) ?? 'null');
  const ends = new Uint32Array(batch.length);
  let total = 0;
  texts.forEach((t, k) => {
    total += Buffer.byteLength(t, 'utf8');
    ends[k] = total;
  });
  const text = Buffer.allocUnsafeSlow(total);
  const hashes = Buffer.allocUnsafeSlow(8 * batch.length);
  let offset = 0;
  texts.forEach((t, k) => {
    const end = ends[k] as number;
    text.write(t, offset, end - offset, 'utf8');
    hash('sha256', text.subarray(offset, end), 'buffer').copy(hashes, 8 * k, 0, 8);
    offset = end;
  });
  // Deflating is the store thread's largest cost on a first sync, and that thread is shared by every sync.
  return { text, ends, hashes, compressed: compress ? deflateRawSync(text, DEFLATE) : null };
}

/** Each resource's text and hash of a serialized page, as views of its buffers. */
export function rawTexts(raw: SerializedRaw): RawText[] {
  const page = raw.compressed ? { body: raw.compressed, count: raw.ends.length } : null;
  const out: RawText[] = [];
  let offset = 0;
  raw.ends.forEach((end, k) => {
    const text = raw.text.subarray(offset, end);
    const contentHash = raw.hashes.subarray(8 * k, 8 * k + 8);
    out.push(page ? { text, contentHash, compressed: { page, offset } } : { text, contentHash });
    offset = end;
  });
  return out;
}

/** A record's serialized raw resource: as its sender serialized it, or serialized here (one definition of the text and its hash). */
export function rawTextOf<T extends { raw: unknown }>(record: Writable<T>): RawText {
  return 'rawText' in record ? record.rawText : (rawTexts(serializeRaw([record], false))[0] as RawText);
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
