/** A body read up to a byte limit. */
export interface LimitedBody {
  data: Buffer;
  /** Bytes received, counted as they arrived. */
  bytes: number;
  /** True when the body went past the limit; the rest was not read. */
  overflow: boolean;
}

/** Reads a response body ourselves, counting bytes, and stops (cancelling the stream) past `limit`. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<LimitedBody> {
  if (body === null) return { data: Buffer.alloc(0), bytes: 0, overflow: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { data: Buffer.concat(chunks), bytes, overflow: false };
      bytes += value.byteLength;
      if (bytes > limit) {
        chunks.push(value.subarray(0, value.byteLength - (bytes - limit)));
        await reader.cancel().catch(() => undefined);
        return { data: Buffer.concat(chunks), bytes, overflow: true };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}
