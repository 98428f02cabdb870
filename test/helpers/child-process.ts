import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned process with its output collected as text. */
export interface RunningChild {
  process: ChildProcess;
  /** Settles once the process has exited and its pipes are drained, so the output is complete. */
  closed: Promise<ChildExit>;
  hasExited(): boolean;
  stdout(): string;
  stderr(): string;
  /** Resolves with `match(stdout)`'s first defined result; rejects if the process ends or time runs out first. */
  waitForStdout<T>(match: (stdout: string) => T | undefined, timeoutMs: number): Promise<T>;
  /** SIGINT (a Ctrl+C), then SIGKILL if it is still alive after `graceMs`. Safe to call more than once. */
  stop(graceMs?: number): Promise<ChildExit>;
}

export function startChild(command: string, args: readonly string[], options: SpawnOptions = {}): RunningChild {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let exit: ChildExit | null = null;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const closed = new Promise<ChildExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  // Callers may never await `closed` (a child killed in a hook); an unhandled rejection would mask the real failure.
  closed.catch(() => undefined);

  const waitForStdout = <T>(match: (stdout: string) => T | undefined, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const found = match(out);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const onClose = (): void => {
        if (check()) return;
        cleanup();
        reject(new Error(`process ended (${JSON.stringify(exit)}) before the expected output.\nstdout:\n${out}\nstderr:\n${err}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no expected output within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      const onData = (): void => {
        check();
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('close', onClose);
      };
      // Registered after the collecting listener above, so `out` already holds the new chunk.
      child.stdout?.on('data', onData);
      child.once('close', onClose);
      if (exit !== null) onClose();
      else check();
    });

  const stop = async (graceMs = 3000): Promise<ChildExit> => {
    if (exit !== null) return exit;
    child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!graceful) child.kill('SIGKILL');
    return closed;
  };

  return { process: child, closed, hasExited: () => exit !== null, stdout: () => out, stderr: () => err, waitForStdout, stop };
}

/** Runs a process to completion; SIGKILLs it and fails if it takes longer than `timeoutMs`. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<ChildExit & { stdout: string; stderr: string }> {
  const { timeoutMs = 20_000, ...spawnOptions } = options;
  const child = startChild(command, args, spawnOptions);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([child.closed, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    child.process.kill('SIGKILL');
    await child.closed;
    throw new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms.\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
  }
  return { ...result, stdout: child.stdout(), stderr: child.stderr() };
}
