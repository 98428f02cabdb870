import { describe, expect, it } from 'vitest';
import { runBounded } from '../../src-main/core/util/concurrency';

/** A wait that ends early, with an AbortError, when the signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    });
  });
}

describe('runBounded', () => {
  it('runs every item with at most `limit` in flight', async () => {
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await runBounded([1, 2, 3, 4, 5, 6, 7], 3, new AbortController().signal, async (n, signal) => {
      active++;
      peak = Math.max(peak, active);
      await pause(5, signal);
      active--;
      done.push(n);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('handles an empty list', async () => {
    await expect(runBounded([], 4, new AbortController().signal, () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });

  it('rethrows the first failure, aborts work in flight and starts nothing new', async () => {
    const started: number[] = [];
    const failure = new Error('first');
    const run = runBounded([1, 2, 3, 4, 5], 2, new AbortController().signal, async (n, signal) => {
      started.push(n);
      if (n === 1) throw failure;
      await pause(1000, signal);
    });
    await expect(run).rejects.toBe(failure);
    expect(started).toEqual([1, 2]);
  });

  it('passes the caller abort on to the work', async () => {
    const caller = new AbortController();
    const run = runBounded([1, 2], 2, caller.signal, (_n, signal) => pause(1000, signal));
    caller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
