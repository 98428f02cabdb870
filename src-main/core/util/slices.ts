/**
 * Hands `items` to `write` a slice at a time, letting the event loop run between slices: a page of
 * a thousand resources becomes several short store transactions instead of one long stall.
 */
export async function inSlices<T>(items: readonly T[], size: number, write: (slice: readonly T[]) => void): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    write(items.slice(start, start + size));
  }
}
