import { useState } from 'react';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';

/**
 * One async step at a time for a dialog: which step is running, and the error of the step that
 * failed last (shown inline, in the core's words). `onBusy` tells the dialog to stay open meanwhile.
 */
export function useTask<T extends string>(onBusy: (busy: boolean) => void) {
  const [task, setTask] = useState<T | null>(null);
  const [error, setError] = useState<{ task: T; info: ErrorInfo } | null>(null);
  const run = async (which: T, work: () => Promise<void>): Promise<void> => {
    setTask(which);
    setError(null);
    onBusy(true);
    try {
      await work();
    } catch (err) {
      setError({ task: which, info: toErrorInfo(err) });
    } finally {
      setTask(null);
      onBusy(false);
    }
  };
  return { task, error, run };
}
