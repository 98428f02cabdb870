import { isAscii } from 'node:buffer';

/** A body read up to a byte limit, as the chunks it arrived in. */
export interface LimitedBody {
  chunks: Uint8Array[];
  /** Bytes received, counted as they arrived. */
  bytes: number;
  /** True when the body went past the limit; the rest was not read. */
  overflow: boolean;
}

/** Reads a response body ourselves, counting bytes, and stops (cancelling the stream) past `limit`. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<LimitedBody> {
  const chunks: Uint8Array[] = [];
  if (body === null) return { chunks, bytes: 0, overflow: false };
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks, bytes, overflow: false };
      bytes += value.byteLength;
      if (bytes > limit) {
        chunks.push(value.subarray(0, value.byteLength - (bytes - limit)));
        await reader.cancel().catch(() => undefined);
        return { chunks, bytes, overflow: true };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

/** Bodies up to this size are joined in one buffer kept for the thread's next body. */
const REUSED_BYTES = 16 * 1024 * 1024;
let scratch = Buffer.alloc(0);

/**
 * The body as text. The chunks are joined in a buffer the thread keeps from body to body: a fresh
 * one per page would be memory the kernel has to fault in page by page, which a sync of a large
 * tenant does for every page of results. An all-ASCII body (most JSON, and all of it from servers
 * that escape non-ASCII characters) is then copied as it is, about four times faster than UTF-8
 * decoding; anything else is decoded as UTF-8, dropping a byte order mark.
 */
export function bodyText(body: LimitedBody): string {
  const length = body.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const joined = length <= REUSED_BYTES ? reusedBuffer(length) : Buffer.allocUnsafe(length);
  let ascii = true;
  let offset = 0;
  for (const chunk of body.chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
    ascii &&= isAscii(chunk);
  }
  // Decoded before returning: the next body overwrites the buffer, and neither decoder keeps a view of it.
  return ascii ? joined.toString('latin1', 0, offset) : new TextDecoder().decode(joined.subarray(0, offset));
}

function reusedBuffer(length: number): Buffer {
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.min(REUSED_BYTES, Math.max(length, 2 * scratch.length)));
  return scratch;
}
