/**
 * Wraps a refresh so that at most one runs at a time: calls made while it runs collapse into one
 * more run afterwards. A burst of events costs two round trips at most, and a slow early answer can
 * never overwrite a later one.
 */
export function singleFlight(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
