/**
 * Sink writes handed over without waiting (pages parsed synchronously, member lists settling in
 * any order): each is tracked, and settled() waits for all of them and rethrows the first failure.
 */
export function createWriteTracker(): { track(write: Promise<void>): void; settled(): Promise<void> } {
  const writes: Array<Promise<void>> = [];
  let firstError: unknown = null;
  return {
    track(write) {
      writes.push(
        write.catch((err: unknown) => {
          firstError ??= err;
        }),
      );
    },
    async settled() {
      await Promise.all(writes);
      if (firstError !== null) throw firstError;
    },
  };
}
