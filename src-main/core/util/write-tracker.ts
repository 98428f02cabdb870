/**
 * Sink writes handed over without waiting (pages parsed synchronously, member lists settling in
 * any order, the next page fetched while the last one is written): each is tracked, and settled()
 * waits for all of them and rethrows the first failure.
 */
export function createWriteTracker(): { track(write: Promise<void>): void; atMost(count: number): Promise<void>; settled(): Promise<void> } {
  const writes: Array<Promise<void>> = [];
  let firstError: unknown = null;
  let unsettled = 0;
  let oldest = 0;
  return {
    track(write) {
      unsettled += 1;
      writes.push(
        write
          .catch((err: unknown) => {
            firstError ??= err;
          })
          .finally(() => {
            unsettled -= 1;
          }),
      );
    },
    /** Waits until at most `count` writes are unsettled, oldest first (a sink writes in order), and rethrows the first failure so far. */
    async atMost(count) {
      while (unsettled > count && oldest < writes.length) await writes[oldest++];
      if (firstError !== null) throw firstError;
    },
    async settled() {
      await Promise.all(writes);
      if (firstError !== null) throw firstError;
    },
  };
}
